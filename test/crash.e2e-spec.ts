import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SERVER_STOPPED_RUNNING } from '../src/jobs/runs.service.js';
import { eventually } from './support/eventually.js';
import { fetchClient } from './support/fetch-client.js';
import { type Server, freePort, killServers, startServer, waitForHealth } from './support/processes.js';
import { parseEvents } from './support/sse.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, dropSchema, newSchemaName } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
/** Far more iterations than the test lets it solve: the run is still running when its server is killed. */
const ENDLESS = { commands: ['start sim 100000'] };
/** Another replica may fail a dead server's run only after the heartbeat timeout, checked every interval. */
const HEARTBEAT = { TARN_RUN_HEARTBEAT_INTERVAL: '1s', TARN_RUN_HEARTBEAT_TIMEOUT: '2s' };
const shared = process.env.DATABASE_URL !== undefined;

/**
 * `kill -9` of a built server during a solve, then a start of a new one on the same data: the
 * embedded database's new owner fails the run before it answers; a shared PostgreSQL's servers
 * do once the run's heartbeat has stopped for TARN_RUN_HEARTBEAT_TIMEOUT.
 */
describe('a server killed during a run, started again on the same data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tarn-crash-'));
  const schema = newSchemaName();
  const env: Record<string, string> = {
    TARN_DATA_DIR: dataDir,
    ...(shared ? { DATABASE_URL: process.env.DATABASE_URL!, TARN_DATABASE_SCHEMA: schema, ...HEARTBEAT } : {}),
    TARN_ADMIN_EMAIL: ADMIN_EMAIL,
    TARN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TARN_SOLVER_POOL_SIZE: '1',
  };
  let base = '';
  let token = '';
  const call = fetchClient(
    () => base,
    () => token,
  );
  afterAll(async () => {
    await killServers();
    rmSync(dataDir, { recursive: true, force: true });
    if (shared) await dropSchema(process.env.DATABASE_URL!, schema);
  });

  async function start(): Promise<Server> {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    return startServer(['-p', String(port), '-l', '127.0.0.1'], env);
  }

  it('fails the run at once, with the reason in its runs and log, and keeps the results from before', async () => {
    const first = await start();
    await waitForHealth(Number(new URL(base).port), first);
    token = (
      (await call('POST', '/api/requestAuthToken', undefined, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }))
        .body as Json
    ).auth_token;
    const session = (await call('POST', '/api/v1/session', undefined, {})).body.session_id as number;
    expect((await call('PUT', '/api/v1/model', session, BASIC)).status).toBe(200);
    const results = async () => (await call('GET', '/api/v1/model?isInput=false', session)).body;
    const before = await results();
    expect(before.model.objective.average_objective.solver_status).toBe('optimal');
    const iterations = async () =>
      ((await call('GET', '/api/v1/session/log', session)).body as Json[])
        .map((m) => /^Iteration (\d+) /.exec(m.message)?.[1])
        .filter((n) => n !== undefined)
        .map(Number);
    const solvedBefore = Math.max(...(await iterations()));

    const accepted = await call('PUT', '/api/v1/model?wait=false', session, ENDLESS);
    expect(accepted.status).toBe(202);
    const runId = accepted.body.run_id as number;
    const run = async () => (await call('GET', `/api/v1/session/runs/${runId}`, session)).body;
    // Killed mid-solve: after it has solved iterations beyond the earlier run's, and still running.
    await eventually(async () => expect(Math.max(...(await iterations()))).toBeGreaterThan(solvedBefore + 1), {
      timeoutMs: 30_000,
      what: 'iterations of the endless run',
    });
    expect((await run()).status).toBe('running');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start();
    // When the new server first answers GET /, to the millisecond the polling allows.
    const answered = await eventually(
      async () => {
        if (second.child.exitCode !== null) throw new Error(`the server exited:\n${second.output()}`);
        expect((await fetch(`${base}/`)).status).toBe(200);
        return performance.now();
      },
      { timeoutMs: 45_000, intervalMs: 10, what: 'the restarted server' },
    );
    const failed = await eventually(
      async () => {
        const now = await run();
        expect(now.status).toBe('failed');
        return { run: now, ms: performance.now() - answered };
      },
      // The embedded database's new owner fails it before answering; a replica on PostgreSQL within a heartbeat window.
      { timeoutMs: shared ? 4000 : 1000, intervalMs: 10, what: 'the killed run to be failed' },
    );
    console.log(`crash: the killed run was failed ${failed.ms.toFixed(0)} ms after GET / first answered`);
    expect(failed.run).toMatchObject({
      status: 'failed',
      message: SERVER_STOPPED_RUNNING,
      finished: expect.any(String),
    });
    const runs = (await call('GET', '/api/v1/session/runs', session)).body as Json[];
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([
      [runs[0].run_id, 'done'],
      [runId, 'failed'],
    ]);
    // A client following the run now gets its end: the failure.
    const events = parseEvents((await call('GET', `/api/v1/session/runs/${runId}/events`, session)).text);
    expect(events).toEqual([{ event: 'end', data: expect.objectContaining({ run_id: runId, status: 'failed' }) }]);
    const log = (await call('GET', '/api/v1/session/log', session)).body as Json[];
    expect(log.at(-1)).toMatchObject({ level: 'ERROR', message: `Run ${runId} failed: ${SERVER_STOPPED_RUNNING}` });

    // The results and the solver state are the earlier run's: the next run goes on from its last iteration.
    expect(await results()).toEqual(before);
    expect((await call('PUT', '/api/v1/model', session, { commands: ['start sim 1'] })).status).toBe(200);
    const next = (await call('GET', `/api/v1/session/log?since=${log.at(-1)!.id}`, session)).body as Json[];
    expect(next.map((m) => m.message).filter((message) => message.startsWith('Iteration'))).toEqual([
      expect.stringMatching(new RegExp(`^Iteration ${solvedBefore + 1} \\(incremental\\)`)),
    ]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
