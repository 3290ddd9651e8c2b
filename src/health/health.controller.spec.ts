import { describe, expect, it } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/tarn-config.js';
import { HealthController } from './health.controller.js';
import { RedisCheck, type RedisState } from './redis-check.js';
import type { SolverCheck, SolverState } from './solver-check.js';

function controller(database: 'up' | 'down', redis: RedisState, solver: SolverState = 'up'): HealthController {
  const dataSource = {
    query: async () => {
      if (database === 'down') throw new Error('connection refused');
      return [{ '?column?': 1 }];
    },
  } as unknown as DataSource;
  return new HealthController(
    dataSource,
    { state: async () => redis } as RedisCheck,
    { state: () => solver } as unknown as SolverCheck,
  );
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
    expect(await controller('up', redis).ready()).toEqual({ status: 'ok', database: 'up', redis, solver: 'up' });
  });

  it.each<[string, 'up' | 'down', RedisState, string]>([
    ['Redis', 'up', 'down', 'Redis does not answer'],
    ['the database', 'down', 'not configured', 'The database does not answer'],
    ['the database', 'down', 'up', 'The database does not answer'],
    ['both', 'down', 'down', 'The database and Redis do not answer'],
  ])('answers 503 naming %s when it is down', async (_what, database, redis, message) => {
    const error = await refusal(controller(database, redis));
    expect(error.getStatus()).toBe(503);
    expect(error.getResponse()).toEqual({ message, status: 'error', database, redis, solver: 'up' });
  });

  it('is ready when this process leaves solving to queue workers', async () => {
    expect(await controller('up', 'up', 'not here').ready()).toEqual({
      status: 'ok',
      database: 'up',
      redis: 'up',
      solver: 'not here',
    });
  });

  it.each<[SolverState, string]>([
    ['starting', 'The solver threads are warming up'],
    ['down', 'The solver threads could not start'],
  ])('answers 503 while the solver is %s', async (solver, message) => {
    const error = await refusal(controller('up', 'not configured', solver));
    expect(error.getResponse()).toEqual({ message, status: 'error', database: 'up', redis: 'not configured', solver });
  });

  it('names every part that is not ready', async () => {
    const error = await refusal(controller('down', 'not configured', 'starting'));
    expect((error.getResponse() as { message: string }).message).toBe(
      'The database does not answer; The solver threads are warming up',
    );
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
