import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from './support/eventually.js';
import { newSession, type SessionClient } from './support/session-client.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
const { commands: _commands, ...BASIC_MODEL } = BASIC;

/** An upload that touches every part of the model: new objects, attributes of old and new ones, connections, time. */
const CHANGE = {
  time: { ...BASIC.time, end_time: '2018-01-25T00:00:00Z' },
  model: {
    reservoir: {
      Reservoir1: { max_vol: 40, lrl: 861 },
      Reservoir2: { max_vol: 41 },
      Reservoir3: { max_vol: 5, lrl: 100, hrl: 110, vol_head: { ref: 0, x: [0, 5], y: [100, 110] } },
    },
    plant: { Plant1: { outlet_line: 671 } },
    gate: { s_Reservoir3_Reservoir1: {} },
  },
  connections: [
    { from: 'Reservoir3', from_type: 'reservoir', to: 's_Reservoir3_Reservoir1', to_type: 'gate' },
    { from: 's_Reservoir3_Reservoir1', from_type: 'gate', to: 'Reservoir1', to_type: 'reservoir' },
  ],
};

/** The shared PostgreSQL is never restarted: the app reaches it through a proxy that this test "restarts". */
const POSTGRES = process.env.DATABASE_URL !== undefined;
if (!POSTGRES) console.warn('PostgreSQL restart tests NOT RUN: they need DATABASE_URL (PostgreSQL) to be set');

(POSTGRES ? describe : describe.skip)('PostgreSQL restarting while a PUT /model is in flight', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    const real = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) }, 'postgres-starting-up');
    const viaProxy = new URL(real);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestApp({
      env: { DATABASE_URL: viaProxy.toString(), TARN_SOLVER_POOL_SIZE: '1', TARN_RUN_HEARTBEAT_INTERVAL: '1s' },
    });
    token = await t.token();
  });
  // A failed test leaves the database "down" no longer than itself.
  afterEach(() => proxy.resume());
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  const model = async (session: SessionClient) => (await session.get('/model')).text;

  /** A session holding the basic model (no run), and its GET /model; another with CHANGE merged into it. */
  async function sessions() {
    const session = await newSession(t, token);
    expect((await session.put(BASIC_MODEL)).status).toBe(200);
    const control = await newSession(t, token);
    expect((await control.put(BASIC_MODEL)).status).toBe(200);
    const changed = await control.put(CHANGE);
    expect([changed.status, changed.body.message]).toEqual([200, undefined]);
    const [before, after] = [await model(session), await model(control)];
    expect(after).not.toBe(before);
    return { session, before, after };
  }

  /** After `resume()`: the pool connects again by itself, and readiness says so. */
  const ready = () =>
    eventually(async () => expect((await t.http().get('/health/ready')).status).toBe(200), {
      what: 'readiness once the database is back',
    });

  it.each([
    ['in the middle of its transaction', 'old', /INSERT INTO model_attribute/, 'before' as const],
    ['with its COMMIT on the way', 'old', /COMMIT/, 'before' as const],
    ['once its COMMIT reached the server, before the answer', 'new', /COMMIT/, 'after' as const],
  ])(
    '%s: answers 503 naming the database, the model is entirely the %s one, the pool reconnects',
    async (_when, expected, pattern, when) => {
      const { session, before, after } = await sessions();
      const cut = proxy.cutWhen(pattern, when);
      const answer = session.put(CHANGE);
      await cut;
      // While it is down: readiness says so; GET / (the SHOP health check) still answers.
      const readiness = await t.http().get('/health/ready');
      expect(readiness.status).toBe(503);
      expect(readiness.body).toMatchObject({ database: 'down' });
      expect((await t.http().get('/')).status).toBe(200);
      // A request that needs the database meanwhile: the same 503, not a 500.
      const read = await session.get('/model');
      expect(read.status).toBe(503);
      expect(read.body.message).toMatch(/^The database is unavailable: /);
      const response = await answer;
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(response.body.message).toMatch(/^The database is unavailable/);
      expect(response.text).not.toMatch(/\bat .*\.js:\d+/);

      proxy.resume();
      await ready();
      expect(await model(session)).toBe(expected === 'old' ? before : after);
      // Writes work again, on the same server.
      expect((await session.put(CHANGE)).status).toBe(200);
      expect(await model(session)).toBe(after);
    },
  );

  it('during the run of its commands: answers 503; once the database is back the run is failed and the earlier results stay', async () => {
    const session = await newSession(t, token);
    expect((await session.put(BASIC)).status).toBe(200);
    const results = async () => (await session.get('/model?isInput=false')).text;
    const before = await results();
    // The run's results are the first attribute rows this upload writes (it brings commands only).
    const cut = proxy.cutWhen(/INSERT INTO model_attribute/, 'before');
    const answer = session.put({ commands: ['start sim 2'] });
    await cut;
    const response = await answer;
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/^The database is unavailable/);

    proxy.resume();
    await ready();
    const run = await eventually(
      async () => {
        const run = (await session.runs()).at(-1)!;
        expect(run.status).toBe('failed');
        return run;
      },
      { what: 'the run to be failed' },
    );
    expect(run.message).toMatch(/^the database was unavailable during the run: (connection lost|no connection)/);
    expect(await results()).toBe(before);
    // The session goes on: the next run solves.
    expect((await session.put({ commands: ['start sim 1'] })).status).toBe(200);
    expect((await session.runs()).at(-1)).toMatchObject({ status: 'done' });
  });
});
