import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Observable, ReplaySubject, Subject } from 'rxjs';
import type { DataSource } from 'typeorm';
import {
  type ErrorDetail,
  TARN_ERROR_STATUS,
  TarnError,
  type TarnErrorCode,
  type TarnErrorData,
} from '../common/errors/tarn-error.js';
import { databaseUnavailable } from '../common/errors/database-unavailable.js';
import { TarnConfig } from '../config/tarn-config.js';
import { SessionLogService } from '../logging/session-log.service.js';
import type { Command } from '../shop/shop-json.js';
import { type Admission, admission, nextToStart, type UnfinishedRun } from './account-turns.js';

export const RUN_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];
const FINAL_STATES: ReadonlySet<RunState> = new Set(['done', 'failed', 'cancelled']);
export const isFinal = (status: RunState) => FINAL_STATES.has(status);

/** Who runs a run: this process's solver threads, or a worker process taking it from the queue. */
export type RunRunner = 'process' | 'queue';

/**
 * The client error a run ended in, as stored in `solver_run.error`, for the PUT /model that waits
 * for it. Rows written before errors were stored as TarnErrorData held the HTTP answer
 * (`{status, body}`); they are read as the TarnError with that status.
 */
export function storedRunError(value: unknown): TarnError | null {
  const data: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (TarnError.isData(data)) return TarnError.fromData(data);
  if (typeof data !== 'object' || data === null || typeof (data as { status?: unknown }).status !== 'number') {
    return null;
  }
  const { status, body } = data as { status: number; body: string | { message?: unknown; details?: ErrorDetail[] } };
  const code = (Object.keys(TARN_ERROR_STATUS) as TarnErrorCode[]).find((c) => TARN_ERROR_STATUS[c] === status);
  if (!code) return null;
  return typeof body === 'string'
    ? new TarnError(code, body)
    : new TarnError(code, String(body.message ?? ''), body.details ?? []);
}

export interface Run {
  run_id: number;
  session_id: number;
  status: RunState;
  commands: string[];
  solver_status: string | null;
  objective: number | null;
  iterations: number | null;
  message: string | null;
  /** Times it was started: 2 after a retry (its first worker died). */
  attempts: number;
  created: string;
  started: string | null;
  finished: string | null;
  seconds: number | null;
}

/** One iteration's solve, as a run's event stream reports it. */
export interface RunProgress {
  iteration: number;
  status: string;
  objective: number;
  mipGap?: number;
  seconds: number;
  columns: number;
  rows: number;
  binaries: number;
}

export type RunEvent = { type: 'progress'; data: RunProgress } | { type: 'end'; data: Run };

export interface RunEnd {
  status: Exclude<RunState, 'queued' | 'running'>;
  solverStatus?: string;
  objective?: number;
  iterations?: number;
  message?: string;
  error?: TarnErrorData;
}

