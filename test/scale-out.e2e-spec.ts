import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { jobIdOf } from '../src/jobs/queue-connection.js';
import { cascadeModel } from '../src/solver/examples/cascade-model.js';
import { eventually } from './support/eventually.js';
import { fetchClient } from './support/fetch-client.js';
import { type Server, WORKER, freePort, startServer, waitForHealth, waitForOutput } from './support/processes.js';
import { describeQueue, dropQueue, newQueuePrefix } from './support/queue.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, dropSchema, newSchemaName, startTestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
/** 20 reservoirs x 168 hours with binaries and a zero MIP gap: each iteration takes a second or more. */
const CASCADE = cascadeModel({ reservoirs: 20, hours: 168, commands: [] });
const LONG_COMMANDS = ['set universal_mip /on', 'set mipgap /relative 0', 'set code /full', 'start sim 20'];
/** About 7 s of LP iterations on the cascade: long enough to be killed in, short enough to run again. */
const KILLABLE_COMMANDS = ['set code /full', 'start sim 10', 'set code /incremental', 'start sim 10'];

/**
 * The deployment of the README's "Scale-out" section, as real processes: two API replicas
 * (`node dist/main.js`) and two workers (`node dist/worker.js`) on this machine's PostgreSQL
 * and Redis, sharing one schema and one queue.
 */
