import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { WidgetsModule } from './support/widgets.module.js';

const withWidgets = (env: Record<string, string> = {}) => startTestApp({ env, features: [WidgetsModule] });

describe('root aliases, deprecated by default', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await withWidgets();
    admin = await t.token();
  });
  afterAll(() => t.close());

  it('the /api/v1 route is not deprecated', async () => {
    const response = await t.http().get('/api/v1/widgets').set('Authorization', admin);
    expect(response.status).toBe(200);
    expect(response.headers.deprecation).toBeUndefined();
    expect(response.headers.link).toBeUndefined();
  });

  it('the root alias answers the same, with Deprecation and a successor-version Link, and no Sunset', async () => {
    const response = await t.http().get('/widgets').set('Authorization', admin);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ name: 'turbine' }]);
    expect(response.headers.deprecation).toBe('Sun, 01 Nov 2026 00:00:00 GMT');
    expect(response.headers.link).toBe('</api/v1/widgets>; rel="successor-version"');
    expect(response.headers.sunset).toBeUndefined();
  });

  it('error responses of the alias carry the headers too: 401 from the token guard, 400 from validation', async () => {
    const unauthenticated = await t.http().get('/widgets');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.deprecation).toBeDefined();
    const invalid = await t.http().post('/widgets').set('Authorization', admin).send({ name: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.deprecation).toBeDefined();
    expect(invalid.headers.link).toContain('/api/v1/widgets');
  });

  it('a route deprecated in code with @Deprecated() carries its own policy', async () => {
    const response = await t.http().get('/api/v1/widgets/old').set('Authorization', admin);
    expect(response.headers.deprecation).toBe('Mon, 01 Jun 2026 00:00:00 GMT');
    expect(response.headers.link).toBe('</api/v1/widgets>; rel="successor-version"');
  });

  it('the OpenAPI document marks the alias operations deprecated, from the same policy', async () => {
    const doc = (await t.http().get('/api/docs-json')).body;
    expect(doc.paths['/widgets'].get.deprecated).toBe(true);
    expect(doc.paths['/widgets'].get.description).toContain('/api/v1/widgets');
    expect(doc.paths['/api/v1/widgets'].get.deprecated).toBeUndefined();
    expect(doc.paths['/api/v1/widgets/old'].get.deprecated).toBe(true);
    const operationIds = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops as Record<string, { operationId: string }>).map((op) => op.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it("GET /api/v1 shows each endpoint's deprecation state", async () => {
    const response = await t.http().get('/api/v1').set('Authorization', admin);
    const old = response.body.endpoints.find((e: { path: string }) => e.path === '/api/v1/widgets/old');
    expect(old.deprecation).toMatchObject({ deprecation: '2026-06-01T00:00:00.000Z', sunset_active: false });
    expect(
      response.body.endpoints.find((e: { path: string }) => e.path === '/api/v1/widgets').deprecation,
    ).toBeUndefined();
  });

  it('counts deprecated calls per user and route; admins read the report, others get 403', async () => {
    const user = await t.createUser(admin, {
      email: 'script@tarn.test',
      password: 'script-password',
      account_name: 'Scripts',
    });
    for (let i = 0; i < 3; i++) {
      expect((await t.http().get('/widgets').set('Authorization', user.token)).status).toBe(200);
    }
    await t.http().post('/widgets').set('Authorization', user.token).send({ name: 'pump' });
    expect((await t.http().get('/api/v1/admin/deprecations').set('Authorization', user.token)).status).toBe(403);
    const report = await t.http().get('/api/v1/admin/deprecations').set('Authorization', admin);
    expect(report.status).toBe(200);
    const mine = report.body.filter((row: { email: string }) => row.email === 'script@tarn.test');
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: 'GET',
          route: '/widgets',
          calls: 3,
          account_name: 'Scripts',
          user_id: user.id,
        }),
        expect.objectContaining({ method: 'POST', route: '/widgets', calls: 1 }),
      ]),
    );
    expect(mine[0].deprecation.links['successor-version']).toMatch(/^\/api\/v1\/widgets/);
  });
});

