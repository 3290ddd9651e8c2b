import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/tarn-config.js';
import { CANCELLED_WAITING, RunsService, SERVER_STOPPED_QUEUED } from '../../src/jobs/runs.service.js';
import { SessionLogService } from '../../src/logging/session-log.service.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const COMMANDS = [{ command: 'start sim', options: [], values: ['3'] }];

/** RunsService.start with TARN_MAX_RUNS_PER_ACCOUNT, on the test database (PGlite, or PostgreSQL with DATABASE_URL). */
describe('RunsService.start: turns of an account (TARN_MAX_RUNS_PER_ACCOUNT)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db?.close());

  const runsService = (limit: number) => {
    const config = loadConfig([], { TARN_DATA_DIR: 'memory://', TARN_MAX_RUNS_PER_ACCOUNT: String(limit) });
    return new RunsService(db.dataSource, config, new SessionLogService(db.dataSource, config));
  };

  /** Another session of the account (and user) of `sessionId`. */
  async function sibling(sessionId: number): Promise<number> {
    const [row]: Array<{ id: number }> = await db.dataSource.query(
      `INSERT INTO optimization_session (name, user_id, account_id)
       SELECT 's2', user_id, account_id FROM optimization_session WHERE id = $1 RETURNING id`,
      [sessionId],
    );
    return row.id;
  }

  const statuses = async (runs: RunsService, sessionId: number) =>
    (await runs.list(sessionId)).map((run) => run.status);

  it("limit 1: an account's second run waits until its first ends; another account's run does not wait", async () => {
    const runs = runsService(1);
    const a = await db.newSession();
    const a2 = await sibling(a);
    const b = await db.newSession();
    const first = await runs.create(a, COMMANDS);
    const second = await runs.create(a2, COMMANDS);
    const other = await runs.create(b, COMMANDS);

    expect((await runs.start(first.run_id)).admission).toBe('start');
    expect((await runs.start(second.run_id)).admission).toBe('wait');
    expect(await runs.get(a2, second.run_id)).toMatchObject({ status: 'queued', started: null, attempts: 0 });
    expect((await runs.start(other.run_id)).admission).toBe('start');
    expect(await runs.nextToStart((await accountOf(b))!)).toBeUndefined();

    await runs.finished(first.run_id, { status: 'done' });
    expect(await runs.nextToStart((await accountOf(a))!)).toMatchObject({ id: second.run_id });
    expect((await runs.start(second.run_id)).admission).toBe('start');
    expect(await statuses(runs, a2)).toEqual(['running']);
  });

  it('keeps the order of an account: a younger run waits while an older one waits, even with a turn free', async () => {
    const runs = runsService(2);
    const a = await db.newSession();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await runs.create(a, COMMANDS)).run_id);
    expect((await runs.start(ids[2])).admission).toBe('wait');
    expect((await runs.start(ids[0])).admission).toBe('start');
    expect((await runs.start(ids[2])).admission).toBe('wait');
    expect((await runs.start(ids[1])).admission).toBe('start');
    expect((await runs.start(ids[2])).admission).toBe('wait'); // two run: the limit
    expect(await statuses(runs, a)).toEqual(['running', 'running', 'queued']);
  });

  it('a failed run frees its turn; a run started again after its worker died keeps its own', async () => {
    const runs = runsService(1);
    const a = await db.newSession();
    const crashed = await runs.create(a, COMMANDS, 'queue');
    const next = await runs.create(a, COMMANDS, 'queue');
    expect((await runs.start(crashed.run_id)).admission).toBe('start');
    // BullMQ starts the job again on another worker: it was running, so it goes on.
    expect((await runs.start(crashed.run_id)).admission).toBe('resume');
    expect(await runs.get(a, crashed.run_id)).toMatchObject({ status: 'running', attempts: 2 });
    expect((await runs.start(next.run_id)).admission).toBe('wait');
    expect(await runs.failIfUnfinished(crashed.run_id, 'its worker failed: stalled twice')).toBe(true);
    expect((await runs.start(next.run_id)).admission).toBe('start');
  });

  it('a run cancelled while it waits leaves the line and never starts; the next one takes its place', async () => {
    const runs = runsService(1);
    const a = await db.newSession();
    const a2 = await sibling(a);
    const running = await runs.create(a, COMMANDS);
    const cancelled = await runs.create(a2, COMMANDS);
    const last = await runs.create(a, COMMANDS);
    expect((await runs.start(running.run_id)).admission).toBe('start');
    expect((await runs.start(cancelled.run_id)).admission).toBe('wait');

    expect(await runs.cancelWaiting(a2)).toEqual([{ id: cancelled.run_id, created: cancelled.created }]);
    expect(await runs.get(a2, cancelled.run_id)).toMatchObject({
      status: 'cancelled',
      message: CANCELLED_WAITING,
      started: null,
      finished: expect.any(String),
    });
    expect((await runs.start(cancelled.run_id)).admission).toBe('ended');
    // The running run of the session is not touched by it; the other session's waiting one neither.
    expect(await runs.cancelWaiting(a2)).toEqual([]);
    await runs.finished(running.run_id, { status: 'done' });
    expect((await runs.start(last.run_id)).admission).toBe('start');
  });

  it('a deleted session ends its waiting runs: they do not start', async () => {
    const runs = runsService(1);
    const a = await db.newSession();
    const run = await runs.create(a, COMMANDS);
    await db.dataSource.query(`DELETE FROM optimization_session WHERE id = $1`, [a]);
    expect(await runs.start(run.run_id)).toEqual({ admission: 'ended' });
  });

  it("a closing server fails its runs that wait for a turn; its running ones and the queue's are left alone", async () => {
    const runs = runsService(1);
    const a = await db.newSession();
    const running = await runs.create(a, COMMANDS);
    const waiting = await runs.create(a, COMMANDS);
    const onQueue = await runs.create(a, COMMANDS, 'queue');
    expect((await runs.start(running.run_id)).admission).toBe('start');
    expect(runs.stopping).toBe(false);
    await runs.beforeApplicationShutdown();
    expect(runs.stopping).toBe(true);
    expect(await runs.get(a, waiting.run_id)).toMatchObject({ status: 'failed', message: SERVER_STOPPED_QUEUED });
    expect(await runs.get(a, running.run_id)).toMatchObject({ status: 'running' });
    expect(await runs.get(a, onQueue.run_id)).toMatchObject({ status: 'queued' });
    runs.onApplicationShutdown();
  });

  it('processes starting runs of one account at once never start more than the limit, and start them in order', async () => {
    const limit = 2;
    // Two services, as two processes sharing the database would have.
    const processes = [runsService(limit), runsService(limit)];
    const a = await db.newSession();
    const created: number[] = [];
    for (let i = 0; i < 8; i++) created.push((await processes[i % 2].create(a, COMMANDS)).run_id);
    const started: number[] = [];
    while (started.length < created.length) {
      const waiting = created.filter((id) => !started.includes(id));
      // Every waiting run asks at once, from either process.
      const answers = await Promise.all(waiting.map((id, i) => processes[i % 2].start(id)));
      const now = waiting.filter((_, i) => answers[i].admission === 'start');
      started.push(...now);
      const running = (await processes[0].list(a)).filter((run) => run.status === 'running');
      expect(running.length).toBeLessThanOrEqual(limit);
      // One of them ends, for the next round.
      if (running.length) await processes[0].finished(running[0].run_id, { status: 'done' });
    }
    expect(started).toEqual(created);
  });

  async function accountOf(sessionId: number): Promise<number | undefined> {
    const rows: Array<{ account_id: number }> = await db.dataSource.query(
      `SELECT account_id FROM optimization_session WHERE id = $1`,
      [sessionId],
    );
    return rows[0]?.account_id;
  }
});
