import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ConfigError } from '../src/config/tarn-config.js';
import { SessionRunsService } from '../src/jobs/session-runs.service.js';
import { ShopCompatSessionSweeper } from '../src/sessions/shop-compat-session.sweeper.js';
import { checkShopCompat } from '../src/shop-compat-check.js';
import { buildBasicModel, runBasicCommands } from './support/pyshop-basic.js';
import { PyshopWireClient } from './support/pyshop-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The SHOP Server compatibility mode (pyshop-compat §3): unmodified pyshop sends no token, so a
 * request without credentials to a SHOP Server root path, from a trusted network, acts as
 * TARN_SHOP_COMPAT_USER; and Basic credentials with an API token as password (§3.4).
 */

const COMPAT_EMAIL = 'pyshop@tarn.test';
const basic = (login: string, secret: string) => `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`;
type SessionBody = { session_id: number; session_name: string };
const ids = (body: SessionBody[]) => body.map((session) => session.session_id);

/** The compat user (a plain user of its own account) and another user, as the admin makes them. */
async function users(t: TestApp) {
  const admin = await t.token();
  const compat = await t.createUser(admin, { email: COMPAT_EMAIL, password: 'pyshop-password', account_name: 'S' });
  const bob = await t.createUser(admin, { email: 'bob@tarn.test', password: 'bob-password', account_name: 'B' });
  return { admin, compat, bob };
}

describe('compatibility mode off (the default)', () => {
  let t: TestApp;
  let bob: { id: number; token: string };
  let bobSession: number;

  beforeAll(async () => {
    t = await startTestApp();
    ({ bob } = await users(t));
    bobSession = (await t.http().post('/session').set('Authorization', bob.token).send({})).body.session_id;
  });
  afterAll(() => t.close());

  it('answers a request without credentials with 401, on the SHOP Server paths too', async () => {
    for (const call of [t.http().post('/session').send({}), t.http().get('/sessions'), t.http().get('/internal')]) {
      const response = await call;
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/Authentication required/);
    }
  });

  it('takes Basic email:token on a SHOP Server path as that token’s user (netrc), with any case of the email', async () => {
    const created = await t.http().post('/session').set('Authorization', basic('Bob@Tarn.test', bob.token)).send({
      session_name: 'netrc',
    });
    expect(created.status).toBe(200);
    const listed = await t.http().get('/sessions').set('Authorization', basic('bob@tarn.test', bob.token));
    expect(listed.status).toBe(200);
    expect(ids(listed.body)).toEqual([bobSession, created.body.session_id]);
    const internal = await t
      .http()
      .post('/internal/DumpYamlString')
      .set('Authorization', basic('bob@tarn.test', bob.token))
      .set('session-id', String(bobSession))
      .send({ args: [] });
    expect(internal.status).toBe(200);
  });

  it('refuses Basic credentials whose login is not the token’s user', async () => {
    const response = await t.http().get('/sessions').set('Authorization', basic('mallory@tarn.test', bob.token));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/login must be the email of the token's user/);
  });

  it('refuses Basic credentials whose password is not a valid token, saying it must be one', async () => {
    const response = await t.http().get('/sessions').set('Authorization', basic('bob@tarn.test', 'bob-password'));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/Basic credentials take an API token .* as the password: Token is malformed/);
  });

  it.each(['/api/v1/sessions', '/api/v1/session/log?session_id=1', '/api/v1/users/me'])(
    'refuses Basic credentials on %s, asking for a Bearer token',
    async (path) => {
      const response = await t.http().get(path).set('Authorization', basic('bob@tarn.test', bob.token));
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/only on the SHOP Server root paths.*Authorization: Bearer <token>/);
    },
  );
});