describe('sunset', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('a sunset date in the future gives a Sunset header', async () => {
    t = await withWidgets({ TARN_ROOT_ALIAS_SUNSET: '2099-06-30' });
    const response = await t
      .http()
      .get('/widgets')
      .set('Authorization', await t.token());
    expect(response.status).toBe(200);
    expect(response.headers.sunset).toBe('Tue, 30 Jun 2099 00:00:00 GMT');
  });

  it('TARN_API_SUNSET_ACTIVE=true answers 410 at once, naming the successor, to callers with or without a token', async () => {
    t = await withWidgets({ TARN_API_SUNSET_ACTIVE: 'true' });
    const token = await t.token();
    const gone = await t.http().get('/widgets').set('Authorization', token);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ statusCode: 410, error: 'Gone', successor: '/api/v1/widgets' });
    expect(gone.body.message).toContain('/api/v1/widgets');
    expect(gone.headers.deprecation).toBeDefined();
    expect((await t.http().get('/widgets')).status).toBe(410);
    expect((await t.http().get('/api/v1/widgets').set('Authorization', token)).status).toBe(200);
  });

  it('after the sunset date the alias answers 410; TARN_API_SUNSET_ACTIVE=false rolls it back', async () => {
    const past = { TARN_ROOT_ALIAS_DEPRECATION: '2020-01-01', TARN_ROOT_ALIAS_SUNSET: '2020-06-30' };
    t = await withWidgets(past);
    const gone = await t
      .http()
      .get('/widgets')
      .set('Authorization', await t.token());
    expect(gone.status).toBe(410);
    expect(gone.body.message).toContain('Tue, 30 Jun 2020');
    await t.close();
    t = await withWidgets({ ...past, TARN_API_SUNSET_ACTIVE: 'false' });
    const back = await t
      .http()
      .get('/widgets')
      .set('Authorization', await t.token());
    expect(back.status).toBe(200);
    expect(back.headers.sunset).toBe('Tue, 30 Jun 2020 00:00:00 GMT');
  });
});

describe('policies from configuration', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('a controller and a route can be deprecated by TARN_API_POLICIES, the route rule winning', async () => {
    t = await withWidgets({
      TARN_API_POLICIES: JSON.stringify([
        {
          target: '/api/v1/users',
          deprecation: '2026-10-01',
          links: { deprecation: 'https://tarn.example/migrating' },
        },
        {
          target: 'GET /api/v1/users/{id}',
          deprecation: '2026-10-15',
          sunset: '2099-01-01',
          links: { 'successor-version': '/api/v2/users/{id}' },
        },
      ]),
    });
    const admin = await t.token();
    const list = await t.http().get('/api/v1/users').set('Authorization', admin);
    expect(list.headers.deprecation).toBe('Thu, 01 Oct 2026 00:00:00 GMT');
    expect(list.headers.link).toBe('<https://tarn.example/migrating>; rel="deprecation"; type="text/html"');
    const one = await t.http().get('/api/v1/users/1').set('Authorization', admin);
    expect(one.headers.deprecation).toBe('Thu, 15 Oct 2026 00:00:00 GMT');
    expect(one.headers.sunset).toBe('Thu, 01 Jan 2099 00:00:00 GMT');
    const doc = (await t.http().get('/api/docs-json')).body;
    expect(doc.paths['/api/v1/users'].get.deprecated).toBe(true);
    expect(doc.paths['/api/v1/users/{id}'].get.deprecated).toBe(true);
  });

  it('a version past its sunset disappears from /api and its routes answer 410', async () => {
    t = await withWidgets({
      TARN_API_POLICIES: JSON.stringify([{ target: 'v1', deprecation: '2020-01-01', sunset: '2020-02-01' }]),
    });
    expect((await t.http().get('/api')).body.versions).toEqual([]);
    const token = await t.token();
    expect((await t.http().get('/api/v1/users/me').set('Authorization', token)).status).toBe(410);
  });

  it('TARN_DEPRECATION_HEADER_FORMAT=rfc9745 writes the structured-field date', async () => {
    t = await withWidgets({ TARN_DEPRECATION_HEADER_FORMAT: 'rfc9745' });
    const response = await t
      .http()
      .get('/widgets')
      .set('Authorization', await t.token());
    expect(response.headers.deprecation).toBe(`@${Date.UTC(2026, 10, 1) / 1000}`);
  });
});
