import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describeQueue, dropQueue, newQueuePrefix, queueEnv } from './support/queue.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const prefix = newQueuePrefix();

function readiness(redisUrl: string | undefined, status: number, body: object) {
  return () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: redisUrl ? queueEnv(prefix, redisUrl) : {} });
    });
    afterAll(() => t.close());

    it(`answers ${status}, reporting the database and Redis apart`, async () => {
      const response = await t.http().get('/health/ready');
      expect(response.status).toBe(status);
      expect(response.body).toEqual(body);
    });

    it('needs no token, and liveness does not depend on Redis', async () => {
      expect((await t.http().get('/health/live')).status).toBe(200);
    });
  };
}

describe(
  'GET /health/ready without REDIS_URL',
  readiness(undefined, 200, { status: 'ok', database: 'up', redis: 'not configured', solver: 'up' }),
);

// With REDIS_URL the app runs on the queue, which needs PostgreSQL (DATABASE_URL) too.
describeQueue(
  'GET /health/ready with a Redis that answers',
  readiness(process.env.REDIS_URL, 200, { status: 'ok', database: 'up', redis: 'up', solver: 'not here' }),
);

describeQueue(
  'GET /health/ready with a Redis that does not answer (the app starts all the same)',
  readiness('redis://127.0.0.1:1', 503, {
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'Redis does not answer',
    status: 'error',
    database: 'up',
    redis: 'down',
    solver: 'not here',
    errorId: expect.any(String),
  }),
);

afterAll(() => (process.env.REDIS_URL ? dropQueue(prefix) : undefined));
