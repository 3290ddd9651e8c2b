import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { firstValueFrom, toArray } from 'rxjs';
import { NoSolutionError, TarnError } from '../../src/common/errors/tarn-error.js';
import { type RunEvent, RUN_STALE_MS, RunsService } from '../../src/jobs/runs.service.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const COMMANDS = [{ command: 'start sim', options: [], values: ['3'] }];

describe('RunsService (service level, on the test database)', () => {
  let db: TestDatabase;
  let runs: RunsService;

  beforeAll(async () => {
    db = await openTestDatabase();
    runs = new RunsService(db.dataSource);
  });
  afterAll(async () => db?.close());

  it('records each state of a run: queued, running, done, with its outcome and timings', async () => {
    const sessionId = await db.newSession();
    const run = await runs.create(sessionId, COMMANDS);
    expect(run).toMatchObject({ session_id: sessionId, status: 'queued', commands: ['start sim 3'], attempts: 0 });

    expect(await runs.started(run.run_id)).toBe(true);
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
    expect(await runs.started(run.run_id)).toBe(false);
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
      [[orphan.run_id, queued.run_id], 2 * RUN_STALE_MS],
    );
    expect(await runs.failOrphans()).toBe(1);
    expect(await runs.get(sessionId, orphan.run_id)).toMatchObject({
      status: 'failed',
      message: 'its server stopped while the run was queued',
    });
    expect(await runs.get(sessionId, queued.run_id)).toMatchObject({ status: 'queued' });
  });
});
