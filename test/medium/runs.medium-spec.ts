import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, toArray } from 'rxjs';
import { NoSolutionError, TarnError } from '../../src/common/errors/tarn-error.js';
import { loadConfig } from '../../src/config/tarn-config.js';
import {
  type RunEvent,
  RunsService,
  SERVER_STOPPED_QUEUED,
  SERVER_STOPPED_RUNNING,
} from '../../src/jobs/runs.service.js';
import { SessionLogService } from '../../src/logging/session-log.service.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const COMMANDS = [{ command: 'start sim', options: [], values: ['3'] }];

/**
 * A RunsService as the server makes it, on the embedded database or a shared PostgreSQL: what it
 * does about runs whose server stopped depends on which the configuration names, not on which
 * database the test runs on.
 */
function runsService(db: TestDatabase, database: 'embedded' | 'shared'): RunsService {
  const config = loadConfig(
    [],
    database === 'shared' ? { DATABASE_URL: 'postgres://tarn@127.0.0.1:5432/tarn' } : { TARN_DATA_DIR: 'memory://' },
  );
  return new RunsService(db.dataSource, config, new SessionLogService(db.dataSource, config));
}

const HEARTBEAT_TIMEOUT_MS = loadConfig([], {}).runs.heartbeatTimeoutMs;

describe('RunsService (service level, on the test database)', () => {
  let db: TestDatabase;
  let runs: RunsService;

  beforeAll(async () => {
    db = await openTestDatabase();
    runs = runsService(db, 'embedded');
  });
  afterAll(async () => db?.close());

  it('records each state of a run: queued, running, done, with its outcome and timings', async () => {
    const sessionId = await db.newSession();
    const run = await runs.create(sessionId, COMMANDS);
    expect(run).toMatchObject({ session_id: sessionId, status: 'queued', commands: ['start sim 3'], attempts: 0 });

    expect(await runs.start(run.run_id)).toMatchObject({ admission: 'start' });
    expect(await runs.get(sessionId, run.run_id)).toMatchObject({ status: 'running', attempts: 1 });

    const events = firstValueFrom((await runs.events(sessionId, run.run_id)).pipe(toArray()));
    runs.progress(run.run_id, {
      iteration: 1,
      status: 'optimal',
      objective: -10,
      seconds: 0.1,
      columns: 3,
      rows: 2,
      binaries: 0,
    });
    await runs.finished(run.run_id, { status: 'done', solverStatus: 'optimal', objective: -10, iterations: 1 });

    const done = await runs.get(sessionId, run.run_id);
    expect(done).toMatchObject({ status: 'done', solver_status: 'optimal', objective: -10, iterations: 1 });
    expect(done.seconds).toBeGreaterThanOrEqual(0);
    expect((await events).map((e: RunEvent) => e.type)).toEqual(['progress', 'end']);
    expect(await runs.list(sessionId)).toHaveLength(1);
  });

  it('does not start a run that ended while it waited, nor fail a run twice', async () => {
    const sessionId = await db.newSession();
    const run = await runs.create(sessionId, COMMANDS, 'queue');
    await runs.finished(run.run_id, { status: 'cancelled', message: 'cancelled while queued' });
    expect((await runs.start(run.run_id)).admission).toBe('ended');
    expect(await runs.failIfUnfinished(run.run_id, 'its worker failed')).toBe(false);
    expect(await runs.get(sessionId, run.run_id)).toMatchObject({ status: 'cancelled' });

    const other = await runs.create(sessionId, COMMANDS, 'queue');
    expect(await runs.failIfUnfinished(other.run_id, 'its worker failed: stalled')).toBe(true);
    expect(await runs.get(sessionId, other.run_id)).toMatchObject({
      status: 'failed',
      message: 'its worker failed: stalled',
    });
  });

  it('keeps a client error with the run, for the request that waits for it', async () => {
    const sessionId = await db.newSession();
    const run = await runs.create(sessionId, COMMANDS);
    const error = new NoSolutionError('no solution: infeasible', [{ path: 'commands', message: 'infeasible' }]);
    await runs.finished(run.run_id, { status: 'failed', message: error.message, error: error.toData() });
    const outcome = await runs.outcome(run.run_id);
    expect(outcome?.status).toBe('failed');
    expect(outcome?.error).toBeInstanceOf(TarnError);
    expect(outcome?.error?.toData()).toEqual(error.toData());
    expect(outcome?.error?.status).toBe(422);
  });

  it('reads an error stored as an HTTP answer by an earlier version as the same answer', async () => {
    const sessionId = await db.newSession();
    const run = await runs.create(sessionId, COMMANDS);
    const body = { message: 'The model was stored, but it cannot be optimized: time: missing', details: [] };
    await db.dataSource.query(`UPDATE solver_run SET status = 'failed', error = $2::jsonb WHERE id = $1`, [
      run.run_id,
      JSON.stringify({ status: 422, body }),
    ]);
    const { error } = (await runs.outcome(run.run_id))!;
    expect(error?.status).toBe(422);
    expect(error?.message).toBe(body.message);
  });

  it("fails the runs of a process that stopped beating, but not a queue worker's", async () => {
    const sessionId = await db.newSession();
    const orphan = await runs.create(sessionId, COMMANDS, 'process');
    const queued = await runs.create(sessionId, COMMANDS, 'queue');
    await db.dataSource.query(
      `UPDATE solver_run SET heartbeat_at = now() - $2 * interval '1 millisecond' WHERE id = ANY($1::int[])`,
      [[orphan.run_id, queued.run_id], 2 * HEARTBEAT_TIMEOUT_MS],
    );
    expect(await runs.failOrphans()).toBe(1);
    expect(await runs.get(sessionId, orphan.run_id)).toMatchObject({
      status: 'failed',
      message: SERVER_STOPPED_QUEUED,
    });
    expect(await runs.get(sessionId, queued.run_id)).toMatchObject({ status: 'queued' });
  });
});