describe('compatibility mode on, from loopback (the default networks)', () => {
  let t: TestApp;
  let admin: string;
  let compat: { id: number; token: string };
  let bob: { id: number; token: string };
  let bobSession: number;
  let dataSource: DataSource;
  const anonymousSession = async (name = 'demo'): Promise<number> => {
    const response = await t.http().post('/session').send({ session_name: name, log_file: '' });
    expect(response.status).toBe(200);
    return response.body.session_id as number;
  };
  const lastActivity = async (id: number): Promise<Date> => {
    const [row] = await dataSource.query('SELECT last_activity_at FROM optimization_session WHERE id = $1', [id]);
    return new Date(row.last_activity_at);
  };
  const age = (id: number, interval: string) =>
    dataSource.query(`UPDATE optimization_session SET last_activity_at = now() - $2::interval WHERE id = $1`, [
      id,
      interval,
    ]);

  beforeAll(async () => {
    t = await startTestApp({
      env: { TARN_SHOP_COMPAT_USER: COMPAT_EMAIL, TARN_SHOP_COMPAT_SESSION_IDLE: '1h', TARN_MAX_SESSIONS: '100' },
    });
    ({ admin, compat, bob } = await users(t));
    bobSession = (await t.http().post('/session').set('Authorization', bob.token).send({})).body.session_id;
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('lets pyshop open a session without a token: 200 with session_id and session_name, owned by the compat user', async () => {
    const response = await t.http().post('/session').send({ session_name: 'demo', log_file: '' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ session_id: expect.any(Number), session_name: 'demo' });
    const id = response.body.session_id as number;
    // The compat user's own token sees it; another user does not.
    const own = await t.http().get('/api/v1/session').query({ session_id: id }).set('Authorization', compat.token);
    expect(own.status).toBe(200);
    const foreign = await t.http().get('/api/v1/session').query({ session_id: id }).set('Authorization', bob.token);
    expect(foreign.status).toBe(404);
  });

  it('runs pyshop’s basic script unmodified: no header beyond Content-Type, every call answered', async () => {
    const shop = await PyshopWireClient.listening(t.app);
    const opened = await shop.open('basic');
    expect(opened.status).toBe(200);
    expect((await shop.send('GET', '/internal')).status).toBe(200);
    await buildBasicModel(shop);
    expect(await runBasicCommands(shop)).toEqual([true, true, true]);
    expect(shop.calls.length).toBeGreaterThan(50);
    expect(shop.calls.filter((call) => call.status >= 400)).toEqual([]);
    const own = await t
      .http()
      .get('/api/v1/session')
      .query({ session_id: shop.sessionId })
      .set('Authorization', compat.token);
    expect(own.body).toMatchObject({ session_id: shop.sessionId, session_name: 'basic' });
  });

  it('serves the other SHOP Server paths pyshop calls without a token', async () => {
    const id = await anonymousSession();
    const list = await t.http().get('/internal').set('session-id', String(id));
    expect(list.status).toBe(200);
    expect(list.body).toEqual(expect.arrayContaining(['GetLicenseInfo']));
    const license = await t.http().post('/internal/GetLicenseInfo').set('session-id', String(id)).send({});
    expect(license.status).toBe(200);
    expect((await t.http().get('/model').set('session-id', String(id))).status).toBe(200);
    expect((await t.http().get('/model/information').set('session-id', String(id))).status).toBe(200);
    expect((await t.http().get('/model/reservoir/information').set('session-id', String(id))).status).toBe(200);
    expect((await t.http().get('/time_resolution').set('session-id', String(id))).status).toBe(200);
    expect((await t.http().get('/session').query({ session_id: id })).status).toBe(200);
    expect((await t.http().delete('/session').query({ session_id: id })).status).toBe(200);
  });

  it('shows anonymous requests what the compat user sees, no more: not another user’s sessions', async () => {
    const mine = await anonymousSession('listed');
    const withToken = (await t.http().post('/api/v1/session').set('Authorization', compat.token).send({})).body
      .session_id as number;
    const response = await t.http().get('/sessions');
    expect(response.status).toBe(200);
    expect(ids(response.body)).toEqual(expect.arrayContaining([mine, withToken]));
    expect(ids(response.body)).not.toContain(bobSession);
    const other = await t.http().get('/session').query({ session_id: bobSession });
    expect(other.status).toBe(404);
  });

  it.each([
    ['GET', '/api/v1/sessions'],
    ['POST', '/api/v1/session'],
    ['GET', '/api/v1/internal'],
    ['GET', '/api/v1/session/log?session_id=1'],
    ['GET', '/metrics'],
    ['GET', '/sessions/'],
    ['GET', '/api/v1/users/me'],
    ['GET', '/SESSIONS'],
  ])('keeps %s %s closed without a token (exact SHOP Server paths only)', async (method, path) => {
    const response = await t.http()[method.toLowerCase() as 'get' | 'post'](path).send();
    expect(response.status).toBe(401);
  });

  it('judges a request with a token by its token: an invalid one is 401 on the root paths too, a valid one acts as its user', async () => {
    for (const authorization of ['Bearer not.a.token', 'garbage', `${compat.token}x`]) {
      const response = await t.http().get('/sessions').set('Authorization', authorization);
      expect(response.status).toBe(401);
    }
    const asBob = await t.http().get('/sessions').set('Authorization', bob.token);
    expect(ids(asBob.body)).toEqual([bobSession]);
    const created = await t.http().post('/session').set('Authorization', bob.token).send({});
    const owner = await t
      .http()
      .get('/api/v1/session')
      .query({ session_id: created.body.session_id })
      .set('Authorization', bob.token);
    expect(owner.status).toBe(200);
  });

  it('takes Basic email:token as that token’s user, and refuses a wrong email', async () => {
    const asBob = await t.http().get('/sessions').set('Authorization', basic('bob@tarn.test', bob.token));
    expect(ids(asBob.body)).toContain(bobSession);
    expect(ids(asBob.body)).not.toContain(await anonymousSession());
    const wrong = await t.http().get('/sessions').set('Authorization', basic(COMPAT_EMAIL, bob.token));
    expect(wrong.status).toBe(401);
    const onApi = await t.http().get('/api/v1/sessions').set('Authorization', basic('bob@tarn.test', bob.token));
    expect(onApi.status).toBe(401);
  });

  it('does not trust X-Forwarded-For beyond TARN_TRUST_PROXY_HOPS (0 here): the socket address counts', async () => {
    const response = await t.http().get('/sessions').set('X-Forwarded-For', '203.0.113.7');
    expect(response.status).toBe(200);
  });

  it('counts anonymous compat requests in tarn_shop_compat_requests_total by method and route, not token requests', async () => {
    const scrape = async () => (await t.http().get('/metrics').set('Authorization', admin)).text;
    const sample = (text: string, method: string, route: string) =>
      Number(
        new RegExp(`^tarn_shop_compat_requests_total\\{method="${method}",route="${route}"\\} (\\S+)$`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    const before = await scrape();
    await anonymousSession();
    await anonymousSession();
    await t.http().post('/session').set('Authorization', compat.token).send({});
    await t.http().get('/internal');
    const after = await scrape();
    expect(sample(after, 'POST', '/session') - sample(before, 'POST', '/session')).toBe(2);
    expect(sample(after, 'GET', '/internal') - sample(before, 'GET', '/internal')).toBe(1);
  });

  it('counts anonymous calls of the deprecated root aliases under the compat user in the deprecation report', async () => {
    const report = await t.http().get('/api/v1/admin/deprecations').set('Authorization', admin);
    expect(report.status).toBe(200);
    expect(report.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          email: COMPAT_EMAIL,
          user_id: compat.id,
          method: 'POST',
          route: '/session',
          calls: expect.any(Number),
        }),
        expect.objectContaining({ email: COMPAT_EMAIL, method: 'GET', route: '/sessions' }),
      ]),
    );
  });

  it('marks the sessions made without credentials, and only those', async () => {
    const anonymous = await anonymousSession();
    const withToken = (await t.http().post('/session').set('Authorization', compat.token).send({})).body.session_id;
    const rows: Array<{ id: number; shop_compat: boolean }> = await dataSource.query(
      'SELECT id, shop_compat FROM optimization_session WHERE id = ANY($1) ORDER BY id',
      [[anonymous, withToken]],
    );
    expect(rows.map((row) => [Number(row.id), row.shop_compat])).toEqual([
      [anonymous, true],
      [withToken, false],
    ]);
  });

  it('records the activity of an anonymous session, at most once a minute', async () => {
    const id = await anonymousSession();
    await age(id, '2 minutes');
    const stale = await lastActivity(id);
    // pyshop's calls are nearly all /internal/<Name>: they count as activity too.
    const call = await t.http().post('/internal/GetObjectNamesInSystem').set('session-id', String(id)).send({});
    expect(call.status).toBe(200);
    const touched = await lastActivity(id);
    expect(touched.getTime()).toBeGreaterThan(stale.getTime() + 60_000);

    await age(id, '30 seconds');
    const recent = await lastActivity(id);
    expect((await t.http().get('/model').set('session-id', String(id))).status).toBe(200);
    expect((await lastActivity(id)).getTime()).toBe(recent.getTime());
  });

  describe('the idle sweeper', () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('deletes the anonymous sessions idle longer than TARN_SHOP_COMPAT_SESSION_IDLE, stopping their runs', async () => {
      const sweeper = t.app.get(ShopCompatSessionSweeper);
      const stop = jest.spyOn(t.app.get(SessionRunsService), 'stop');
      await sweeper.sweep(); // whatever earlier tests left idle: nothing is an hour old
      const idle = await anonymousSession('idle');
      const busy = await anonymousSession('busy');
      const withToken = (await t.http().post('/session').set('Authorization', compat.token).send({})).body.session_id;
      await age(idle, '61 minutes');
      await age(withToken, '61 minutes');

      expect(await sweeper.sweep()).toEqual([idle]);
      expect(stop).toHaveBeenCalledWith(idle);
      expect((await t.http().get('/session').query({ session_id: idle })).status).toBe(404);
      expect((await t.http().get('/session').query({ session_id: busy })).status).toBe(200);
      const kept = await t
        .http()
        .get('/api/v1/session')
        .query({ session_id: withToken })
        .set('Authorization', compat.token);
      expect(kept.status).toBe(200);
    });

    it('takes the time to sweep at: an hour on, every anonymous session is idle, and no other session', async () => {
      const sweeper = t.app.get(ShopCompatSessionSweeper);
      const anonymous = await anonymousSession();
      const deleted = await sweeper.sweep(new Date(Date.now() + 3_600_000 + 60_000));
      expect(deleted).toContain(anonymous);
      expect((await t.http().get('/sessions')).body).toEqual(
        (await t.http().get('/api/v1/sessions').set('Authorization', compat.token)).body.filter(
          (session: SessionBody) => !deleted.includes(session.session_id),
        ),
      );
      expect(ids((await t.http().get('/sessions').set('Authorization', bob.token)).body)).toContain(bobSession);
      const left: Array<{ n: string }> = await dataSource.query(
        'SELECT count(*) AS n FROM optimization_session WHERE shop_compat',
      );
      expect(Number(left[0].n)).toBe(0);
    });
  });

  it('passes the start check with a plain, active user; refuses the start once the user is deactivated', async () => {
    await expect(checkShopCompat(t.app, t.config)).resolves.toEqual([]);
    const patched = await t
      .http()
      .patch(`/api/v1/users/${compat.id}`)
      .set('Authorization', admin)
      .send({ active: false });
    expect(patched.status).toBe(200);
    const error = await checkShopCompat(t.app, t.config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /TARN_SHOP_COMPAT_USER \(pyshop@tarn.test\) must name an existing, active user/,
    );
  });
});

