import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cascadeModel } from '../src/solver/examples/cascade-model.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

// A run that would take half a minute and more, under a server limit of one second.
const CASCADE = cascadeModel({ reservoirs: 20, hours: 168, commands: [] });
const LONG_COMMANDS = ['set universal_mip /on', 'set mipgap /relative 0', 'set code /full', 'start sim 20'];

describe('TARN_SOLVE_TIME_LIMIT stops a run that takes longer', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_SOLVE_TIME_LIMIT: '1s' } });
    token = await t.token();
  });
  afterAll(() => t.close());

  it('answers 422 naming the limit, records the run as failed, and the session goes on', async () => {
    const session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const put = (body: object) =>
      t.http().put('/api/v1/model').set('Authorization', token).set('session_id', String(session)).send(body);
    expect((await put(CASCADE)).status).toBe(200);

    const response = await put({ commands: LONG_COMMANDS });
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/no solution: time_limit/);
    const log = (
      await t.http().get('/api/v1/session/log').set('Authorization', token).set('session_id', String(session))
    ).body as Json[];
    expect(log.map((m) => m.message)).toContain(
      "Solver: stopped at the server's solve time limit of 1 s (TARN_SOLVE_TIME_LIMIT)",
    );
    const runs = (
      await t.http().get('/api/v1/session/runs').set('Authorization', token).set('session_id', String(session))
    ).body as Json[];
    expect(runs.at(-1)).toMatchObject({ status: 'failed', solver_status: 'time_limit' });
    // Well short of the 20 iterations asked for.
    expect(runs.at(-1)!.iterations).toBeLessThan(20);

    // Nothing is left running: the next upload's commands run at once.
    expect((await put({ commands: ['set universal_mip /off'] })).status).toBe(200);
  }, 120_000);
});
