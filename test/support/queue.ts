import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { describe } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/tarn-config.js';
import { WorkerModule } from '../../src/worker.module.js';
import { fetchClient } from './fetch-client.js';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * The BullMQ tests need the PostgreSQL and the Redis of the environment (DATABASE_URL and
 * REDIS_URL; `.ci/run` sets both). Without them they are reported as skipped, and say why.
 */
export const QUEUE_AVAILABLE = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
export const describeQueue = QUEUE_AVAILABLE ? describe : describe.skip;
if (!QUEUE_AVAILABLE) {
  console.warn('BullMQ tests NOT RUN: they need DATABASE_URL (PostgreSQL) and REDIS_URL (Redis) to be set');
}

/** A queue of the test's own: its keys under a fresh prefix, so test files running at once keep apart. */
export const newQueuePrefix = () => `tarn_test_${randomBytes(5).toString('hex')}`;

/** Environment that puts an app or a worker on the test's queue. */
export const queueEnv = (prefix: string, redisUrl = process.env.REDIS_URL!) => ({
  REDIS_URL: redisUrl,
  TARN_QUEUE_PREFIX: prefix,
});

/** A worker (the same module as `npm run worker`) in this process, on the given schema and queue. */
export async function startTestWorker(schema: string, env: Record<string, string>): Promise<INestApplicationContext> {
  const config = loadConfig([], {
    NODE_ENV: 'test',
    TARN_LOG_LEVEL: 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    TARN_DATABASE_SCHEMA: schema,
    TARN_SOLVER_POOL_SIZE: '2',
    ...env,
  });
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  return worker;
}

/** Deletes the queue's keys. */
export async function dropQueue(prefix: string, redisUrl = process.env.REDIS_URL!): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export type Call = ReturnType<typeof fetchClient>;

/** A test app on the queue, listening, with a fetch client that sends the admin's token. */
export async function startQueueApi(env: Record<string, string>): Promise<{ api: TestApp; call: Call }> {
  const api = await startTestApp({ env });
  await api.app.listen(0, '127.0.0.1');
  const base = await api.app.getUrl();
  const token = await api.token();
  return {
    api,
    call: fetchClient(
      () => base,
      () => token,
    ),
  };
}
