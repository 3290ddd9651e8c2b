import { describe, expect, it } from '@jest/globals';
import { jobIdOf, redisOptions, runIdOf } from './queue-connection.js';

describe('redisOptions', () => {
  it('reads host, port, user, password and database from REDIS_URL', () => {
    const options = redisOptions('redis://tarn:s%40cret@cache.internal:6380/2');
    expect(options).toMatchObject({ host: 'cache.internal', port: 6380, username: 'tarn', password: 's@cret', db: 2 });
    expect(options.tls).toBeUndefined();
  });

  it('defaults to port 6379 and database 0, and takes rediss:// as TLS', () => {
    const options = redisOptions('rediss://cache');
    expect(options).toMatchObject({ host: 'cache', port: 6379, tls: {} });
    expect(options.db).toBeUndefined();
    expect(options.password).toBeUndefined();
  });

  it('reconnects for ever, backing off to at most 2 s', () => {
    const retry = redisOptions('redis://cache').retryStrategy!;
    expect([1, 5, 10, 1000].map((times) => retry(times))).toEqual([200, 1000, 2000, 2000]);
  });
});

describe('job ids', () => {
  it('name the run and its creation time, and give the run id back', () => {
    const id = jobIdOf(42, '2026-12-01T12:00:00.000Z');
    expect(id).toBe(`run-42-${Date.parse('2026-12-01T12:00:00.000Z')}`);
    expect(runIdOf(id)).toBe(42);
  });

  it('differ for the same run id in a new database', () => {
    expect(jobIdOf(1, '2026-12-01T12:00:00.000Z')).not.toBe(jobIdOf(1, '2026-12-02T08:00:00.000Z'));
  });

  it.each(['run-42', 'run--1-5', 'job-1-2', '42'])('%s is not a run job', (jobId) => {
    expect(runIdOf(jobId)).toBeUndefined();
  });
});