interface RunRow {
  id: number;
  session_id: number;
  status: RunState;
  commands: Command[] | string;
  solver_status: string | null;
  objective: number | null;
  iterations: number | null;
  message: string | null;
  attempts: number;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
const text = (command: Command) =>
  [command.command, ...command.options.map((o) => `/${o}`), ...command.values].join(' ');

function toRun(row: RunRow): Run {
  const commands = typeof row.commands === 'string' ? (JSON.parse(row.commands) as Command[]) : row.commands;
  const started = iso(row.started_at);
  const finished = iso(row.finished_at);
  return {
    run_id: row.id,
    session_id: row.session_id,
    status: row.status,
    commands: commands.map(text),
    solver_status: row.solver_status,
    objective: row.objective === null ? null : Number(row.objective),
    iterations: row.iterations,
    message: row.message,
    attempts: row.attempts,
    created: iso(row.created_at)!,
    started,
    finished,
    seconds: started && finished ? (Date.parse(finished) - Date.parse(started)) / 1000 : null,
  };
}

/** Why a run whose server stopped failed, as its message says. */
export const SERVER_STOPPED_RUNNING = 'server stopped during the run';
export const SERVER_STOPPED_QUEUED = 'server stopped before the run started';
/** The message of a run cancelled before it started. */
export const CANCELLED_WAITING = 'cancelled while queued (POST /session/cancel)';

const COLUMNS =
  'id, session_id, status, commands, solver_status, objective, iterations, message, attempts, created_at, ' +
  'started_at, finished_at';

/**
 * The runs of sessions: every PUT /model with commands is one, a row whose every state change
 * (queued, running, done/failed/cancelled) is written when it happens, with timings and the
 * outcome; and the live events of runs in progress (one per solved iteration, then the end).
 */
@Injectable()
export class RunsService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Runs');
  private readonly live = new Map<number, ReplaySubject<RunEvent>>();
  /** The runs this process's solver threads run, which its heartbeat keeps alive. */
  private readonly mine = new Set<number>();
  /**
   * How this process's runs ended while the database was away: written at the next heartbeat
   * (the runs stay this process's, kept alive, until then), so that none stays running.
   */
  private readonly unrecorded = new Map<number, RunEnd>();
  /** A run of this process started or ended: a run waiting for its account's turn may start now. */
  private readonly turns = new Subject<void>();
  private heartbeat?: NodeJS.Timeout;
  /** Set as the application closes: this process's waiting runs (in-process) will not start. */
  private closing = false;
  /** Set by the queue runner: other processes' runs report here through queue events. */
  followsQueue = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: TarnConfig,
    private readonly logs: SessionLogService,
  ) {}

  /**
   * Runs whose process stopped (killed, crashed, its machine lost) cannot finish: they are failed.
   * On the embedded database, this process holds the data folder's lock, so none other has runs
   * in it: every unfinished run is an earlier process's, and all are failed at start, before the
   * server answers. On a shared PostgreSQL, API replicas and workers run their own runs: each
   * process marks its unfinished runs alive every heartbeat interval, and a run without a mark
   * for the heartbeat timeout is failed (at start and then at every beat, by any process), so
   * that replicas never fail each other's live runs. Runs on the queue are not this process's:
   * BullMQ finds their dead workers (stalled jobs).
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.database.url) {
      await this.failUnfinished();
      return;
    }
    await this.failOrphans();
    this.heartbeat = setInterval(() => {
      this.beat().catch((error: unknown) => this.logger.warn(`Run heartbeat failed: ${(error as Error).message}`));
    }, this.config.runs.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  /**
   * This process's runs that still wait for their account's turn will not start: they are failed
   * now, before the solver pool and the database close (those already running finish or are
   * interrupted by the pool's closing). Queue runs wait in the queue, for any worker.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    const waiting = [...this.mine];
    if (waiting.length) {
      await this.failStopped(`status = 'queued' AND id = ANY($3::int[])`, 'it closed', waiting).catch(
        (error: unknown) => this.logger.warn(`Waiting runs not failed at shutdown: ${(error as Error).message}`),
      );
    }
    this.turns.next();
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
  }

  private async beat(): Promise<void> {
    for (const [runId, end] of this.unrecorded) {
      await this.finished(runId, end);
      this.logger.log(`Run ${runId}: its end (${end.status}), which the database missed, is recorded`);
    }
    if (this.mine.size) {
      await this.dataSource.query(`UPDATE solver_run SET heartbeat_at = now() WHERE id = ANY($1::int[])`, [
        [...this.mine],
      ]);
    }
    await this.failOrphans();
  }

  /** Marks the in-process runs of processes that stopped beating as failed (a shared PostgreSQL); answers how many. */
  failOrphans(): Promise<number> {
    return this.failStopped(
      `runner = 'process' AND heartbeat_at < now() - $3 * interval '1 millisecond'`,
      'no heartbeat',
      this.config.runs.heartbeatTimeoutMs,
    );
  }

  /**
   * Marks every unfinished run failed: on the embedded database, at start, they are all the
   * stopped earlier process's (queue runs cannot be there: the queue needs PostgreSQL, and no
   * worker could reach this database to end them). Answers how many.
   */
  failUnfinished(): Promise<number> {
    return this.failStopped('true', 'left by the earlier server on this data folder');
  }

  /**
   * Fails the unfinished runs `where` selects, saying so with each run and in its session's log;
   * the session's results and solver state stay those of its last run that ended.
   */
  private async failStopped(where: string, why: string, ...parameters: unknown[]): Promise<number> {
    // (An UPDATE's own RETURNING comes back from TypeORM as [rows, count]; a CTE answers rows.)
    const rows: Array<{ id: number; session_id: number; message: string }> = await this.dataSource.query(
      `WITH failed AS (
         UPDATE solver_run SET status = 'failed', finished_at = now(),
                message = CASE status WHEN 'running' THEN $1 ELSE $2 END
          WHERE status IN ('queued', 'running') AND ${where}
          RETURNING id, session_id, message
       ) SELECT id, session_id, message FROM failed ORDER BY id`,
      [SERVER_STOPPED_RUNNING, SERVER_STOPPED_QUEUED, ...parameters],
    );
    if (!rows.length) return 0;
    this.logger.warn(`Run(s) ${rows.map((row) => row.id).join(', ')} failed: their server stopped (${why})`);
    // Their turns are free: others of their accounts may start.
    for (const { id } of rows) await this.ended(id).catch(() => undefined);
    this.turns.next();
    for (const { id, session_id, message } of rows) {
      await this.logs
        .log(session_id, 'ERROR', `Run ${id} failed: ${message}`)
        .catch((error: unknown) => this.logger.warn(`Run ${id}: session log not written: ${(error as Error).message}`));
    }
    return rows.length;
  }

  async create(sessionId: number, commands: Command[], runner: RunRunner = 'process'): Promise<Run> {
    const [row]: RunRow[] = await this.dataSource.query(
      `INSERT INTO solver_run (session_id, status, commands, runner) VALUES ($1, 'queued', $2::jsonb, $3)
       RETURNING ${COLUMNS}`,
      [sessionId, JSON.stringify(commands), runner],
    );
    if (runner === 'process') this.mine.add(row.id);
    this.subject(row.id);
    return toRun(row);
  }

  /** The run's live events; replayed, so a client that connects after a few iterations still gets every one. */
  private subject(runId: number): ReplaySubject<RunEvent> {
    let subject = this.live.get(runId);
    if (!subject) this.live.set(runId, (subject = new ReplaySubject<RunEvent>()));
    return subject;
  }

  /**
   * Starts the run if its account's turn allows (TARN_MAX_RUNS_PER_ACCOUNT, `account-turns.ts`):
   * marks it running (one more attempt) and answers `start`, or `resume` for a run that was
   * running already (the queue starts again a run whose worker died: it keeps its turn);
   * `wait` leaves it queued; `ended`: it must not start (it ended while it waited, e.g.
   * cancelled, or is gone with its session). The account's row is locked while its unfinished
   * runs are counted and the run marked, so that processes starting runs of one account at once
   * (API replicas, queue workers) see each other's starts. `accountId`: the run's account.
   */
  async start(runId: number): Promise<{ admission: Admission; accountId?: number }> {
    const limit = this.config.runs.maxPerAccount;
    const answer = await this.dataSource.transaction(async (manager) => {
      const owner: Array<{ account_id: number }> = await manager.query(
        `SELECT s.account_id FROM solver_run r JOIN optimization_session s ON s.id = r.session_id WHERE r.id = $1`,
        [runId],
      );
      if (!owner.length) return { admission: 'ended' as const };
      const accountId = owner[0].account_id;
      // NO KEY UPDATE: it does not hold up new users or sessions of the account (their key share).
      await manager.query(`SELECT id FROM account WHERE id = $1 FOR NO KEY UPDATE`, [accountId]);
      const unfinished = await this.accountRuns(manager, accountId);
      const decision = admission(runId, unfinished, limit);
      if (decision === 'wait' || decision === 'ended') return { admission: decision, accountId };
      // The clock now, not the transaction's start: a run that started because another ended has
      // a start no earlier than that end.
      const rows: Array<{ attempts: number }> = await manager.query(
        `WITH started AS (
           UPDATE solver_run SET status = 'running', started_at = clock_timestamp(), attempts = attempts + 1,
                  heartbeat_at = now()
            WHERE id = $1 AND status IN ('queued', 'running') RETURNING attempts
         ) SELECT attempts FROM started`,
        [runId],
      );
      // Kept alive by this process's heartbeat until it ends, wherever it came from (a queue worker's too).
      if (rows.length) this.mine.add(runId);
      if (rows.length && rows[0].attempts > 1) {
        this.logger.warn(`Run ${runId} started again (attempt ${rows[0].attempts}): its earlier worker stopped`);
      }
      return { admission: decision, accountId };
    });
    if (answer.admission === 'start') this.turns.next();
    return answer;
  }

  /** The account's runs that wait or run, in every process. */
  private accountRuns(
    manager: Pick<DataSource, 'query'>,
    accountId: number,
  ): Promise<Array<UnfinishedRun & { created_at: Date | string }>> {
    return manager.query(
      `SELECT r.id, r.status, r.created_at FROM solver_run r JOIN optimization_session s ON s.id = r.session_id
        WHERE s.account_id = $1 AND r.status IN ('queued', 'running')`,
      [accountId],
    );
  }

  /** The account's run that may start now, if one may: its oldest waiting one while a turn is free. */
  async nextToStart(accountId: number): Promise<{ id: number; created: string } | undefined> {
    const unfinished = await this.accountRuns(this.dataSource, accountId);
    const nextId = nextToStart(unfinished, this.config.runs.maxPerAccount);
    const next = unfinished.find((run) => run.id === nextId);
    return next && { id: next.id, created: iso(next.created_at)! };
  }

  /** Whether the application is closing: the runs waiting in this process's runner will not start. */
  get stopping(): boolean {
    return this.closing;
  }

  /**
   * Settles at the next start or end of a run of this process (a turn of its account may be
   * free), or after `ms`, as a start or end in another process is not heard; `cancel` stops it.
   */
  nextTurn(ms: number): { turn: Promise<void>; cancel: () => void } {
    let cancel = () => {};
    const turn = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      const subscription = this.turns.subscribe(() => resolve());
      cancel = () => {
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve();
      };
    });
    void turn.then(cancel);
    return { turn, cancel };
  }

  /** One solved iteration of a run (this process's, or a queue worker's seen through queue events). */
  progress(runId: number, progress: RunProgress): void {
    this.subject(runId).next({ type: 'progress', data: progress });
  }

  /**
   * Records how the run ended. When the database is away, the end is kept and written at the
   * next heartbeat (and the error thrown all the same, for the caller's answer).
   */
  async finished(runId: number, end: RunEnd): Promise<void> {
    let rows: RunRow[];
    try {
      rows = await this.endRun(runId, end);
    } catch (error) {
      if (this.config.database.url && databaseUnavailable(error)) this.unrecorded.set(runId, end);
      // Else no longer kept alive here: the heartbeat of the processes sharing the database fails it.
      else this.mine.delete(runId);
      throw error;
    }
    this.unrecorded.delete(runId);
    this.emitEnd(runId, rows[0]);
  }

  private endRun(runId: number, end: RunEnd): Promise<RunRow[]> {
    return this.dataSource.query(
      `WITH ended AS (
         UPDATE solver_run
            SET status = $2, solver_status = $3, objective = $4, iterations = $5, message = $6, error = $7::jsonb,
                finished_at = now(), started_at = coalesce(started_at, now())
          WHERE id = $1 RETURNING ${COLUMNS}
       ) SELECT * FROM ended`,
      [
        runId,
        end.status,
        end.solverStatus ?? null,
        end.objective ?? null,
        end.iterations ?? null,
        end.message ?? null,
        end.error ? JSON.stringify(end.error) : null,
      ],
    );
  }

  /** Fails a run that has not ended yet (its job failed or its worker died twice); false when it had ended. */
  async failIfUnfinished(runId: number, message: string): Promise<boolean> {
    const rows: RunRow[] = await this.dataSource.query(
      `WITH failed AS (
         UPDATE solver_run SET status = 'failed', message = $2, finished_at = now(),
                started_at = coalesce(started_at, now())
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}
       ) SELECT * FROM failed`,
      [runId, message],
    );
    if (rows.length) this.emitEnd(runId, rows[0]);
    else await this.ended(runId);
    return rows.length > 0;
  }

  /**
   * A queued run that this process waits for is alive: should Redis lose its job, this process
   * queues it again, and no other fails it meanwhile (see failIfLost).
   */
  async markWaiting(runId: number): Promise<void> {
    await this.dataSource.query(`UPDATE solver_run SET heartbeat_at = now() WHERE id = $1 AND status = 'queued'`, [
      runId,
    ]);
  }

  /**
   * Fails a queue run whose job Redis no longer has (it restarted without its data), unless a
   * process still holds it: its worker solving it (it records the end in the database), or the
   * API process waiting for it (it queues it again). Both mark it alive, so a run is failed
   * once its heartbeat is older than the timeout. False when the run was not failed.
   */
  async failIfLost(runId: number, message: string): Promise<boolean> {
    const rows: RunRow[] = await this.dataSource.query(
      `WITH failed AS (
         UPDATE solver_run SET status = 'failed', message = $2, finished_at = now(),
                started_at = coalesce(started_at, now())
          WHERE id = $1 AND status IN ('queued', 'running')
            AND heartbeat_at < now() - $3 * interval '1 millisecond'
          RETURNING ${COLUMNS}
       ) SELECT * FROM failed`,
      [runId, message, this.config.runs.heartbeatTimeoutMs],
    );
    if (rows.length) this.emitEnd(runId, rows[0]);
    return rows.length > 0;
  }

  /**
   * Cancels the session's runs that wait to start (`queued`), wherever they wait: they leave
   * their account's line and never start (`start` answers `ended`). Answers them, oldest first.
   */
  async cancelWaiting(sessionId: number): Promise<Array<{ id: number; created: string }>> {
    const rows: RunRow[] = await this.dataSource.query(
      `WITH cancelled AS (
         UPDATE solver_run SET status = 'cancelled', message = $2, finished_at = now()
          WHERE session_id = $1 AND status = 'queued' RETURNING ${COLUMNS}
       ) SELECT * FROM cancelled ORDER BY id`,
      [sessionId, CANCELLED_WAITING],
    );
    for (const row of rows) this.emitEnd(row.id, row);
    this.turns.next();
    return rows.map((row) => ({ id: row.id, created: iso(row.created_at)! }));
  }

  /** Sends the run's `end` event to those following it, with the run as stored, and closes its stream. */
  async ended(runId: number): Promise<void> {
    if (!this.live.has(runId)) {
      this.mine.delete(runId);
      return;
    }
    const rows: RunRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM solver_run WHERE id = $1`, [runId]);
    this.emitEnd(runId, rows[0]);
  }

  /** `row`: the run as it ended (undefined when it is gone with its session). */
  private emitEnd(runId: number, row: RunRow | undefined): void {
    this.mine.delete(runId);
    this.turns.next();
    const subject = this.live.get(runId);
    if (!subject) return;
    this.live.delete(runId);
    if (row && isFinal(row.status)) subject.next({ type: 'end', data: toRun(row) });
    subject.complete();
  }

  /** The run's status and, when it ended in a client error, the answer for its waiting PUT; undefined when gone. */
  async outcome(
    runId: number,
  ): Promise<{ status: RunState; message: string | null; error: TarnError | null } | undefined> {
    const rows: Array<{ status: RunState; message: string | null; error: unknown }> = await this.dataSource.query(
      `SELECT status, message, error FROM solver_run WHERE id = $1`,
      [runId],
    );
    if (!rows.length) return undefined;
    const { status, message, error } = rows[0];
    return { status, message, error: storedRunError(error) };
  }

  /** Every queue run that has not ended, oldest first, created more than a few seconds ago (its job is queued by then). */
  async unfinishedOnQueue(): Promise<Array<{ id: number; created: string }>> {
    const rows: Array<{ id: number; created_at: Date | string }> = await this.dataSource.query(
      `SELECT id, created_at FROM solver_run
        WHERE runner = 'queue' AND status IN ('queued', 'running') AND created_at < now() - interval '10 seconds'
        ORDER BY id`,
    );
    return rows.map(({ id, created_at }) => ({ id, created: iso(created_at)! }));
  }

  /** The session's runs that have not ended, oldest first. */
  async unfinished(sessionId: number): Promise<Array<{ id: number; status: RunState; created: string }>> {
    const rows: Array<{ id: number; status: RunState; created_at: Date | string }> = await this.dataSource.query(
      `SELECT id, status, created_at FROM solver_run WHERE session_id = $1 AND status IN ('queued', 'running')
        ORDER BY id`,
      [sessionId],
    );
    return rows.map(({ id, status, created_at }) => ({ id, status, created: iso(created_at)! }));
  }

  async list(sessionId: number): Promise<Run[]> {
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM solver_run WHERE session_id = $1 ORDER BY id`,
      [sessionId],
    );
    return rows.map(toRun);
  }

  /** A run of the session; a run of another session is 404 as an unknown one. */
  async get(sessionId: number, runId: number): Promise<Run> {
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM solver_run WHERE session_id = $1 AND id = $2`,
      [sessionId, runId],
    );
    if (!rows.length) throw new NotFoundException(`Run ${runId} not found in session ${sessionId}`);
    return toRun(rows[0]);
  }

  /**
   * The run's events: while it is in progress, one `progress` per solved iteration (those so far
   * first) and an `end` with the finished run; for a finished run, its `end` alone.
   */
  async events(sessionId: number, runId: number): Promise<Observable<RunEvent>> {
    const subject = this.live.get(runId);
    const run = await this.get(sessionId, runId);
    // Still live after the read: the end event has not been sent yet, so nothing is missed.
    const still = this.live.get(runId);
    if (subject && still === subject && !isFinal(run.status)) return subject.asObservable();
    if (!subject && this.followsQueue && !isFinal(run.status)) {
      // A queue run this replica has not heard of yet: its events arrive through the queue's.
      const followed = this.subject(runId);
      const now = await this.get(sessionId, runId);
      if (!isFinal(now.status)) return followed.asObservable();
      await this.ended(runId);
      return this.endOnly(now);
    }
    return this.endOnly(still === undefined ? await this.get(sessionId, runId) : run);
  }

  private endOnly(run: Run): Observable<RunEvent> {
    return new Observable<RunEvent>((subscriber) => {
      subscriber.next({ type: 'end', data: run });
      subscriber.complete();
    });
  }
}
