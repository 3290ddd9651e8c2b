import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { attributesOf, connectionAllowed } from '../src/shop/catalog.js';
import type { Json } from './support/json.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** PUTs the document into a new session and answers its GET /model text (undefined when refused); deletes the session. */
async function inFreshSession(t: TestApp, token: string, document: unknown): Promise<string | undefined> {
  const created = await t.http().post('/api/v1/session').set('Authorization', token).send({});
  expect(created.status).toBe(200);
  const session = String(created.body.session_id);
  try {
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', session)
      .set('Content-Type', 'application/json')
      .send(typeof document === 'string' ? document : JSON.stringify(document));
    expect([200, 422]).toContain(put.status);
    if (put.status !== 200) return undefined;
    const got = await t.http().get('/api/v1/model').set('Authorization', token).set('session_id', session);
    expect(got.status).toBe(200);
    return got.text;
  } finally {
    // Within the server's session limit.
    await t.http().delete('/api/v1/session').set('Authorization', token).set('session_id', session);
  }
}

/**
 * PUT /model over HTTP with generated bodies (JSON and YAML; valid, mutated and hostile): the
 * server never answers 5xx, a rejected upload leaves the stored model byte-identical, and an
 * accepted one leaves a model that reads back unchanged.
 */
/** One app for the file: both properties make sessions of their own. */
let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp({ env: { TARN_LOG_LEVEL: 'silent' } });
  token = await t.token();
});
afterAll(() => t.close());

describe('PUT /model with generated bodies', () => {
  let session: number;

  beforeAll(async () => {
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const base = await put({
      time: { start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-02T00:00:00Z', time_unit: 'hour' },
      model: {
        reservoir: { R1: { max_vol: 10, vol_head: { ref: 0, x: [0, 10], y: [90, 100] } } },
        plant: { P1: {} },
      },
      connections: [{ from: 'R1', from_type: 'reservoir', to: 'P1', to_type: 'plant' }],
    });
    expect(base.status).toBe(200);
  });

  function put(body: unknown, type = 'application/json') {
    return t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .set('Content-Type', type)
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  }
  const stored = async () =>
    (await t.http().get('/api/v1/model').set('Authorization', token).set('session_id', String(session))).text;

  const hostile = fc.constantFrom('\u0000', '\ud800', '__proto__', 'constructor', '\u001b', '', 'R1');
  const text = fc.oneof(fc.string({ maxLength: 10 }), hostile);
  const value = fc.oneof(
    fc.double(),
    fc.integer(),
    text,
    fc.record({
      timestamps: fc.array(text, { maxLength: 2 }),
      values: fc.array(fc.array(fc.double(), { maxLength: 2 })),
    }),
    fc.record({
      ref: fc.double(),
      x: fc.array(fc.double(), { maxLength: 3 }),
      y: fc.array(fc.double(), { maxLength: 3 }),
    }),
    fc.dictionary(text, fc.double(), { maxKeys: 2 }),
  );
  const model = fc.dictionary(
    fc.oneof(fc.constantFrom('reservoir', 'plant', 'generator'), text),
    fc.dictionary(
      fc.oneof(fc.constant('R1'), text),
      fc.dictionary(fc.oneof(fc.constantFrom('max_vol', 'inflow', 'lrl'), text), value, { maxKeys: 3 }),
      {
        maxKeys: 2,
      },
    ),
    { maxKeys: 2 },
  );
  /** A request body as sent: its media type and its text. */
  const json = (value: unknown) => ({ type: 'application/json', text: JSON.stringify(value) });
  const body = fc.oneof(
    fc.record({ model }, { requiredKeys: [] }).map(json),
    fc.jsonValue({ maxDepth: 3 }).map(json),
    fc
      .oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }))
      .map((text) => ({ type: 'application/yaml', text })),
    // Python's NaN, a body cut in the middle, and a YAML alias that makes a cycle.
    fc.constantFrom(
      { type: 'application/json', text: '{"model": {"reservoir": {"R1": {"max_vol": NaN}}}}' },
      { type: 'application/json', text: '{"model": {"reservoir": {"R1": {' },
      { type: 'application/yaml', text: 'model: &a [*a]' },
    ),
  );

  it('never answers 5xx; what it refuses changes nothing; what it takes reads back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(body, async ({ type, text }) => {
        const before = await stored();
        const response = await put(text, type);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(await stored()).toBe(before);
        // What the session holds after an accepted upload reads back unchanged from a new session.
        if (response.status === 200) expect(await inFreshSession(t, token, await stored())).toBe(await stored());
      }),
      { numRuns: 80 },
    );
  });
});

