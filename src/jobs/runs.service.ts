import {
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Observable, ReplaySubject } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { Command } from '../models/shop-document.js';

export const RUN_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface Run {
  run_id: number;
  session_id: number;
  status: RunState;
  commands: string[];
  solver_status: string | null;
  objective: number | null;
  iterations: number | null;
  message: string | null;
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
    created: iso(row.created_at)!,
    started,
    finished,
    seconds: started && finished ? (Date.parse(finished) - Date.parse(started)) / 1000 : null,
  };
}

/** How often a process marks its runs alive, and after how long without a mark a run counts as orphaned. */
export const RUN_HEARTBEAT_MS = 10_000;
export const RUN_STALE_MS = 3 * RUN_HEARTBEAT_MS;

const COLUMNS =
  'id, session_id, status, commands, solver_status, objective, iterations, message, created_at, started_at, finished_at';

/**
 * The runs of sessions: every PUT /model with commands is one, a row whose every state change
 * (queued, running, done/failed/cancelled) is written when it happens, with timings and the
 * outcome; and the live events of runs in progress (one per solved iteration, then the end).
 */
@Injectable()
export class RunsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Runs');
  private readonly live = new Map<number, ReplaySubject<RunEvent>>();
  private heartbeat?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Each process marks its unfinished runs alive every RUN_HEARTBEAT_MS; a queued or running run
   * without a mark for RUN_STALE_MS belonged to a process that stopped (this one before a
   * restart, or another replica) and cannot finish: it is marked failed, at start and then at
   * every beat, so that replicas sharing the database never fail each other's live runs.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.failOrphans();
    this.heartbeat = setInterval(() => {
      this.beat().catch((error: unknown) => this.logger.warn(`Run heartbeat failed: ${(error as Error).message}`));
    }, RUN_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
  }

  private async beat(): Promise<void> {
    if (this.live.size) {
      await this.dataSource.query(`UPDATE solver_run SET heartbeat_at = now() WHERE id = ANY($1::int[])`, [
        [...this.live.keys()],
      ]);
    }
    await this.failOrphans();
  }

  /** Marks runs whose process stopped as failed; answers how many. */
  async failOrphans(): Promise<number> {
    // (An UPDATE's own RETURNING comes back from TypeORM as [rows, count]; a CTE answers rows.)
    const rows: Array<{ id: number }> = await this.dataSource.query(
      `WITH failed AS (
         UPDATE solver_run SET status = 'failed', finished_at = now(),
                message = 'its server stopped while the run was ' || status
          WHERE status IN ('queued', 'running') AND heartbeat_at < now() - $1 * interval '1 millisecond'
          RETURNING id
       ) SELECT id FROM failed`,
      [RUN_STALE_MS],
    );
    if (rows.length) this.logger.warn(`${rows.length} run(s) left unfinished by a stopped process marked failed`);
    return rows.length;
  }

  async create(sessionId: number, commands: Command[]): Promise<Run> {
    const [row]: RunRow[] = await this.dataSource.query(
      `INSERT INTO solver_run (session_id, status, commands) VALUES ($1, 'queued', $2::jsonb) RETURNING ${COLUMNS}`,
      [sessionId, JSON.stringify(commands)],
    );
    // Replayed: a client that connects after a few iterations still gets every event.
    this.live.set(row.id, new ReplaySubject<RunEvent>());
    return toRun(row);
  }

  async started(runId: number): Promise<void> {
    await this.dataSource.query(`UPDATE solver_run SET status = 'running', started_at = now() WHERE id = $1`, [runId]);
  }

  progress(runId: number, progress: RunProgress): void {
    this.live.get(runId)?.next({ type: 'progress', data: progress });
  }

  async finished(runId: number, end: RunEnd): Promise<void> {
    const rows: RunRow[] = await this.dataSource.query(
      `WITH ended AS (
         UPDATE solver_run
            SET status = $2, solver_status = $3, objective = $4, iterations = $5, message = $6, finished_at = now(),
                started_at = coalesce(started_at, now())
          WHERE id = $1 RETURNING ${COLUMNS}
       ) SELECT * FROM ended`,
      [runId, end.status, end.solverStatus ?? null, end.objective ?? null, end.iterations ?? null, end.message ?? null],
    );
    const subject = this.live.get(runId);
    this.live.delete(runId);
    if (rows.length) subject?.next({ type: 'end', data: toRun(rows[0]) });
    subject?.complete();
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
    if (
      subject &&
      still === subject &&
      run.status !== 'done' &&
      run.status !== 'failed' &&
      run.status !== 'cancelled'
    ) {
      return subject.asObservable();
    }
    const finished = still === undefined ? await this.get(sessionId, runId) : run;
    return new Observable<RunEvent>((subscriber) => {
      subscriber.next({ type: 'end', data: finished });
      subscriber.complete();
    });
  }
}