describeQueue('scale-out: two API processes and two worker processes on PostgreSQL and Redis', () => {
  const schema = newSchemaName();
  const prefix = newQueuePrefix();
  const env: Record<string, string> = {
    DATABASE_URL: process.env.DATABASE_URL!,
    TARN_DATABASE_SCHEMA: schema,
    REDIS_URL: process.env.REDIS_URL!,
    TARN_QUEUE_PREFIX: prefix,
    TARN_ADMIN_EMAIL: ADMIN_EMAIL,
    TARN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TARN_JWT_SECRET: 'scale-out-test-secret-of-32-chars-or-more',
    TARN_AUTH_THROTTLE_LIMIT: '1000',
    TARN_MAX_SESSIONS: '100',
    TARN_SOLVER_POOL_SIZE: '2',
    TARN_WORKER_CONCURRENCY: '2',
    // Every run is the admin's: its account may use both workers' slots (the default is one worker's pool).
    TARN_MAX_RUNS_PER_ACCOUNT: '4',
    // A dead worker's job is found stalled within seconds (the default is 30 s).
    TARN_WORKER_LOCK_TIMEOUT: '3s',
    TARN_LOG_LEVEL: 'info',
  };
  const apis: Array<{ server: Server; port: number }> = [];
  const workers: Server[] = [];
  let token: string;
  let reference: number;

  async function startApi(): Promise<{ server: Server; port: number }> {
    const port = await freePort();
    const server = startServer(['-p', String(port), '-l', '127.0.0.1'], env);
    await waitForHealth(port, server);
    return { server, port };
  }
  async function startWorker(): Promise<Server> {
    const worker = startServer([], env, WORKER);
    await waitForOutput(worker, /Taking solve jobs from queue/);
    return worker;
  }

  const call = (api: number, method: string, path: string, session?: number, body?: unknown) =>
    fetchClient(
      () => `http://127.0.0.1:${apis[api].port}`,
      () => token,
    )(method, path, session, body);
  const newSession = async (api: number) => (await call(api, 'POST', '/api/v1/session', undefined, {})).body.session_id;
  const runsOf = async (api: number, session: number) =>
    (await call(api, 'GET', '/api/v1/session/runs', session)).body as Json[];
  const untilRun = (api: number, session: number, done: (run: Json) => boolean, timeoutMs: number) =>
    eventually(
      async () => {
        const run = (await runsOf(api, session)).at(-1);
        if (!run || !done(run)) throw new Error(`the last run is ${JSON.stringify(run)}`);
        return run;
      },
      { timeoutMs, intervalMs: 20, what: `a run of session ${session}` },
    );
  /** Resolves once the session's log has an iteration after the message `since`. */
  const untilIteration = (api: number, session: number, since = 0) =>
    eventually(
      async () => {
        const log = (await call(api, 'GET', `/api/v1/session/log?since=${since}`, session)).body as Json[];
        expect(log.some((m) => /^Iteration \d+ \(/.test(m.message))).toBe(true);
      },
      { timeoutMs: 30_000, what: `an iteration in the log of session ${session}` },
    );
  const lastLogId = async (api: number, session: number) =>
    ((await call(api, 'GET', '/api/v1/session/log', session)).body as Json[]).at(-1)?.id ?? 0;

  beforeAll(async () => {
    // The reference: the same model solved by the in-process runner.
    const local = await startTestApp();
    try {
      const t = await local.token();
      const id = (await local.http().post('/api/v1/session').set('Authorization', t).send({})).body.session_id;
      await local.http().put('/api/v1/model').set('Authorization', t).set('session_id', String(id)).send(BASIC);
      const results = await local
        .http()
        .get('/api/v1/model?isInput=false&objectType=objective')
        .set('Authorization', t)
        .set('session_id', String(id));
      reference = results.body.model.objective.average_objective.grand_total;
    } finally {
      await local.close();
    }
    // The first API creates the schema and the admin; the others start on them.
    apis.push(await startApi());
    const [second, ...started] = await Promise.all([startApi(), startWorker(), startWorker()]);
    apis.push(second);
    workers.push(...started);
    const answer = await fetch(`http://127.0.0.1:${apis[0].port}/api/requestAuthToken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    token = ((await answer.json()) as Json).auth_token;
  }, 60_000);

  afterAll(async () => {
    for (const server of [...apis.map((a) => a.server), ...workers]) server.child.kill('SIGKILL');
    await Promise.all([...apis.map((a) => a.server.exited), ...workers.map((w) => w.exited)]);
    await dropSchema(process.env.DATABASE_URL!, schema);
    await dropQueue(prefix);
  });

  it('20 sessions created through both APIs solve the basic model at once; every result equals in-process mode', async () => {
    const sessions = await Promise.all(Array.from({ length: 20 }, (_, i) => newSession(i % 2)));
    const started = performance.now();
    const answers = await Promise.all(
      sessions.map((session, i) => call(i % 2, 'PUT', '/api/v1/model', session, BASIC)),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(answers.map((a) => a.status)).toEqual(sessions.map(() => 200));
    console.log(`scale-out: 20 basic-model runs through 2 APIs and 2 workers in ${seconds.toFixed(2)} s`);
    for (const [i, session] of sessions.entries()) {
      // Read through the other replica: both see every session's results.
      const results = await call(1 - (i % 2), 'GET', '/api/v1/model?isInput=false&objectType=objective', session);
      const objective = results.body.model.objective.average_objective;
      expect(objective.solver_status).toBe('optimal');
      // The LP iterations have no MIP gap: the same optimum to the solver's tolerance.
      expect(Math.abs(objective.grand_total - reference)).toBeLessThan(1e-6 * Math.abs(reference));
      expect((await runsOf(i % 2, session)).at(-1)).toMatchObject({ status: 'done', attempts: 1 });
    }
  }, 120_000);

  it('a cancel sent to the API replica that did not enqueue the job stops it', async () => {
    const session = await newSession(0);
    expect((await call(0, 'PUT', '/api/v1/model', session, CASCADE)).status).toBe(200);
    const accepted = await call(0, 'PUT', '/api/v1/model?wait=false', session, { commands: LONG_COMMANDS });
    expect(accepted.status).toBe(202);
    await untilIteration(1, session); // the worker is in the solve
    const sent = performance.now();
    expect((await call(1, 'POST', '/api/v1/session/cancel', session)).status).toBe(200);
    const run = await untilRun(1, session, (r) => r.status !== 'running', 10_000);
    const seconds = (performance.now() - sent) / 1000;
    console.log(`scale-out: cancel through the other replica took effect in ${seconds.toFixed(3)} s`);
    expect(run.status).toBe('cancelled'); // the figure only: npm run bench measures it
  }, 60_000);

  it('kill -9 of the worker during a solve: the run is started again by the other worker and done; nothing is lost', async () => {
    const session = await newSession(0);
    expect((await call(0, 'PUT', '/api/v1/model', session, BASIC)).status).toBe(200);
    const before = (await call(1, 'GET', '/api/v1/model?isInput=false&objectType=objective', session)).body.model;
    expect((await call(0, 'PUT', '/api/v1/model', session, CASCADE)).status).toBe(200);
    const since = await lastLogId(1, session);
    // Synchronous: the PUT waits through the worker's death and the retry.
    const waiting = call(0, 'PUT', '/api/v1/model', session, { commands: KILLABLE_COMMANDS });
    const run = await untilRun(1, session, (r) => r.status === 'running' && r.commands[1] === 'start sim 10', 30_000);
    await untilIteration(1, session, since); // the worker is in the solve

    const redis = new Redis(process.env.REDIS_URL!);
    const holder = await redis.hget(`${prefix}:solve:${jobIdOf(run.run_id, run.created)}`, 'pb');
    redis.disconnect();
    const pid = Number(holder?.split(':').at(-1));
    const victim = workers.find((w) => w.child.pid === pid)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    await victim.exited;
    // During the retry the earlier results are still there (results are written once, at the end).
    const during = (await call(1, 'GET', '/api/v1/model?isInput=false&objectType=objective', session)).body.model;
    expect(during).toEqual(before);

    const answer = await waiting;
    expect(answer.status).toBe(200);
    const [ended] = (await runsOf(1, session)).filter((r) => r.run_id === run.run_id);
    expect(ended).toMatchObject({ status: 'done', attempts: 2 });
    const after = (await call(1, 'GET', '/api/v1/model?isInput=false&objectType=objective', session)).body;
    expect(after.model.objective.average_objective.solver_status).toBe('optimal');
    workers.splice(workers.indexOf(victim), 1, await startWorker());
  }, 120_000);

  it('an API replica killed while a synchronous PUT waits loses nothing: the run finishes and its results are readable', async () => {
    const session = await newSession(1);
    const waiting = call(1, 'PUT', '/api/v1/model', session, BASIC).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await untilRun(0, session, (r) => r.status === 'running' || r.status === 'done', 30_000);
    apis[1].server.child.kill('SIGKILL');
    expect(await waiting).toBe('fetch failed');
    const run = await untilRun(0, session, (r) => r.status === 'done', 30_000);
    expect(run).toMatchObject({ status: 'done', solver_status: 'optimal' });
    const results = (await call(0, 'GET', '/api/v1/model?isInput=false&objectType=objective', session)).body;
    expect(results.model.objective.average_objective.grand_total).toBeCloseTo(reference, 4);
    apis[1] = await startApi();
  }, 60_000);
});