/**
 * Every document that PUT /model accepts into a fresh session reads back through GET /model as
 * sent, up to the normalisations that shop-json.md allows (§10), each written down here as a pair
 * of generators: the form sent, and the canonical form GET /model answers.
 */
describe('accepted documents read back through GET /model', () => {
  /** What is sent, and what GET /model answers for it. */
  type Pair = { sent: unknown; back: unknown };
  const same = (value: unknown): Pair => ({ sent: value, back: value });
  const pairs = <T extends Pair>(items: T[]) => ({ sent: items.map((i) => i.sent), back: items.map((i) => i.back) });

  /** Numbers go as JSON text: -0 is written 0. */
  const number = fc
    .oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.constantFrom(1e40, -1e308, 5e-324, 0.1, 1e21),
    )
    .map((v) => same(Object.is(v, -0) ? 0 : v));
  const integer = fc.integer({ min: -1e9, max: 1e9 }).map((v) => same(Object.is(v, -0) ? 0 : v));
  const text = fc
    .oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom('ENERGY', 'Øvre Vinstre', '水库', 'a "quoted" \\ name'),
    )
    .map(same);
  const name = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}$/) },
    { weight: 1, arbitrary: fc.constantFrom('Øvre Vinstre', 'Réservoir 1', '水库', 'R 1 (øst)') },
  );

  /**
   * A timestamp at `hour` hours after 2026-01-01, in a form the reader accepts, and the canonical
   * `YYYY-MM-DDTHH:MM:SSZ`: the zone is ignored (SHOP times are wall-clock times, §10 item 5),
   * fractions of a second are dropped.
   */
  const timestamp = (hour: number) => {
    const canonical = new Date(Date.UTC(2026, 0, 1, hour)).toISOString().replace('.000Z', 'Z');
    const plain = canonical.slice(0, 19);
    return fc
      .constantFrom(canonical, plain, `${plain}+02:00`, plain.replace('T', ' '), `${plain}.000Z`)
      .map((sent) => ({ sent, back: canonical }));
  };
  const timestamps = fc
    .uniqueArray(fc.integer({ min: 0, max: 47 }), { minLength: 1, maxLength: 4 })
    .chain((hours) => fc.tuple(...[...hours].sort((a, b) => a - b).map(timestamp)))
    .map(pairs);

  /**
   * A time series: a bare number or `{values}` without timestamps is a constant, answered as a
   * one-point series at start_time when the model has a time (§10 item 2); restshop's `unit` is
   * read and dropped.
   */
  const txy = (start: string | undefined) =>
    fc.oneof(
      number.map(({ sent, back }) => ({
        sent,
        back: { ...(start && { timestamps: [start] }), values: [[back]] },
      })),
      fc.array(number, { minLength: 1, maxLength: 2 }).map((scenarios) => ({
        sent: { values: scenarios.map((s) => [s.sent]) },
        back: { ...(start && { timestamps: [start] }), values: scenarios.map((s) => [s.back]) },
      })),
      timestamps.chain((stamps) =>
        fc
          .record({
            values: fc.array(
              fc.array(number, { minLength: stamps.sent.length, maxLength: stamps.sent.length }).map(pairs),
              { minLength: 1, maxLength: 2 },
            ),
            name: fc.option(fc.constantFrom('Inflow', 'price'), { nil: undefined }),
            unit: fc.option(fc.constantFrom('m3/s', 'NOK/MWh'), { nil: undefined }),
          })
          .map(({ values, name, unit }) => ({
            sent: {
              ...(name && { name }),
              ...(unit && { unit }),
              timestamps: stamps.sent,
              values: values.map((v) => v.sent),
            },
            back: { ...(name && { name }), timestamps: stamps.back, values: values.map((v) => v.back) },
          })),
      ),
    );

  /** Points of an xy table: equal numbers of x and y. */
  const points = fc
    .integer({ min: 1, max: 4 })
    .chain((n) =>
      fc.tuple(
        fc.array(number, { minLength: n, maxLength: n }).map(pairs),
        fc.array(number, { minLength: n, maxLength: n }).map(pairs),
      ),
    );
  /**
   * An xy table in the YAML form `{ref, x, y}`, restshop's `{x_values, y_values, x_unit?}` or
   * pyshop's `{ref?, xy: [[x, y]]}`, all answered as `{ref, x, y}` (ref 0 when not given, §10 item 1).
   */
  const xy = fc
    .tuple(points, fc.option(number, { nil: undefined }), fc.integer({ min: 0, max: 3 }))
    .map(([[x, y], ref, form]): Pair => {
      const back = { ref: ref?.back ?? 0, x: x.back, y: y.back };
      const given = ref === undefined ? {} : { ref: ref.sent };
      const sent = [
        { ...given, x: x.sent, y: y.sent },
        { x_values: x.sent, y_values: y.sent, x_unit: 'm', y_unit: 'Mm3' },
        { ...given, xy: (x.sent as unknown[]).map((xi, i) => [xi, (y.sent as unknown[])[i]]) },
        { ...given, x: x.sent, y: y.sent },
      ][form];
      return { sent, back: form === 1 ? { ...back, ref: 0 } : back };
    });
  /** A list of xy tables, or restshop's object keyed by the reference (its keys in JavaScript's order). */
  const xyArray = fc.oneof(
    fc.array(xy, { maxLength: 3 }).map(pairs),
    fc
      .uniqueArray(fc.oneof(fc.integer({ min: -500, max: 500 }), fc.constantFrom(0.5, 1.25)), { maxLength: 3 })
      .chain((refs) => fc.tuple(...refs.map((ref) => points.map(([x, y]) => ({ ref, x, y })))))
      .map((tables) => {
        const sent = Object.fromEntries(
          tables.map((table) => [String(table.ref), { x: table.x.sent, y: table.y.sent }]),
        );
        const byKey = new Map(tables.map((table) => [String(table.ref), table]));
        const back = Object.keys(sent).map((key) => {
          const table = byKey.get(key)!;
          return { ref: table.ref, x: table.x.back, y: table.y.back };
        });
        return { sent, back };
      }),
  );
  /** busbar.ptdf: a map of names to numbers, or pyshop's `[[name, number]]`. */
  const sy = fc
    .uniqueArray(fc.tuple(name, number), { selector: ([key]) => key, maxLength: 3 })
    .chain((entries) =>
      fc
        .constantFrom(
          { sent: Object.fromEntries(entries.map(([key, v]) => [key, v.sent])) },
          { sent: entries.map(([key, v]) => [key, v.sent]) },
        )
        .map(({ sent }) => ({ sent, back: Object.fromEntries(entries.map(([key, v]) => [key, v.back])) })),
    );

  const valueOf = (datatype: string, start: string | undefined): fc.Arbitrary<Pair> | undefined =>
    ({
      int: integer,
      double: number,
      string: text,
      int_array: fc.array(integer, { maxLength: 3 }).map(pairs),
      double_array: fc.array(number, { maxLength: 3 }).map(pairs),
      xy,
      xy_array: xyArray,
      txy: txy(start),
      sy,
    })[datatype];

  const TYPES = ['reservoir', 'plant', 'generator', 'gate', 'market', 'busbar', 'river'];
  /** Input attributes of a type whose datatype this test generates. */
  const inputs = (type: string) =>
    attributesOf(type).filter((a) => a.isInput !== false && a.datatype && valueOf(a.datatype, undefined));

  /** The attributes of one object. */
  const attributesFor = (type: string, start: string | undefined) =>
    fc.subarray([...inputs(type)], { maxLength: Math.min(4, inputs(type).length) }).chain((chosen) =>
      fc.tuple(...chosen.map((a) => valueOf(a.datatype!, start)!)).map((values) => ({
        sent: Object.fromEntries(chosen.map((a, i) => [a.name, values[i].sent])),
        back: Object.fromEntries(chosen.map((a, i) => [a.name, values[i].back])),
      })),
    );

  /** A time node: time_unit is "hour" when not given; a time resolution as given. */
  const time = fc.option(
    fc
      .record({
        start: timestamp(0),
        end: fc.integer({ min: 1, max: 48 }).chain(timestamp),
        unit: fc.constantFrom(undefined, 'hour', 'minute'),
        resolution: fc.constantFrom(undefined, 1, 60),
      })
      .map(({ start, end, unit, resolution }) => ({
        sent: {
          start_time: start.sent,
          end_time: end.sent,
          ...(unit && { time_unit: unit }),
          ...(resolution && { time_resolution: resolution }),
        },
        back: {
          start_time: start.back,
          end_time: end.back,
          time_unit: unit ?? 'hour',
          ...(resolution && { time_resolution: { values: [[resolution]] } }),
        },
      })),
    { nil: undefined },
  );

  /** Relation types in any of the accepted names, answered in the docs' vocabulary (§10 item 6). */
  const RELATION = { default: 'default', standard: 'default', connection_standard: 'default' } as const;

  const documentPair = time.chain((timeNode) => {
    const start = (timeNode?.back as { start_time?: string } | undefined)?.start_time;
    const objects = fc.uniqueArray(
      fc
        .tuple(fc.constantFrom(...TYPES), name)
        .chain(([type, objectName]) =>
          attributesFor(type, start).map((attributes) => ({ type, objectName, attributes })),
        ),
      { selector: ({ type, objectName }) => `${type}/${objectName}`, maxLength: 5 },
    );
    return objects.chain((list) => {
      const candidates = list.flatMap((from) =>
        list.filter((to) => to !== from && connectionAllowed(from.type, to.type)).map((to) => ({ from, to })),
      );
      const connection = fc.record({
        relation: fc.constantFrom(undefined, ...Object.keys(RELATION)),
        direction: fc.constantFrom(undefined, 'both', 'input', 'output'),
        order: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      });
      return fc.subarray(candidates, { maxLength: Math.min(4, candidates.length) }).chain((chosen) =>
        fc.tuple(...chosen.map(() => connection)).map((details) => {
          const model: {
            sent: Record<string, Record<string, unknown>>;
            back: Record<string, Record<string, unknown>>;
          } = { sent: {}, back: {} };
          for (const { type, objectName, attributes } of list) {
            (model.sent[type] ??= {})[objectName] = attributes.sent;
            (model.back[type] ??= {})[objectName] = attributes.back;
          }
          const connections = chosen.map(({ from, to }, i) => {
            const { relation, direction, order } = details[i];
            const ends = { from: from.objectName, from_type: from.type, to: to.objectName, to_type: to.type };
            return {
              sent: {
                ...ends,
                ...(relation && { relation_type: relation }),
                ...(direction && { relation_direction: direction }),
                ...(order !== undefined && { order }),
              },
              back: {
                ...ends,
                relation_type: RELATION[(relation ?? 'default') as keyof typeof RELATION],
                relation_direction: direction ?? 'both',
                ...(order !== undefined && { order }),
              },
            };
          });
          return {
            sent: {
              ...(timeNode && { time: timeNode.sent }),
              model: model.sent,
              connections: connections.map((c) => c.sent),
            },
            back: {
              ...(timeNode && { time: timeNode.back }),
              model: model.back,
              connections: connections.map((c) => c.back),
            },
          };
        }),
      );
    });
  });

  it('answers GET /model with what it accepted, in canonical form, which reads back unchanged', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(documentPair, async ({ sent, back }) => {
        const model = await inFreshSession(t, token, sent);
        if (model === undefined) return;
        accepted++;
        expect(JSON.parse(model)).toEqual(back);
        // The canonical form is a fixed point: sent again, it reads back byte for byte.
        expect(await inFreshSession(t, token, model)).toBe(model);
      }),
      { numRuns: 40 },
    );
    // The generator makes documents that the reader takes, mostly: the property is not vacuous.
    expect(accepted).toBeGreaterThan(20);
  });
});

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  query: string[];
  body: string[] | undefined;
}

