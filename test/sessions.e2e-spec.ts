import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('/session and /sessions', () => {
  let t: TestApp;
  let admin: string;
  let alice: string;
  let bob: string;
  let carol: string;
  let aliceAccountAdmin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_MAX_SESSIONS: '4' } });
    admin = await t.token();
    alice = (await t.createUser(admin, { email: 'alice@a.test', password: 'alice-password', account_name: 'A' })).token;
    aliceAccountAdmin = (
      await t.createUser(admin, {
        email: 'boss@a.test',
        password: 'boss-password',
        account_name: 'A',
        roles: ['account-admin'],
      })
    ).token;
    bob = (await t.createUser(admin, { email: 'bob@b.test', password: 'bob-password', account_name: 'B' })).token;
    carol = (await t.createUser(admin, { email: 'carol@a.test', password: 'carol-password', account_name: 'A' })).token;
  });
  afterAll(() => t.close());
  // Each test starts with no sessions on the server.
  afterEach(async () => {
    const all = (await t.http().get('/api/v1/sessions').set('Authorization', admin)).body as { session_id: number }[];
    for (const s of all) {
      await t.http().delete('/api/v1/session').set('Authorization', admin).set('session_id', String(s.session_id));
    }
  });

  const create = (token: string, body: object = {}, path = '/api/v1/session') =>
    t.http().post(path).set('Authorization', token).send(body);

  it('creates a session and answers its SessionSchema; the name defaults to session_<id>', async () => {
    const named = await create(alice, { session_name: 'day-ahead', log_file: 'run.log' });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({
      session_id: expect.any(Number),
      session_name: 'day-ahead',
      log_file: 'run.log',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const unnamed = await create(alice);
    expect(unnamed.body.session_name).toBe(`session_${unnamed.body.session_id}`);
    expect(unnamed.body.log_file).toBe('');
  });

  it('selects the session by session_id header, session-id header, or query parameter on GET and DELETE', async () => {
    const { session_id: id } = (await create(alice, { session_name: 'select me' })).body;
    const get = (path = '/api/v1/session') => t.http().get(path).set('Authorization', alice);
    expect((await get().set('session_id', String(id))).body.session_name).toBe('select me');
    expect((await get().set('session-id', String(id))).status).toBe(200);
    expect((await get(`/api/v1/session?session_id=${id}`)).status).toBe(200);
    const deleted = await t.http().delete(`/api/v1/session?session_id=${id}`).set('Authorization', alice);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect((await get(`/api/v1/session?session_id=${id}`)).status).toBe(404);
  });

  it.each([
    ['missing', undefined],
    ['not a number', 'abc'],
    ['zero', '0'],
    ['negative', '-3'],
    ['a fraction', '1.5'],
  ])('answers a session id that is %s with 422', async (_, value) => {
    const request = t.http().get('/api/v1/session').set('Authorization', alice);
    const response = await (value === undefined ? request : request.set('session_id', value));
    expect(response.status).toBe(422);
    expect(response.body.details[0].path).toBe('headers.session_id');
  });

  it('keeps users out of sessions that are not theirs (404, like an unknown id)', async () => {
    const { session_id: id } = (await create(alice, { session_name: 'alice only' })).body;
    const as = (token: string) => ({
      get: () => t.http().get('/api/v1/session').set('Authorization', token).set('session_id', String(id)),
      cancel: () => t.http().post('/api/v1/session/cancel').set('Authorization', token).set('session_id', String(id)),
      delete: () => t.http().delete('/api/v1/session').set('Authorization', token).set('session_id', String(id)),
    });
    for (const intruder of [bob, carol]) {
      expect((await as(intruder).get()).status).toBe(404);
      expect((await as(intruder).cancel()).status).toBe(404);
      expect((await as(intruder).delete()).status).toBe(404);
    }
    const unknown = await t.http().get('/api/v1/session').set('Authorization', bob).set('session_id', '999999');
    expect((await as(bob).get()).body.message.replace(String(id), 'N')).toBe(
      unknown.body.message.replace('999999', 'N'),
    );
    // The owner, their account's admin and a server admin can.
    expect((await as(alice).cancel()).status).toBe(200);
    expect((await as(aliceAccountAdmin).get()).status).toBe(200);
    expect((await as(admin).get()).status).toBe(200);
    expect((await as(alice).delete()).status).toBe(200);
    expect((await as(alice).get()).status).toBe(404);
  });

  it('lists only the sessions a caller may see', async () => {
    const a = (await create(alice, { session_name: 'a1' })).body.session_id;
    const b = (await create(bob, { session_name: 'b1' })).body.session_id;
    const ids = async (token: string) =>
      (await t.http().get('/api/v1/sessions').set('Authorization', token)).body.map(
        (s: { session_id: number }) => s.session_id,
      );
    expect(await ids(bob)).toEqual([b]);
    expect(await ids(alice)).toEqual([a]);
    expect(await ids(carol)).toEqual([]);
    expect(await ids(aliceAccountAdmin)).toEqual([a]);
    expect(await ids(admin)).toEqual([a, b]);
  });

  it('answers 429 beyond --max-sessions, and a deletion frees a slot', async () => {
    const made: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await create(i % 2 ? alice : bob);
      expect(response.status).toBe(200);
      made.push(response.body.session_id);
    }
    const refused = await create(carol);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toContain('--max-sessions');
    expect((await t.http().get('/api/v1/sessions').set('Authorization', admin)).body).toHaveLength(4);
    await t.http().delete('/api/v1/session').set('Authorization', bob).set('session_id', String(made[0]));
    expect((await create(carol)).status).toBe(200);
  });

  it('creates at most --max-sessions sessions under concurrent requests', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => create(alice)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    expect(results.filter((r) => r.status === 429)).toHaveLength(4);
  });

  it('answers at the root aliases too, deprecated, with the /api/v1 twin as successor', async () => {
    const created = await create(alice, { session_name: 'legacy script' }, '/session');
    expect(created.status).toBe(200);
    expect(created.headers.deprecation).toBeDefined();
    expect(created.headers.link).toBe('</api/v1/session>; rel="successor-version"');
    const list = await t.http().get('/sessions').set('Authorization', alice);
    expect(list.headers.link).toBe('</api/v1/sessions>; rel="successor-version"');
    const cancel = await t
      .http()
      .post('/session/cancel')
      .set('Authorization', alice)
      .set('session_id', String(created.body.session_id));
    expect(cancel.status).toBe(200);
    expect(cancel.headers.link).toBe('</api/v1/session/cancel>; rel="successor-version"');
    const canonical = await t
      .http()
      .get('/api/v1/session')
      .set('Authorization', alice)
      .set('session_id', String(created.body.session_id));
    expect(canonical.headers.deprecation).toBeUndefined();
    expect(canonical.headers.link).toBeUndefined();
  });
});
