import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { jobIdOf } from '../src/jobs/queue-connection.js';
import { eventually } from './support/eventually.js';
import {
  type Call,
  describeQueue,
  dropQueue,
  newQueuePrefix,
  queueEnv,
  startQueueApi,
  startTestWorker,
} from './support/queue.js';
import { newSession, type SessionClient } from './support/session-client.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import type { TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
const { commands: BASIC_COMMANDS, ...BASIC_MODEL } = BASIC;

/**
 * Redis restarting under a queued run. The shared Redis is never restarted: the API and the
 * worker reach it through a proxy that the test "restarts" (every connection dropped, new ones
 * refused, then taken again), and as this Redis keeps nothing on disk, the restart also deletes
 * the test queue's keys (its own prefix only), as a real one would lose them.
 */
describeQueue('Redis restarting while a run is on the queue', () => {
  const prefix = newQueuePrefix();
  let proxy: TcpProxy;
  let api: TestApp;
  let call: Call;
  let env: Record<string, string>;
  let worker: INestApplicationContext | undefined;
  let redis: Redis;

  beforeAll(async () => {
    const real = new URL(process.env.REDIS_URL!);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 6379) });
    const viaProxy = new URL(real);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    env = { ...queueEnv(prefix, viaProxy.toString()), TARN_RUN_HEARTBEAT_INTERVAL: '1s' };
    ({ api, call } = await startQueueApi(env));
    redis = new Redis(process.env.REDIS_URL!);
  });
  afterEach(() => proxy.resume());
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await proxy?.close();
    redis?.disconnect();
    await dropQueue(prefix);
  });

  /** Drops every connection to Redis and, while none can be made, deletes what it held of this queue. */
  async function restartRedis(): Promise<void> {
    proxy.cut();
    await dropQueue(prefix);
    proxy.resume();
  }

  /** The session's last run, once its job is in Redis. */
  async function queuedRun(session: SessionClient): Promise<Json> {
    const run = await eventually(async () => {
      const run = (await session.runs()).at(-1);
      expect(run).toBeDefined();
      return run!;
    });
    const key = `${prefix}:solve:${jobIdOf(run.run_id as number, run.created as string)}`;
    await eventually(async () => (await redis.exists(key)) === 1, { what: 'the job in Redis' });
    return run;
  }

  it('a run still waiting for a worker is queued again by its API process; it completes, its client gets the answer', async () => {
    const session = await newSession(call);
    expect((await session.put(BASIC_MODEL)).status).toBe(200);
    const waiting = session.put({ commands: BASIC_COMMANDS });
    const run = await queuedRun(session);
    await restartRedis();
    // The job is back: the API that took the upload has the run's commands and queued them again.
    await queuedRun(session);
    worker = await startTestWorker(api.config.database.schema, env);

    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(await session.runs()).toEqual([
      expect.objectContaining({ run_id: run.run_id, status: 'done', attempts: 1, solver_status: 'optimal' }),
    ]);
    expect((await session.objective()).solver_status).toBe('optimal');
  }, 60_000);

  it('a run being solved goes on: its worker keeps it, hears a cancel after the restart, and the waiting client gets the answer', async () => {
    worker ??= await startTestWorker(api.config.database.schema, env);
    const session = await newSession(call);
    expect((await session.put(BASIC_MODEL)).status).toBe(200);
    const waiting = session.put({ commands: ['start sim 100000'] });
    const iterations = async () => (await session.log()).filter((line) => /^Iteration \d+ /.test(line.message)).length;
    await eventually(async () => expect(await iterations()).toBeGreaterThan(0), {
      timeoutMs: 30_000,
      what: 'the first iteration',
    });
    const before = await iterations();
    await restartRedis();
    // Solving on, and not failed meanwhile by the API, which no longer finds its job.
    await eventually(async () => expect(await iterations()).toBeGreaterThan(before + 2), {
      timeoutMs: 30_000,
      what: 'more iterations after the restart',
    });
    expect((await session.runs()).at(-1)).toMatchObject({ status: 'running' });

    // The cancel reaches the worker over the Redis channel, to which it subscribed again.
    await eventually(async () => expect((await session.cancel()).status).toBe(200), { what: 'a cancel' });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect((await session.runs()).at(-1)).toMatchObject({ status: 'cancelled', attempts: 1 });

    // The queue works again both ways: a new run goes to the worker and back.
    const next = await session.put({ commands: ['start sim 1'] });
    expect(next.status).toBe(200);
    expect((await session.runs()).at(-1)).toMatchObject({ status: 'done' });
  }, 90_000);
});