/**
 * Every operation of the OpenAPI document, called with generated path, query and session_id
 * values and bodies (ids past PostgreSQL's integer, negative, fractional, hostile text, wrong
 * types): whatever a client sends, the answer is never a 5xx.
 */
describe('every operation with generated parameters', () => {
  let fuzzToken: string;
  /** The users whose tokens this file uses: a PATCH on one could revoke it. */
  let protectedIds: string[];
  let session: number;
  let operations: Operation[];

  beforeAll(async () => {
    // An admin of the test's own; generated requests never name its id or the file's admin's.
    const admin = await t.createUser(token, {
      email: 'fuzz-admin@tarn.io',
      password: 'fuzz-password-1',
      account_name: 'fuzz',
      roles: ['admin'],
    });
    fuzzToken = admin.token;
    const fileAdmin = (await t.http().get('/api/v1/users/me').set('Authorization', token)).body.id as number;
    protectedIds = [String(admin.id), String(fileAdmin)];
    session = (await t.http().post('/api/v1/session').set('Authorization', fuzzToken).send({})).body.session_id;
    const document = (await t.http().get('/api/docs-json')).body as Json;
    operations = Object.entries(document.paths as Json).flatMap(([path, byMethod]) =>
      Object.entries(byMethod as Json).map(([method, operation]: [string, Json]) => {
        const parameters = (operation.parameters ?? []) as Json[];
        const schema = operation.requestBody?.content?.['application/json']?.schema as Json | undefined;
        const properties = schema?.$ref
          ? Object.keys(document.components.schemas[String(schema.$ref).split('/').pop()!].properties ?? {})
          : Object.keys(schema?.properties ?? {});
        return {
          method: method as Operation['method'],
          path,
          query: parameters.filter((p) => p.in === 'query').map((p) => String(p.name)),
          body: operation.requestBody ? properties : undefined,
        };
      }),
    );
    expect(operations.length).toBeGreaterThan(30);
  });

  const hostile = fc.constantFrom(
    '2147483648',
    '99999999999999999999',
    '-1',
    '0',
    '1.5',
    '1e3',
    '0x10',
    'NaN',
    'null',
    '\u0000',
    '\ud800',
    '__proto__',
    ' 1',
    '[]',
    '%',
    '%zz',
  );
  const text = fc.oneof(hostile, fc.integer({ min: -3, max: 5 }).map(String), fc.string({ maxLength: 12 }));
  const value = fc.oneof(
    text,
    fc.integer(),
    fc.double(),
    fc.constantFrom(2147483648, 1e300, -1, 0, true, null),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const call = fc.integer({ min: 0, max: 10_000 }).chain((index) => {
    const operation = operations[index % operations.length];
    return fc.record({
      operation: fc.constant(operation),
      path: fc.array(text, { minLength: 3, maxLength: 3 }),
      query: fc
        .subarray(operation.query)
        .chain((names) => fc.tuple(...names.map((name) => fc.tuple(fc.constant(name), text)))),
      session: fc.oneof(fc.constant(String(session)), text, fc.constant(undefined)),
      body:
        operation.body === undefined
          ? fc.constant(undefined)
          : fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.constantFrom(...operation.body, 'x'), value)),
    });
  });

  /** A path segment; a lone surrogate as the bytes it would be (invalid UTF-8 for the server). */
  const encode = (segment: string) => {
    try {
      return encodeURIComponent(segment);
    } catch {
      return '%ED%A0%80';
    }
  };

  it('never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(call, async ({ operation, path, query, session: sessionId, body }) => {
        let parameter = 0;
        const url = operation.path.replace(/\{[^}]+\}/g, () => {
          const generated = path[parameter++];
          return encode(protectedIds.includes(generated) ? '2147483647' : generated);
        });
        let request = t.http()[operation.method](url).set('Authorization', fuzzToken);
        if (query.length) request = request.query(Object.fromEntries(query));
        // A header carries bytes: text outside latin-1 cannot be sent as one (the client refuses it).
        if (sessionId !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(sessionId)) {
          request = request.set('session_id', sessionId);
        }
        const response = await (body === undefined
          ? request
          : request.set('Content-Type', 'application/json').send(JSON.stringify(body)));
        const answer = `${operation.method.toUpperCase()} ${url}: ${response.status} ${response.text.slice(0, 300)}`;
        expect(response.status < 500 ? 'not a 5xx' : answer).toBe('not a 5xx');
      }),
      { numRuns: 300 },
    );
  });
});
