import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';

/** What the solver pool's gauges read (a subset of SolverPool's stats). */
export interface SolverPoolGaugeStats {
  queued: number;
  /** Jobs running. */
  busy: number;
  workers: number;
}

/** Every metric Tarn exports starts with it, Node's default metrics too. */
export const METRICS_PREFIX = 'tarn_';

/** Seconds: API answers, from a token request to a 50 MB model upload. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds: a `start sim` run, from the basic model (0.1 s) to the default time limit (300 s) and beyond. */
const SOLVE_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

let processRegistry: Registry | undefined;

/**
 * Node's default metrics (CPU, memory, event loop lag, GC) describe the process, and collecting
 * them starts observers that live as long as it does: one registry per process, shared by every
 * application in it (tests start many), beside each application's own registry.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: METRICS_PREFIX });
  }
  return processRegistry;
}

/**
 * Tarn's Prometheus metrics, in a registry of this application's own (not prom-client's global
 * one). Counters and histograms are recorded as things happen; gauges (sessions, solver pool) are
 * read at each scrape. The database is optional so that the service also works where a module
 * is built without it; the solver pool's gauges are added by the pool's module
 * (`observeSolverPool`), where this process has one.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger('Metrics');
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: `${METRICS_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route pattern ("unmatched" when no route matched) and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: `${METRICS_PREFIX}http_request_duration_seconds`,
    help: 'Time from a request arriving to its answer being sent, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly solves = new Counter({
    name: `${METRICS_PREFIX}solves_total`,
    help: 'Solver runs (start sim) ended, by outcome: optimal, infeasible, unbounded, time_limit, interrupted, error',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly solveDuration = new Histogram({
    name: `${METRICS_PREFIX}solve_duration_seconds`,
    help: 'Wall-clock seconds of a solver run (start sim), queueing for a worker included, by outcome',
    labelNames: ['outcome'] as const,
    buckets: SOLVE_BUCKETS,
    registers: [this.registry],
  });

  private readonly deprecatedCalls = new Counter({
    name: `${METRICS_PREFIX}deprecated_calls_total`,
    help: 'Calls of deprecated routes that got past the guards, by method, route pattern and API version',
    labelNames: ['method', 'route', 'version'] as const,
    registers: [this.registry],
  });

  private readonly shopCompatRequests = new Counter({
    name: `${METRICS_PREFIX}shop_compat_requests_total`,
    help:
      'Requests answered that came without credentials and acted as the SHOP compatibility user ' +
      '(TARN_SHOP_COMPAT_USER), by method and route pattern',
    labelNames: ['method', 'route'] as const,
    registers: [this.registry],
  });

  constructor(@Optional() @InjectDataSource() dataSource?: DataSource) {
    if (dataSource) {
      this.sessionGauge(dataSource);
      this.runsWaitingGauge(dataSource);
    }
  }

  /** The text a Prometheus scrape gets: this application's metrics and the process's. */
  async metrics(): Promise<string> {
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }

  /** The Content-Type of `metrics()`: Prometheus text format 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  observeSolve(outcome: string, seconds: number): void {
    this.solves.inc({ outcome });
    this.solveDuration.observe({ outcome }, seconds);
  }

  countShopCompatRequest(method: string, route: string): void {
    this.shopCompatRequests.inc({ method, route });
  }

  countDeprecatedCall(method: string, route: string, version: string): void {
    this.deprecatedCalls.inc({ method, route, version });
  }

  /** The queue's jobs by state (all processes together), read from Redis at each scrape. */
  observeQueue(counts: () => Promise<Record<string, number>>): void {
    const logger = this.logger;
    new Gauge({
      name: `${METRICS_PREFIX}queue_jobs`,
      help: 'Jobs of the solve queue (Redis) by state: waiting, active, delayed, completed, failed; NaN while Redis is away',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        try {
          for (const [state, count] of Object.entries(await counts())) this.set({ state }, count);
        } catch (error) {
          for (const state of ['waiting', 'active', 'delayed', 'completed', 'failed']) this.set({ state }, Number.NaN);
          logger.warn(`tarn_queue_jobs not collected: ${(error as Error).message}`);
        }
      },
    });
  }

  private sessionGauge(dataSource: DataSource): void {
    const logger = this.logger;
    new Gauge({
      name: `${METRICS_PREFIX}sessions`,
      help: 'Optimization sessions in the database (all replicas together); NaN while it does not answer',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await dataSource.getRepository(OptimizationSession).count());
        } catch (error) {
          // Unknown rather than stale (or 0); the scrape itself still answers.
          this.set(Number.NaN);
          logger.warn(`tarn_sessions not collected: ${(error as Error).message}`);
        }
      },
    });
  }

  /**
   * Runs waiting to start (`queued`: for their account's turn, TARN_MAX_RUNS_PER_ACCOUNT, or for
   * a queue worker), by account name, in the database (all replicas together). Accounts are the
   * organisations users belong to, so the label has one value per account with waiting runs, not
   * per user or session; an account without waiting runs has no series.
   */
  private runsWaitingGauge(dataSource: DataSource): void {
    const logger = this.logger;
    new Gauge({
      name: `${METRICS_PREFIX}runs_waiting`,
      help: 'Runs waiting to start (queued), by account: for a turn of the account (TARN_MAX_RUNS_PER_ACCOUNT) or a worker',
      labelNames: ['account'] as const,
      registers: [this.registry],
      async collect() {
        try {
          const rows: Array<{ account: string; waiting: number | string }> = await dataSource.query(
            `SELECT a.name AS account, count(*) AS waiting
               FROM solver_run r JOIN optimization_session s ON s.id = r.session_id JOIN account a ON a.id = s.account_id
              WHERE r.status = 'queued' GROUP BY a.name`,
          );
          this.reset();
          for (const { account, waiting } of rows) this.set({ account }, Number(waiting));
        } catch (error) {
          // No series rather than stale ones; the scrape itself still answers.
          this.reset();
          logger.warn(`tarn_runs_waiting not collected: ${(error as Error).message}`);
        }
      },
    });
  }

  /** The gauges of this process's solver pool, read from `stats` at each scrape. */
  observeSolverPool(stats: () => SolverPoolGaugeStats): void {
    new Gauge({
      name: `${METRICS_PREFIX}solver_jobs`,
      help: "Solver jobs of this process's pool: queued (waiting for a worker) and running",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const now = stats();
        this.set({ state: 'queued' }, now.queued);
        this.set({ state: 'running' }, now.busy);
      },
    });
    new Gauge({
      name: `${METRICS_PREFIX}solver_workers`,
      help: "Worker threads alive in this process's solver pool (starting or ready)",
      registers: [this.registry],
      collect() {
        this.set(stats().workers);
      },
    });
  }
}
