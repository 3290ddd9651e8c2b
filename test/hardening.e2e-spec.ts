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
