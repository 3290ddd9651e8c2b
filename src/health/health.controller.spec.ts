import { describe, expect, it } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/tarn-config.js';
import { HealthController } from './health.controller.js';
import { RedisCheck, type RedisState } from './redis-check.js';

function controller(database: 'up' | 'down', redis: RedisState): HealthController {
  const dataSource = {
    query: async () => {
      if (database === 'down') throw new Error('connection refused');
      return [{ '?column?': 1 }];
    },
  } as unknown as DataSource;
  return new HealthController(dataSource, { state: async () => redis } as RedisCheck);
}

async function refusal(sut: HealthController): Promise<ServiceUnavailableException> {
  const error = await sut.ready().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceUnavailableException);
  return error as ServiceUnavailableException;
}

describe('HealthController readiness', () => {
  it.each<RedisState>(['not configured', 'up'])('is ready with the database up and Redis %s', async (redis) => {
    expect(await controller('up', redis).ready()).toEqual({ status: 'ok', database: 'up', redis });
  });

  it.each<[string, 'up' | 'down', RedisState, string]>([
    ['Redis', 'up', 'down', 'Redis does not answer'],
    ['the database', 'down', 'not configured', 'The database does not answer'],
    ['the database', 'down', 'up', 'The database does not answer'],
    ['both', 'down', 'down', 'The database and Redis do not answer'],
  ])('answers 503 naming %s when it is down', async (_what, database, redis, message) => {
    const error = await refusal(controller(database, redis));
    expect(error.getStatus()).toBe(503);
    expect(error.getResponse()).toEqual({ message, status: 'error', database, redis });
  });
});

describe(RedisCheck.name, () => {
  it('is "not configured" without REDIS_URL', async () => {
    expect(await new RedisCheck(loadConfig([], {})).state()).toBe('not configured');
  });

  it('is "down" when nothing listens at REDIS_URL', async () => {
    expect(
      await new RedisCheck(
        loadConfig([], { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://127.0.0.1:1/tarn' }),
      ).state(),
    ).toBe('down');
  });
});
