import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Json } from './support/json.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * PUT /model over HTTP with generated bodies (JSON and YAML; valid, mutated and hostile): the
 * server never answers 5xx, and a rejected upload leaves the stored model byte-identical.
 */
describe('PUT /model with generated bodies', () => {
  let t: TestApp;
  let token: string;
  let session: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'silent' } });
    token = await t.token();
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
  afterAll(() => t.close());

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

  it('never answers 5xx; what it refuses changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(body, async ({ type, text }) => {
        const before = await stored();
        const response = await put(text, type);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(await stored()).toBe(before);
      }),
      { numRuns: 80 },
    );
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
  let t: TestApp;
  let token: string;
  let ownId: number;
  let session: number;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'silent' } });
    // An admin of the test's own, whose id generated requests never name: a PATCH on it could
    // revoke the token and leave every later request a 401.
    const admin = await t.createUser(await t.token(), {
      email: 'fuzz-admin@tarn.io',
      password: 'fuzz-password-1',
      account_name: 'fuzz',
      roles: ['admin'],
    });
    token = admin.token;
    ownId = admin.id;
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
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
  afterAll(() => t.close());

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
          return encode(generated === String(ownId) ? String(ownId + 1) : generated);
        });
        let request = t.http()[operation.method](url).set('Authorization', token);
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