describe('compatibility mode on, for another network behind one proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { TARN_SHOP_COMPAT_USER: COMPAT_EMAIL, TARN_SHOP_COMPAT_NETWORKS: '10.0.0.0/8', TARN_TRUST_PROXY_HOPS: '1' },
    });
    await users(t);
  });
  afterAll(() => t.close());

  it('answers 401 to a client outside the networks: loopback is not in 10.0.0.0/8', async () => {
    expect((await t.http().post('/session').send({})).status).toBe(401);
    expect((await t.http().post('/session').set('X-Forwarded-For', '192.168.1.20').send({})).status).toBe(401);
  });

  it('takes the client address the proxy forwards (req.ip, TARN_TRUST_PROXY_HOPS=1)', async () => {
    const response = await t.http().post('/session').set('X-Forwarded-For', '10.20.30.40').send({});
    expect(response.status).toBe(200);
  });
});

describe('compatibility mode with TARN_API_SUNSET_ACTIVE=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_SHOP_COMPAT_USER: COMPAT_EMAIL, TARN_API_SUNSET_ACTIVE: 'true' } });
    await users(t);
  });
  afterAll(() => t.close());

  it('warns at start that pyshop cannot work: the root aliases answer 410', async () => {
    const warnings = await checkShopCompat(t.app, t.config);
    expect(warnings).toEqual([expect.stringMatching(/answer 410 Gone .*pyshop cannot work.*POST \/session/)]);
    expect((await t.http().post('/session').send({})).status).toBe(410);
  });
});
