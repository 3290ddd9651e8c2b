import {
  Injectable,
  InternalServerErrorException,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { type Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { TarnConfig } from '../config/tarn-config.js';
import { QueueUnavailableError, TarnError } from '../common/errors/tarn-error.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { JobRunner, type SolveJob, type SubmittedRun } from './job-runner.js';
import { SOLVE_QUEUE, cancelChannel, closeWithin, jobIdOf, redisOptions, runIdOf } from './queue-connection.js';
import { type RunProgress, RunsService, isFinal } from './runs.service.js';

/** How long a request waits for the queue's Redis connection before answering 503. */
const QUEUE_CHECK_MS = 1000;
/** A waiting PUT also reads its run's row this often, in case a queue event was missed (Redis was away). */
const WAIT_POLL_MS = 2000;
/** How often queue runs whose job ended unheard (or was lost) are looked for. */
const RECONCILE_MS = 30_000;
/** Why a run whose job Redis lost, and which no process can queue again, failed. */
export const JOB_LOST = 'its job is no longer in the queue (Redis lost it)';

/**
 * With REDIS_URL: runs go to the BullMQ queue `solve`, taken by `npm run worker` processes,
 * which read the model from PostgreSQL and write results and run states there. This process
 * only enqueues, follows the queue's events (progress for event streams, completion for waiting
 * requests) and sends cancels, which every worker hears on a Redis channel.
 */
@Injectable()
export class QueueJobRunner extends JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly kind = 'queue' as const;
  private readonly logger = new Logger('Queue');
  private readonly events: QueueEvents;
  private readonly waiters = new Map<number, () => void>();
  /** The runs this process queued that have not ended: it can queue them again should Redis lose them. */
  private readonly submitted = new Map<number, SolveJob>();
  private reconciler?: NodeJS.Timeout;
  private lastError = '';

  constructor(
    @InjectQueue(SOLVE_QUEUE) private readonly queue: Queue,
    private readonly runs: RunsService,
    private readonly config: TarnConfig,
    @Optional() metrics?: MetricsService,
  ) {
    super();
    runs.followsQueue = true;
    this.queue.on('error', (error) => this.connectionError(error));
    this.events = new QueueEvents(SOLVE_QUEUE, {
      connection: { ...redisOptions(config.redisUrl!), maxRetriesPerRequest: null },
      prefix: config.queue.prefix,
      autorun: false,
    });
    this.events.on('error', (error) => this.connectionError(error));
    this.events.on('progress', ({ jobId, data }) => {
      const runId = runIdOf(jobId);
      if (runId !== undefined && typeof data === 'object') this.runs.progress(runId, data as unknown as RunProgress);
    });
    this.events.on('completed', ({ jobId }) => this.jobEnded(jobId));
    this.events.on('failed', ({ jobId, failedReason }) => this.jobEnded(jobId, failedReason));
    metrics?.observeQueue(() => this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed'));
  }

  onApplicationBootstrap(): void {
    this.events.run().catch((error: unknown) => this.connectionError(error as Error));
    const reconcile = () =>
      this.reconcile().catch((error: unknown) =>
        this.logger.warn(`Queue runs not reconciled: ${(error as Error).message}`),
      );
    void reconcile();
    this.reconciler = setInterval(() => void reconcile(), RECONCILE_MS);
    this.reconciler.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.reconciler);
    await closeWithin(this.events, 2000);
  }

  /**
   * Ends the queue runs that can no longer end by themselves: their job failed while no API
   * process heard it (a worker died once more than retried), or Redis lost it. At start and
   * every RECONCILE_MS; answers how many runs it ended. Nothing is done while Redis is away.
   */
  async reconcile(): Promise<number> {
    await this.client();
    let ended = 0;
    for (const run of await this.runs.unfinishedOnQueue()) {
      const job = await this.queue.getJob(jobIdOf(run.id, run.created));
      const state = job ? await job.getState() : 'gone';
      if (state === 'gone') {
        // The runs this process queued are its waits' to deal with (they queue them again).
        if (!this.submitted.has(run.id) && (await this.runs.failIfLost(run.id, JOB_LOST))) ended++;
      } else if (state === 'failed') {
        if (await this.runs.failIfUnfinished(run.id, `its worker failed: ${job!.failedReason}`)) ended++;
      }
    }
    if (ended) this.logger.warn(`${ended} queue run(s) whose job had ended or was lost marked failed`);
    return ended;
  }

  private connectionError(error: Error): void {
    // Once per kind of failure, not at every reconnect attempt.
    if (error.message === this.lastError) return;
    this.lastError = error.message;
    this.logger.warn(`Redis: ${error.message}`);
  }

  /** A job ended (done, or failed: its processor threw, or its worker died once more than retried). */
  private jobEnded(jobId: string, failedReason?: string): void {
    const runId = runIdOf(jobId);
    if (runId === undefined) return;
    const recorded = failedReason
      ? this.runs.failIfUnfinished(runId, `its worker failed: ${failedReason}`)
      : this.runs.ended(runId);
    recorded
      .catch((error: unknown) => this.logger.warn(`Run ${runId}: end not recorded: ${(error as Error).message}`))
      .finally(() => this.waiters.get(runId)?.());
  }

  /** The queue's Redis connection, once it is ready; a 503 when it is not within a second. */
  private async client() {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), QUEUE_CHECK_MS)));
    const client = await Promise.race([this.queue.client.catch(() => undefined), timeout]).finally(() =>
      clearTimeout(timer),
    );
    if (!client || client.status !== 'ready') {
      throw new QueueUnavailableError(`no connection to ${redisHost(this.config)}`);
    }
    // BullMQ connects with ioredis: its client publishes too.
    return client as unknown as Redis;
  }

  async checkAvailable(): Promise<void> {
    await this.client();
  }

  private async enqueue(job: SolveJob): Promise<void> {
    await this.queue.add(SOLVE_QUEUE, job, {
      jobId: jobIdOf(job.runId, job.created),
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 24 * 3600, count: 1000 },
    });
  }

  async submit(job: SolveJob): Promise<SubmittedRun> {
    try {
      await this.client();
      await this.enqueue(job);
    } catch (error) {
      const failure = error instanceof TarnError ? error : new QueueUnavailableError((error as Error).message);
      await this.runs
        .finished(job.runId, { status: 'failed', message: String(failure.message) })
        .catch(() => undefined);
      throw failure;
    }
    this.submitted.set(job.runId, job);
    const done = this.waitFor(job.runId, jobIdOf(job.runId, job.created));
    void done.catch(() => undefined).finally(() => this.submitted.delete(job.runId));
    return { done };
  }

  /**
   * Settles when the run has ended, as the PUT should answer: resolved when it is done or
   * cancelled; rejected with its client error (e.g. 422), or with a 500 naming why it failed.
   */
  private async waitFor(runId: number, jobId: string): Promise<void> {
    for (;;) {
      const outcome = await this.runs.outcome(runId);
      if (!outcome) throw new InternalServerErrorException(`Run ${runId} is gone (its session was deleted)`);
      if (isFinal(outcome.status)) {
        if (outcome.status !== 'failed') return;
        if (outcome.error) throw outcome.error;
        throw new InternalServerErrorException(`Run ${runId} failed: ${outcome.message ?? 'no reason was given'}`);
      }
      if (outcome.status === 'queued') await this.runs.markWaiting(runId);
      const heard = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), WAIT_POLL_MS);
        this.waiters.set(runId, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      this.waiters.delete(runId);
      if (!heard) await this.checkJob(runId, jobId);
    }
  }

  /**
   * A run whose job is no longer in the queue (Redis restarted without its data) would never
   * end. Still waiting for a worker: it is queued again (this process has its commands). Being
   * solved: its worker goes on and records the end, unless its heartbeat stopped too (the
   * worker is gone as well), when it is failed.
   */
  private async checkJob(runId: number, jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId).catch(() => null);
    // undefined: Redis answered that there is no such job; null: it did not answer (away), so nothing is known.
    if (job !== undefined) return;
    // Read after the job was found gone: a worker that took it before has marked it running by then.
    const status = (await this.runs.outcome(runId))?.status;
    const submitted = this.submitted.get(runId);
    if (status === 'queued' && submitted) {
      try {
        await this.enqueue(submitted);
        this.logger.warn(`Run ${runId}: its job was lost (Redis restarted without its data); queued again`);
      } catch (error) {
        this.logger.warn(`Run ${runId}: its lost job is not queued again yet: ${(error as Error).message}`);
      }
      return;
    }
    await this.runs.failIfLost(runId, JOB_LOST);
  }

  async cancel(sessionId: number): Promise<boolean> {
    const client = await this.client();
    // Runs waiting to start leave the line first, in the database: a worker that takes one of
    // their jobs meanwhile finds it cancelled and does not start it.
    for (const run of await this.runs.cancelWaiting(sessionId)) {
      const job = await this.queue.getJob(jobIdOf(run.id, run.created)).catch(() => undefined);
      const state = job ? await job.getState().catch(() => 'unknown') : 'unknown';
      if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
        await job.remove().catch(() => undefined);
      }
      this.waiters.get(run.id)?.();
    }
    const running = (await this.runs.unfinished(sessionId)).length > 0;
    // Every worker hears it; the one solving the session's run interrupts it.
    await client.publish(cancelChannel(this.config), JSON.stringify({ sessionId }));
    return running;
  }
}

const redisHost = (config: TarnConfig) => {
  const { host, port } = redisOptions(config.redisUrl!);
  return `${host}:${port}`;
};
