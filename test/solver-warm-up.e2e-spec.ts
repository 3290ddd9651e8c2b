import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TarnConfig } from '../src/config/tarn-config.js';
import { PASSES, PutWarmUp } from '../src/models/put-warm-up.js';
import { eventually } from './support/eventually.js';
import type { Json } from './support/json.js';
import { newSession, type SessionClient } from './support/session-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));

// The solver threads warm up at start, in the background (TARN_SOLVER_WARM_UP, on by default; the
// other tests' apps leave it off), and on the embedded database so does the upload path (PutWarmUp,
// in transactions it rolls back): the server answers meanwhile, readiness waits for both.
describe('solver warm-up at start', () => {
  let t: TestApp;
  let readiness: Array<{ status: number; solver: unknown }>;
  let session: SessionClient;
  let firstRun: Promise<{ status: number }>;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_SOLVER_WARM_UP: 'true', TARN_SOLVER_POOL_SIZE: '1' } });
    // A run sent at once, while the thread may still be warming up.
    session = await newSession(t, await t.token());
    firstRun = session.put(BASIC);
    readiness = [];
    await eventually(
      async () => {
        const answer = await t.http().get('/health/ready');
        readiness.push({ status: answer.status, solver: answer.body.solver });
        expect(answer.status).toBe(200);
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'readiness' },
    );
  });
  afterAll(() => t.close());

  it('reports the solver "starting" (503) until every thread is warm, then ready', () => {
    for (const { status, solver } of readiness.slice(0, -1)) {
      expect({ status, solver }).toEqual({ status: 503, solver: 'starting' });
    }
    expect(readiness.at(-1)).toEqual({ status: 200, solver: 'up' });
  });

  it('solves a run sent before the warm-up ended, once a thread is warm', async () => {
    expect((await firstRun).status).toBe(200);
    expect((await session.runs()).at(-1)).toMatchObject({ status: 'done', solver_status: 'optimal' });
  });

  it('leaves no trace of the upload warm-up: no session, user or run, and no id drawn', async () => {
    // It runs on the embedded database with runs solved in this process, and every pass ran to the end.
    const config = t.app.get(TarnConfig);
    const warmsUploads = !config.database.url && !config.redisUrl;
    expect(t.app.get(PutWarmUp).passesDone).toBe(warmsUploads ? PASSES : 0);
    const admin = await t.token();
    const next = await newSession(t, admin);
    expect(next.id).toBe(session.id + 1);
    const sessions = await t.http().get('/api/v1/sessions').set('Authorization', admin);
    expect(sessions.body.map((s: { session_id: number }) => s.session_id)).toEqual([session.id, next.id]);
    const users = await t.http().get('/api/v1/users').set('Authorization', admin);
    expect(users.body).toHaveLength(1);
    expect((await session.runs()).map((run) => (run as { run_id: number }).run_id)).toEqual([1]);
    expect((await session.log()).every((line) => !line.message.includes('2026-01-05'))).toBe(true);
  });
});
