import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { TarnError } from '../common/errors/tarn-error.js';
import { TarnConfig } from '../config/tarn-config.js';
import { SolverService } from '../solver/solver.service.js';
import type { SolveJob } from './job-runner.js';
import { SOLVE_QUEUE, cancelChannel, closeWithin, jobIdOf, redisOptions, runIdOf } from './queue-connection.js';
import { RunExecutor } from './run-executor.service.js';
import { RunsService } from './runs.service.js';

/**
 * How long a job whose run waits for its account's turn (TARN_MAX_RUNS_PER_ACCOUNT) is put
 * aside (BullMQ's delayed jobs) before a worker asks again; sooner when a run of its account
 * ends or starts in a worker, which promotes the job of the account's next run.
 */
export const TURN_RETRY_MS = 1000;

/** What a job answers: a run that ended in a client error is a completed job (its answer is on the run). */
export interface SolveJobResult {
  ran: boolean;
  status?: number;
}

/**
 * The worker process's side of the queue: takes solve jobs (TARN_WORKER_CONCURRENCY at once),
 * runs them with the same RunExecutor as the in-process runner, and interrupts the solve of a
 * session when a cancel arrives on the Redis channel, whichever API replica sent it. A worker
 * that dies mid-solve stops renewing its job's lock; after TARN_WORKER_LOCK_TIMEOUT another
 * worker finds the job stalled and starts it again (TARN_WORKER_RETRIES times), then it fails.
 *
 * A job is solved once its run's account has a turn (`RunsService.start`, counted in the
 * database, so every worker shares TARN_MAX_RUNS_PER_ACCOUNT): a job whose run must wait goes
 * back to the queue as a delayed job, so that it holds no worker slot and other accounts' jobs
 * are taken ahead of it; its run stays `queued`.
 */
@Injectable()
export class SolveQueueWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private worker?: Worker<SolveJob, SolveJobResult>;
  /** The queue itself, to promote the delayed job of a run whose turn has come. */
  private queue?: Queue<SolveJob, SolveJobResult>;
  private subscriber?: Redis;
  private lastError = '';

  constructor(
    private readonly executor: RunExecutor,
    private readonly solver: SolverService,
    private readonly runs: RunsService,
    private readonly config: TarnConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = { ...redisOptions(this.config.redisUrl!), maxRetriesPerRequest: null };
    this.subscriber = new Redis(connection);
    this.subscriber.on('error', (error) => this.connectionError(error));
    this.subscriber.on('message', (_channel, message) => this.cancelled(message));
    await this.subscriber.subscribe(cancelChannel(this.config));

    const { lockTimeoutMs, retries, workerConcurrency, prefix } = this.config.queue;
    this.queue = new Queue<SolveJob, SolveJobResult>(SOLVE_QUEUE, { connection, prefix });
    this.queue.on('error', (error) => this.connectionError(error));
    this.worker = new Worker<SolveJob, SolveJobResult>(SOLVE_QUEUE, (job, token) => this.process(job, token), {
      connection,
      prefix,
      // A job names the worker that holds it (processedBy): host and process id.
      name: `${hostname()}:${process.pid}`,
      concurrency: workerConcurrency,
      lockDuration: lockTimeoutMs,
      stalledInterval: Math.max(1000, Math.round(lockTimeoutMs / 2)),
      maxStalledCount: retries,
    });
    this.worker.on('error', (error) => this.connectionError(error));
    this.worker.on('stalled', (jobId) => this.logger.warn(`Job ${jobId} stalled (its worker stopped): started again`));
    this.worker.on('failed', (job, error) => {
      const runId = job && runIdOf(job.id ?? '');
      if (runId === undefined || runId === null) return;
      this.runs
        .failIfUnfinished(runId, `its worker failed: ${error.message}`)
        .catch((failure: unknown) => this.logger.warn(`Run ${runId}: ${(failure as Error).message}`));
    });
    // BullMQ cannot close a connection that is still connecting: its failed start is emitted
    // after close() dropped the listeners, and the process dies (exit 1) on SIGTERM right after start.
    await Promise.all([this.queue.waitUntilReady(), this.worker.waitUntilReady()]);
    this.logger.log(
      `Taking solve jobs from queue ${prefix}:${SOLVE_QUEUE}, ${workerConcurrency} at a time, ` +
        `${this.config.runs.maxPerAccount} per account over all workers ` +
        `(lock timeout ${lockTimeoutMs / 1000} s, ${retries} retr${retries === 1 ? 'y' : 'ies'} after a worker dies)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    // Jobs in progress finish first (close waits for them); none are taken meanwhile.
    if (this.worker) await closeWithin(this.worker, this.config.http.shutdownTimeoutMs);
    if (this.queue) await closeWithin(this.queue, 2000);
    this.subscriber?.disconnect();
  }

  private async process(job: Job<SolveJob, SolveJobResult>, token?: string): Promise<SolveJobResult> {
    const { runId } = job.data;
    const { admission, accountId } = await this.runs.start(runId);
    if (admission === 'ended') return { ran: false };
    if (admission === 'wait') {
      // Back to the queue, without holding this slot: asked again after TURN_RETRY_MS, or sooner.
      await job.moveToDelayed(Date.now() + TURN_RETRY_MS, token);
      throw new DelayedError();
    }
    // A turn of the account may be left for its next run (the limit is above one).
    if (accountId !== undefined) void this.promoteNext(accountId);
    const report = (progress: unknown): void => {
      job.updateProgress(progress as object).catch((error: unknown) => {
        this.logger.warn(`Job ${job.id}: progress not sent: ${(error as Error).message}`);
      });
    };
    try {
      return { ran: await this.executor.executeStarted(job.data, report) };
    } catch (error) {
      // The client's mistake, recorded with the run for the waiting request: the job did its work.
      if (error instanceof TarnError) return { ran: true, status: error.status };
      throw error;
    } finally {
      // Its turn is free: the account's next waiting run need not wait for its retry.
      if (accountId !== undefined) void this.promoteNext(accountId);
    }
  }

  /** Has the delayed job of the account's next run taken at once, when that run may start now. */
  private async promoteNext(accountId: number): Promise<void> {
    try {
      const next = await this.runs.nextToStart(accountId);
      if (!next || !this.queue) return;
      const job = await this.queue.getJob(jobIdOf(next.id, next.created));
      if (job && (await job.isDelayed())) await job.promote();
    } catch (error) {
      // It is asked again after its delay anyway.
      this.logger.debug(`Account ${accountId}: next run not promoted: ${(error as Error).message}`);
    }
  }

  private cancelled(message: string): void {
    try {
      const { sessionId } = JSON.parse(message) as { sessionId: number };
      if (this.solver.cancel(sessionId)) this.logger.log(`Session ${sessionId}: cancel received, solve interrupted`);
    } catch {
      this.logger.warn(`Ignored a malformed cancel message: ${message.slice(0, 100)}`);
    }
  }

  private connectionError(error: Error): void {
    if (error.message === this.lastError) return;
    this.lastError = error.message;
    this.logger.warn(`Redis: ${error.message}`);
  }
}
