import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from './support/test-app.js';
import { signWithServerSecret, unsignedToken } from './support/tokens.js';

describe('POST /api/requestAuthToken', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_AUTH_THROTTLE_LIMIT: '10' } });
  });
  afterAll(() => t.close());

  it('answers good credentials with a HS256 JWT and the user id', async () => {
    const response = await t
      .http()
      .post('/api/requestAuthToken')
      .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ auth_token: expect.any(String), user_id: expect.any(Number) });
    const decoded = jwt.decode(response.body.auth_token, { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    const payload = decoded.payload as jwt.JwtPayload;
    expect(payload.sub).toBe(response.body.user_id);
    expect(payload.exp! - payload.iat!).toBe(6 * 3600);
  });

  it('accepts the email in any case', async () => {
    const response = await t
      .http()
      .post('/api/requestAuthToken')
      .send({ email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD });
    expect(response.status).toBe(200);
  });

  it('answers a wrong password and an unknown email alike, with 401', async () => {
    const wrongPassword = await t
      .http()
      .post('/api/requestAuthToken')
      .send({ email: ADMIN_EMAIL, password: 'nope-nope' });
    const unknownEmail = await t
      .http()
      .post('/api/requestAuthToken')
      .send({ email: 'nobody@tarn.test', password: 'nope-nope' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body.message).toBe('Invalid email or password');
  });

  it('answers a missing or malformed field with 400 naming it', async () => {
    const missing = await t.http().post('/api/requestAuthToken').send({ email: ADMIN_EMAIL });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'password' })]));
    const badEmail = await t.http().post('/api/requestAuthToken').send({ email: 'not-an-email', password: 'x' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.details[0].path).toBe('email');
    const extra = await t.http().post('/api/requestAuthToken').send({ email: ADMIN_EMAIL, password: 'x', admin: true });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toContain('admin');
  });
});

describe('throttling of failed token requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_AUTH_THROTTLE_LIMIT: '10', TARN_AUTH_THROTTLE_TTL: '60s' } });
  });
  afterAll(() => t.close());

  it('does not count successful logins, and answers the 11th failure within a minute with 429', async () => {
    for (let i = 0; i < 12; i++) await t.token();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await t
        .http()
        .post('/api/requestAuthToken')
        .send({ email: ADMIN_EMAIL, password: `wrong-${attempt}` });
      expect(response.status).toBe(401);
    }
    const eleventh = await t.http().post('/api/requestAuthToken').send({ email: ADMIN_EMAIL, password: 'wrong-11' });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(eleventh.headers['retry-after']).toBeDefined();
    // The limit is per client and endpoint: authenticated calls are unaffected.
    const token = signWithServerSecret(t.config, { sub: 1, tv: 0 }, { expiresIn: 60 });
    expect((await t.http().get('/api/v1/users/me').set('Authorization', token)).status).toBe(200);
  });
});

describe('tokens on authenticated endpoints', () => {
  let t: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await startTestApp();
    adminToken = await t.token();
  });
  afterAll(() => t.close());

  const me = (authorization?: string) => {
    const call = t.http().get('/api/v1/users/me');
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };

  it('accepts the token bare and as Bearer', async () => {
    const bare = await me(adminToken);
    expect(bare.status).toBe(200);
    expect(bare.body.email).toBe(ADMIN_EMAIL);
    expect((await me(`Bearer ${adminToken}`)).status).toBe(200);
  });

  it.each([
    ['no token', undefined, /Authentication required/],
    ['garbage', 'garbage', /malformed/],
    ['an empty Bearer', 'Bearer ', /Authentication required|malformed/],
  ])('refuses %s with 401', async (_, header, message) => {
    const response = await me(header);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(message);
  });

  it('refuses a token signed with another key', async () => {
    const forged = jwt.sign({ sub: 1, tv: 0 }, 'another secret of sufficient length 0123456789', { expiresIn: 60 });
    const response = await me(forged);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/signature/);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    expect((await me(unsignedToken(1))).status).toBe(401);
  });

  it('refuses a token of another HMAC algorithm even with the right key', async () => {
    const token = signWithServerSecret(t.config, { sub: 1, tv: 0 }, { algorithm: 'HS512', expiresIn: 60 });
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/algorithm/);
  });

  it('refuses a token without exp, or without iat', async () => {
    const noExp = signWithServerSecret(t.config, { sub: 1, tv: 0 });
    expect((await me(noExp)).status).toBe(401);
    expect((await me(noExp)).body.message).toMatch(/exp/);
    const noIat = signWithServerSecret(
      t.config,
      { sub: 1, tv: 0, exp: Math.floor(Date.now() / 1000) + 60 },
      { noTimestamp: true },
    );
    expect((await me(noIat)).status).toBe(401);
  });

  it('refuses a token for a user that does not exist', async () => {
    const token = signWithServerSecret(t.config, { sub: 999999, tv: 0 }, { expiresIn: 60 });
    expect((await me(token)).status).toBe(401);
  });

  it('refuses the old token after a password change, accepts a new one', async () => {
    const user = await t.createUser(adminToken, {
      email: 'changer@tarn.test',
      password: 'first-password',
      account_name: 'Tarn',
    });
    expect((await me(user.token)).status).toBe(200);
    const changed = await t
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .set('Authorization', user.token)
      .send({ password: 'second-password' });
    expect(changed.status).toBe(200);
    const old = await me(user.token);
    expect(old.status).toBe(401);
    expect(old.body.message).toMatch(/revoked/);
    expect((await me(await t.token('changer@tarn.test', 'second-password'))).status).toBe(200);
    expect(
      (await t.http().post('/api/requestAuthToken').send({ email: 'changer@tarn.test', password: 'first-password' }))
        .status,
    ).toBe(401);
  });

  it('refuses every token of a deactivated user, and their login', async () => {
    const user = await t.createUser(adminToken, {
      email: 'leaver@tarn.test',
      password: 'leaver-password',
      account_name: 'Tarn',
    });
    const off = await t
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .set('Authorization', adminToken)
      .send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await me(user.token)).status).toBe(401);
    expect(
      (await t.http().post('/api/requestAuthToken').send({ email: 'leaver@tarn.test', password: 'leaver-password' }))
        .status,
    ).toBe(401);
  });
});

describe('token lifetime', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_TOKEN_LIFETIME: '2m' } });
  });
  afterAll(() => t.close());

  it('issues tokens that expire TARN_TOKEN_LIFETIME after they were issued', async () => {
    const token = await t.token();
    const payload = jwt.decode(token) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(120);
    expect((await t.http().get('/api/v1/users/me').set('Authorization', token)).status).toBe(200);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signWithServerSecret(t.config, { sub: 1, tv: 0, iat: now - 180, exp: now - 60 });
    const expired = await t.http().get('/api/v1/users/me').set('Authorization', token);
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired/);
  });
});