/** What a server does at its start about runs that its predecessor (or another replica) left unfinished. */
describe('RunsService at start, after a server stopped during runs', () => {
  let db: TestDatabase;
  let logs: SessionLogService;

  beforeEach(async () => {
    db = await openTestDatabase();
    logs = new SessionLogService(db.dataSource, loadConfig([], {}));
  });
  afterEach(async () => db?.close());

  /** Runs as a stopped server left them: one ended, one running, one still queued. */
  async function leftBehind(runs: RunsService) {
    const sessionId = await db.newSession();
    const done = await runs.create(sessionId, COMMANDS);
    await runs.start(done.run_id);
    await runs.finished(done.run_id, { status: 'done', solverStatus: 'optimal', objective: -10, iterations: 3 });
    const running = await runs.create(sessionId, COMMANDS);
    await runs.start(running.run_id);
    const queued = await runs.create(sessionId, COMMANDS);
    return { sessionId, done: done.run_id, running: running.run_id, queued: queued.run_id };
  }

  const errors = async (sessionId: number) =>
    (await logs.messages(sessionId)).filter((m) => m.level === 'ERROR').map((m) => m.message);

  it('on the embedded database, fails every unfinished run at once, however fresh its heartbeat', async () => {
    const { sessionId, done, running, queued } = await leftBehind(runsService(db, 'embedded'));
    const restarted = runsService(db, 'embedded');
    await restarted.onApplicationBootstrap();
    try {
      expect(await restarted.get(sessionId, running)).toMatchObject({
        status: 'failed',
        message: SERVER_STOPPED_RUNNING,
        finished: expect.any(String),
      });
      expect(await restarted.get(sessionId, queued)).toMatchObject({
        status: 'failed',
        message: SERVER_STOPPED_QUEUED,
      });
      expect(await restarted.get(sessionId, done)).toMatchObject({ status: 'done', message: null, objective: -10 });
      expect(await errors(sessionId)).toEqual([
        `Run ${running} failed: ${SERVER_STOPPED_RUNNING}`,
        `Run ${queued} failed: ${SERVER_STOPPED_QUEUED}`,
      ]);
      // Nothing is left to fail: a second start changes nothing.
      expect(await restarted.failUnfinished()).toBe(0);
    } finally {
      restarted.onApplicationShutdown();
    }
  });

  it('on a shared PostgreSQL, fails only in-process runs without a heartbeat for the timeout', async () => {
    const { sessionId, running, queued } = await leftBehind(runsService(db, 'shared'));
    const onQueue = await runsService(db, 'shared').create(sessionId, COMMANDS, 'queue');
    // The running run's server stopped long ago; the queued one's (another replica's) beat a second ago.
    await db.dataSource.query(
      `UPDATE solver_run SET heartbeat_at = now() - $2 * interval '1 millisecond' WHERE id = ANY($1::int[])`,
      [[running, onQueue.run_id], 2 * HEARTBEAT_TIMEOUT_MS],
    );
    await db.dataSource.query(`UPDATE solver_run SET heartbeat_at = now() - interval '1 second' WHERE id = $1`, [
      queued,
    ]);
    const replica = runsService(db, 'shared');
    await replica.onApplicationBootstrap();
    try {
      expect(await replica.get(sessionId, running)).toMatchObject({
        status: 'failed',
        message: SERVER_STOPPED_RUNNING,
      });
      expect(await replica.get(sessionId, queued)).toMatchObject({ status: 'queued', message: null });
      // A queue run's dead worker is BullMQ's to find, however old its row's heartbeat.
      expect(await replica.get(sessionId, onQueue.run_id)).toMatchObject({ status: 'queued' });
      expect(await errors(sessionId)).toEqual([`Run ${running} failed: ${SERVER_STOPPED_RUNNING}`]);
    } finally {
      replica.onApplicationShutdown();
    }
  });
});
