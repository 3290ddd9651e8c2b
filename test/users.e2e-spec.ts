import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('/api/v1/users: admins, account-admins and users', () => {
  let t: TestApp;
  let admin: string;
  let northAdmin: { id: number; token: string };
  let northUser: { id: number; token: string };
  let southUser: { id: number; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token();
    northAdmin = await t.createUser(admin, {
      email: 'boss@north.test',
      password: 'north-boss-pw',
      account_name: 'North Hydro',
      roles: ['account-admin'],
    });
    northUser = await t.createUser(admin, {
      email: 'planner@north.test',
      password: 'north-user-pw',
      account_name: 'North Hydro',
    });
    southUser = await t.createUser(admin, {
      email: 'planner@south.test',
      password: 'south-user-pw',
      account_name: 'South Hydro',
    });
  });
  afterAll(() => t.close());

  const list = (token: string, query = '') => t.http().get(`/api/v1/users${query}`).set('Authorization', token);

  it('POST /api/v1/users/me/token gives the caller a fresh token of their own (the profile page button)', async () => {
    expect((await t.http().post('/api/v1/users/me/token')).status).toBe(401);
    const answer = await t.http().post('/api/v1/users/me/token').set('Authorization', northUser.token);
    expect(answer.status).toBe(200);
    expect(answer.body.user_id).toBe(northUser.id);
    const me = await t.http().get('/api/v1/users/me').set('Authorization', answer.body.auth_token);
    expect(me.body.email).toBe('planner@north.test');
  });

  it('an admin sees every user, and can filter by account', async () => {
    const all = await list(admin);
    expect(all.status).toBe(200);
    expect(all.body.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining(['boss@north.test', 'planner@north.test', 'planner@south.test']),
    );
    const south = all.body.find((u: { email: string }) => u.email === 'planner@south.test');
    const filtered = await list(admin, `?account_id=${south.account_id}`);
    expect(filtered.body.map((u: { email: string }) => u.email)).toEqual(['planner@south.test']);
  });

  it('never returns password hashes or token versions', async () => {
    const response = await list(admin);
    const keys = Object.keys(response.body[0]).sort();
    expect(keys).toEqual(['account_id', 'account_name', 'active', 'created_at', 'email', 'id', 'roles']);
  });

  it('an account-admin lists only their own account', async () => {
    const response = await list(northAdmin.token);
    expect(response.status).toBe(200);
    expect(response.body.map((u: { email: string }) => u.email).sort()).toEqual([
      'boss@north.test',
      'planner@north.test',
    ]);
    // Asking for another account does not widen the scope.
    const southId = (await list(admin)).body.find(
      (u: { email: string }) => u.email === 'planner@south.test',
    ).account_id;
    expect(
      (await list(northAdmin.token, `?account_id=${southId}`)).body.every(
        (u: { account_name: string }) => u.account_name === 'North Hydro',
      ),
    ).toBe(true);
  });

  it('a plain user calling an admin endpoint gets 403', async () => {
    const response = await list(northUser.token);
    expect(response.status).toBe(403);
    expect(response.body.message).toMatch(/admin/);
    const create = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', northUser.token)
      .send({ email: 'x@north.test', password: 'password-x' });
    expect(create.status).toBe(403);
  });

  it('an account-admin creates users in their own account only, and cannot grant admin', async () => {
    const own = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', northAdmin.token)
      .send({ email: 'new@north.test', password: 'new-north-pw' });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ account_name: 'North Hydro', roles: ['user'], active: true });
    const foreign = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', northAdmin.token)
      .send({ email: 'spy@south.test', password: 'spy-password', account_name: 'South Hydro' });
    expect(foreign.status).toBe(403);
    const escalate = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', northAdmin.token)
      .send({ email: 'root@north.test', password: 'root-password', roles: ['admin'] });
    expect(escalate.status).toBe(403);
  });

  it('an account-admin cannot see or change users of another account (404)', async () => {
    expect((await t.http().get(`/api/v1/users/${southUser.id}`).set('Authorization', northAdmin.token)).status).toBe(
      404,
    );
    const patch = await t
      .http()
      .patch(`/api/v1/users/${southUser.id}`)
      .set('Authorization', northAdmin.token)
      .send({ active: false });
    expect(patch.status).toBe(404);
    const unknown = await t
      .http()
      .patch('/api/v1/users/987654')
      .set('Authorization', northAdmin.token)
      .send({ active: false });
    expect(unknown.status).toBe(404);
    expect(patch.body.message.replace(String(southUser.id), 'N')).toBe(unknown.body.message.replace('987654', 'N'));
  });

  it('an account-admin changes roles and the active flag in their account, but cannot grant admin', async () => {
    const promote = await t
      .http()
      .patch(`/api/v1/users/${northUser.id}`)
      .set('Authorization', northAdmin.token)
      .send({ roles: ['account-admin'] });
    expect(promote.status).toBe(200);
    expect(promote.body.roles).toEqual(['account-admin']);
    const demote = await t
      .http()
      .patch(`/api/v1/users/${northUser.id}`)
      .set('Authorization', northAdmin.token)
      .send({ roles: ['user'] });
    expect(demote.body.roles).toEqual(['user']);
    const escalate = await t
      .http()
      .patch(`/api/v1/users/${northUser.id}`)
      .set('Authorization', northAdmin.token)
      .send({ roles: ['admin'] });
    expect(escalate.status).toBe(403);
  });

  it('a user may change their own password, nothing else', async () => {
    const roles = await t
      .http()
      .patch(`/api/v1/users/${southUser.id}`)
      .set('Authorization', southUser.token)
      .send({ roles: ['admin'] });
    expect(roles.status).toBe(403);
    const other = await t
      .http()
      .patch(`/api/v1/users/${northUser.id}`)
      .set('Authorization', southUser.token)
      .send({ password: 'hijacked-pw' });
    expect(other.status).toBe(404);
  });

  it('an admin creates accounts by name and rejects a taken email with 409', async () => {
    const created = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin)
      .send({
        email: 'first@east.test',
        password: 'east-password',
        account_name: 'East Hydro',
        roles: ['account-admin'],
      });
    expect(created.status).toBe(201);
    expect(created.body.account_name).toBe('East Hydro');
    const again = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin)
      .send({ email: 'FIRST@east.test', password: 'east-password', account_id: created.body.account_id });
    expect(again.status).toBe(409);
    const noAccount = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin)
      .send({ email: 'lost@east.test', password: 'lost-password' });
    expect(noAccount.status).toBe(422);
    const badAccount = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin)
      .send({ email: 'lost@east.test', password: 'lost-password', account_id: 424242 });
    expect(badAccount.status).toBe(422);
  });

  it('validates bodies and ids: unknown roles, short passwords and non-numeric ids are 400', async () => {
    const badRole = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin)
      .send({ email: 'r@x.test', password: 'password-r', account_name: 'X', roles: ['god'] });
    expect(badRole.status).toBe(400);
    expect(badRole.body.details[0].path).toBe('roles');
    const short = await t
      .http()
      .patch(`/api/v1/users/${northUser.id}`)
      .set('Authorization', admin)
      .send({ password: 'short' });
    expect(short.status).toBe(400);
    expect((await t.http().get('/api/v1/users/abc').set('Authorization', admin)).status).toBe(400);
  });
});
