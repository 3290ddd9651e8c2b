import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A Redis for the readiness probe: REDIS_URL when the environment has one, else the local default. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each([
  ['without REDIS_URL', undefined, 200, { status: 'ok', database: 'up', redis: 'not configured' }],
  ['with a Redis that answers', REDIS_URL, 200, { status: 'ok', database: 'up', redis: 'up' }],
  [
    'with a Redis that does not answer',
    'redis://127.0.0.1:1',
    503,
    {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Redis does not answer',
      status: 'error',
      database: 'up',
      redis: 'down',
      errorId: expect.any(String),
    },
  ],
])('GET /health/ready %s', (_what, redisUrl, status, body) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: redisUrl ? { REDIS_URL: redisUrl, TARN_LOG_LEVEL: 'silent' } : {} });
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
});
