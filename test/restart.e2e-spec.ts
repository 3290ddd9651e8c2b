import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { dropSchema, newSchemaName, startTestApp } from './support/test-app.js';

describe('restart on the same data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tarn-restart-'));
  const schema = process.env.DATABASE_URL ? newSchemaName() : undefined;
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (process.env.DATABASE_URL && schema) await dropSchema(process.env.DATABASE_URL, schema);
  });

  it('keeps users, tokens, sessions, models and logs, and applies no migration twice', async () => {
    const first = await startTestApp({ dataDir, schema });
    const admin = await first.token();
    const user = await first.createUser(admin, {
      email: 'keeper@tarn.test',
      password: 'keeper-password',
      account_name: 'Keepers',
    });
    const session = await first
      .http()
      .post('/api/v1/session')
      .set('Authorization', user.token)
      .send({ session_name: 'kept' });
    expect(session.status).toBe(200);
    const model = { model: { reservoir: { Kept: { max_vol: 12 } } } };
    const put = await first
      .http()
      .put('/api/v1/model')
      .set('Authorization', user.token)
      .set('session_id', String(session.body.session_id))
      .send(model);
    expect(put.status).toBe(200);
    await first.close();

    const second = await startTestApp({ dataDir, schema });
    try {
      const me = await second.http().get('/api/v1/users/me').set('Authorization', user.token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: 'keeper@tarn.test', account_name: 'Keepers' });
      expect((await second.http().get('/api/v1/users').set('Authorization', admin)).body).toHaveLength(2);
      expect(await second.token('keeper@tarn.test', 'keeper-password')).toEqual(expect.any(String));
      const sessions = await second.http().get('/api/v1/sessions').set('Authorization', user.token);
      expect(sessions.body).toEqual([session.body]);
      const selected = (path: string) =>
        second.http().get(path).set('Authorization', user.token).set('session_id', String(session.body.session_id));
      expect((await selected('/api/v1/model?includeTime=false&includeConnections=false')).body).toEqual(model);
      const log = (await selected('/api/v1/session/log')).body as Array<{ message: string }>;
      expect(log.map((m) => m.message)).toEqual(['Model updated: 1 objects, 1 attribute values']);
    } finally {
      await second.close();
    }
  });
});
