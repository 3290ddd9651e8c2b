import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('health and API root', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET / answers SHOP Server\'s health check: 200 text/plain "OK\\r\\n\\r\\n", no token needed', async () => {
    const response = await t
      .http()
      .get('/')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.body).toBe('OK\r\n\r\n');
  });

  it('GET /api lists the live versions without a token', async () => {
    const response = await t.http().get('/api');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      server_version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      message: expect.stringContaining('/api/requestAuthToken'),
      status: 200,
      versions: ['v1'],
    });
  });

  it('readiness checks the database; liveness answers', async () => {
    expect((await t.http().get('/health/ready')).body).toEqual({
      status: 'ok',
      database: 'up',
      redis: 'not configured',
      solver: 'up',
    });
    expect((await t.http().get('/health/live')).status).toBe(200);
  });

  it('GET /api/v1 needs a token and then lists its endpoints', async () => {
    expect((await t.http().get('/api/v1')).status).toBe(401);
    const response = await t
      .http()
      .get('/api/v1')
      .set('Authorization', await t.token());
    expect(response.status).toBe(200);
    expect(response.body.version).toBe('v1');
    expect(response.body.status).toBe('live');
    expect(response.body.endpoints).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/api/v1/users' },
        { method: 'PATCH', path: '/api/v1/users/:id' },
        { method: 'GET', path: '/api/v1/admin/deprecations' },
      ]),
    );
  });

  it('serves Swagger UI and the OpenAPI document with a bearer "Authorize"', async () => {
    const ui = await t.http().get('/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await t.http().get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.paths['/api/requestAuthToken'].post.requestBody).toBeDefined();
    expect(doc.body.components.schemas.RequestAuthTokenDto.required).toEqual(['email', 'password']);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await t
      .http()
      .get('/no/such/thing')
      .set('Authorization', await t.token());
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('echoes a client X-Request-Id and makes one otherwise', async () => {
    expect((await t.http().get('/api').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    expect((await t.http().get('/api')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
