import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { WidgetsModule } from './support/widgets.module.js';

describe('bad requests get a clear 4xx, never a 5xx', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_BODY_LIMIT: '1kb' }, features: [WidgetsModule] });
    admin = await t.token();
  });
  afterAll(() => t.close());

  const post = (body: string, contentType = 'application/json') =>
    t.http().post('/api/requestAuthToken').set('Content-Type', contentType).send(body);

  it('malformed JSON is 400 with the JSON error shape', async () => {
    const response = await post('{"email": "a@b.c",');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/^Malformed JSON/),
    });
  });

  it('a body over TARN_BODY_LIMIT is 413', async () => {
    const response = await post(JSON.stringify({ email: 'a@b.io', password: 'x'.repeat(2000) }));
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('1024 bytes');
  });

  it('a body of another content type is 415', async () => {
    const response = await post('email=a@b.io&password=x', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(415);
    expect(response.body.message).toContain('application/json');
    expect((await post('hello', 'text/plain')).status).toBe(415);
  });

  it('an unsupported content encoding is 415', async () => {
    const response = await t
      .http()
      .post('/api/requestAuthToken')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{}');
    expect(response.status).toBe(415);
  });

  it.each([
    'null',
    '[]',
    '"text"',
    '42',
    '[{"email":"a@b.io","password":"x"}]',
    '{"email":{"$ne":null},"password":"x"}',
  ])('an unexpected JSON value %s is a 4xx', async (body) => {
    const response = await post(body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.statusCode).toBe(response.status);
  });

  it('a __proto__ key in a body is refused (422 naming it), never merged into an object prototype', async () => {
    const response = await post('{"email":"a@b.io","password":"x","__proto__":{"admin":true}}');
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual([
      { path: '__proto__', message: expect.stringMatching(/not an allowed key/) },
    ]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each([
    ['a session_id header', 'get', '/api/v1/model', { session_id: '2147483648' }, undefined, 422, 'headers.session_id'],
    [
      'a session_id query parameter',
      'get',
      '/api/v1/session/runs?session_id=99999999999',
      {},
      undefined,
      422,
      'headers.session_id',
    ],
    ['a run id', 'get', '/api/v1/session/runs/2147483648', { session_id: 'SESSION' }, undefined, 400, 'params.id'],
    ['a user id', 'get', '/api/v1/users/99999999999', {}, undefined, 400, 'params.id'],
    ['a user id to change', 'patch', '/api/v1/users/2147483648', {}, { active: false }, 400, 'params.id'],
    ['an account_id filter', 'get', '/api/v1/users?account_id=2147483648', {}, undefined, 400, 'account_id'],
    [
      'an account_id',
      'post',
      '/api/v1/users',
      {},
      { email: 'x@tarn.io', password: 'long-enough-1', account_id: 2147483648 },
      400,
      'account_id',
    ],
    ['a log position', 'get', '/api/v1/session/log?session_id=SESSION&since=1e20', {}, undefined, 400, 'since'],
  ] as const)(
    'an id beyond what the database holds in %s is a 4xx naming it, not a database error',
    async (_what, method, path, headers, body, status, place) => {
      const created = await t.http().post('/api/v1/session').set('Authorization', admin).send({});
      const session = String(created.body.session_id);
      const http = t.http();
      const request = http[method](path.replace('SESSION', session))
        .set('Authorization', admin)
        .set(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('SESSION', session)])));
      const response = await (body === undefined ? request : request.send(body));
      expect(response.status).toBe(status);
      expect(JSON.stringify(response.body.details ?? response.body.message)).toContain(place);
    },
  );

  it('a bug answers 500 with an error id and no stack trace or internals', async () => {
    const response = await t.http().get('/api/v1/widgets/broken').set('Authorization', admin);
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(response.text).not.toContain('/srv/tarn');
    expect(response.text).not.toContain('at ');
  });

  it('sets security headers (helmet) and no X-Powered-By', async () => {
    const response = await t.http().get('/api');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
