import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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
