import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { TarnConfig } from '../config/tarn-config.js';
import { JobRunner, type SolveJob } from '../jobs/job-runner.js';
import { RunExecutor } from '../jobs/run-executor.service.js';
import { RunsService } from '../jobs/runs.service.js';
import { SessionLogService } from '../logging/session-log.service.js';
import { DEFAULT_FILTERS, ModelStoreService } from '../model-store/model-store.service.js';
import { attributesOf } from '../shop/catalog.js';
import { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ModelUploadService } from './model-upload.service.js';

/**
 * A DataSource whose every query, and every transaction, runs on `runner`, inside the
 * transaction it holds: the services below then work as on a request, and the rollback undoes
 * all of it.
 */
function boundTo(runner: QueryRunner): DataSource {
  return {
    query: (sql: string, parameters?: unknown[]) => runner.query(sql, parameters),
    transaction: (work: (manager: QueryRunner['manager']) => Promise<unknown>) => work(runner.manager),
    manager: runner.manager,
  } as unknown as DataSource;
}

/** What RunExecutor takes as its solver, and what a run of it answers (the API does not reach the solver itself). */
type Solver = ConstructorParameters<typeof RunExecutor>[1];
type Outcome = NonNullable<Awaited<ReturnType<Solver['run']>>>;

const HOURS = 48;
const START = Date.UTC(2026, 0, 5);
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const TIMESTAMPS = Array.from({ length: HOURS }, (_, t) => iso(START + t * 3_600_000));
const constant = (value: number) => ({ timestamps: [TIMESTAMPS[0]], values: [[value]] });
const hourly = (value: (t: number) => number) => ({
  timestamps: TIMESTAMPS,
  values: [TIMESTAMPS.map((_, t) => value(t))],
});
const curve = (x: number[], y: number[], ref = 0) => ({ ref, x, y });

/** A small model of the shape uploads have (two reservoirs in a chain, a plant with two units each, a market), with commands. */
function warmUpModel() {
  const reservoir = (i: number) => ({
    max_vol: 39 - i * 9,
    lrl: 860 - i * 200,
    hrl: 905 - i * 200,
    vol_head: curve(
      [0, 10, 20, 30, 41],
      [860, 878, 890, 900, 907].map((h) => h - i * 200),
    ),
    start_head: 900 - i * 200,
    inflow: hourly((t) => 50 + 10 * Math.sin(t / 4) + i),
    flow_descr: curve([906 - i * 200, 907 - i * 200], [0, 132]),
    energy_value_input: 30,
  });
  const generator = (p: number, g: number) => ({
    penstock: 1,
    p_min: 60 - g * 20,
    p_max: 120 - g * 20,
    p_nom: 120 - g * 20,
    gen_eff_curve: curve([60, 120], [100, 100]),
    turb_eff_curves: [170, 200].map((ref) => curve([28, 35, 42, 49, 56], [86, 89, 91.5, 93, 92.5 - p], ref)),
    startcost: constant(500),
  });
  const model: Record<string, Record<string, Record<string, unknown>>> = {
    reservoir: { Reservoir1: reservoir(0), Reservoir2: reservoir(1) },
    plant: {},
    generator: {},
    gate: { s_Reservoir1_Reservoir2: {}, s_Reservoir2_Ocean: {} },
    market: {
      Day_ahead: {
        market_type: 'ENERGY',
        load: constant(0),
        max_buy: constant(9999),
        max_sale: constant(9999),
        buy_price: hourly((t) => 40 + 15 * Math.sin((t * Math.PI) / 12) + 0.01),
        sale_price: hourly((t) => 40 + 15 * Math.sin((t * Math.PI) / 12)),
      },
    },
  };
  const link = (from: string, fromType: string, to: string, toType: string) => ({
    from,
    from_type: fromType,
    to,
    to_type: toType,
    relation_type: 'default',
    relation_direction: 'both',
  });
  const connections = [];
  for (const p of [1, 2]) {
    model.plant[`Plant${p}`] = {
      prod_area: constant(1),
      outlet_line: 672 - p * 200,
      main_loss: [0],
      penstock_loss: [0.001],
    };
    for (const g of [1, 2]) {
      model.generator[`Plant${p}_Generator${g}`] = generator(p, g);
      connections.push(link(`Plant${p}_Generator${g}`, 'generator', `Plant${p}`, 'plant'));
    }
    connections.push(link(`Reservoir${p}`, 'reservoir', `Plant${p}`, 'plant'));
  }
  connections.push(
    link('Plant1', 'plant', 'Reservoir2', 'reservoir'),
    link('Reservoir1', 'reservoir', 's_Reservoir1_Reservoir2', 'gate'),
    link('s_Reservoir1_Reservoir2', 'gate', 'Reservoir2', 'reservoir'),
    link('Reservoir2', 'reservoir', 's_Reservoir2_Ocean', 'gate'),
  );
  return {
    time: {
      start_time: TIMESTAMPS[0],
      end_time: iso(START + HOURS * 3_600_000),
      time_unit: 'hour',
      time_resolution: constant(1),
    },
    model,
    connections,
    commands: [
      { command: 'set code', options: ['full'], values: [] },
      { command: 'start sim', options: [], values: ['3'] },
      { command: 'set code', options: ['incremental'], values: [] },
      { command: 'start sim', options: [], values: ['2'] },
    ],
  };
}

/** Results as a run leaves them: a few series per object of the model, over its horizon. */
function resultsOf(model: ReturnType<typeof warmUpModel>): Outcome['outputs'] {
  const outputs: Outcome['outputs'] = [];
  for (const [objectType, objects] of Object.entries(model.model)) {
    const series = attributesOf(objectType)
      .filter((a) => a.isOutput && a.datatype === 'txy')
      .slice(0, 6);
    for (const objectName of Object.keys(objects)) {
      for (const { name } of series) {
        outputs.push({ objectType, objectName, attribute: name, value: hourly((t) => 100 + t * 1.25) });
      }
    }
  }
  return outputs;
}

/**
 * Passes over the path: the first compiles it; the next make its busiest parts hot enough for
 * V8 to optimize them (the solver threads' warm-up takes seconds: these fit in its time).
 */
export const PASSES = 5;

/**
 * What a run leaves for the next, as large as the warm-up model's would be: stored with the
 * results as a real run's is (the store keeps it as opaque JSON).
 */
const continuation = (hours: number) =>
  ({
    shape: 'warm-up',
    iterations: 5,
    fullIterations: 3,
    previous: {
      trajectories: Array.from({ length: 24 }, (_, i) => Array.from({ length: hours }, (_, t) => i * 1000 + t / 7)),
    },
  }) as unknown as Outcome['continuation'];

/**
 * The first upload after start used to take ~80 ms more of this thread than later ones before
 * its solve began, and as much again after: JavaScript and the embedded database's WebAssembly
 * are compiled on their first use, and PostgreSQL reads its catalog and prepares each statement
 * on its first run. With TARN_SOLVER_WARM_UP on the embedded database, this runs an upload's path
 * a few times at start, off the request path and while the solver threads warm up (readiness waits for
 * both): a generated model with commands is stored in a session of its own, "solved" (results
 * and solver state made up here; the solver threads have their own warm-up) and stored with its
 * results by the run's own code, as a PUT /model does, each time in one transaction that is then rolled back, with the
 * sequences it drew from set back. The database's only connection is held meanwhile, so no
 * request sees any of it (they wait for it, ~20 ms a pass).
 */
@Injectable()
export class PutWarmUp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WarmUp');
  private warming?: Promise<void>;
  private finished = false;
  /** Passes run to the end (and rolled back); fewer than PASSES when one failed (a WARN line). */
  passesDone = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: TarnConfig,
  ) {}

  /** Whether it runs on this server at all: the embedded database, runs solved in this process. */
  private get enabled(): boolean {
    return this.config.solver.warmUp && !this.config.database.url && !this.config.redisUrl;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.finished = true;
      return;
    }
    // After the hooks that follow (they would wait for the connection otherwise).
    this.warming = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .catch((error: unknown) => this.logger.warn(`The upload warm-up failed: ${(error as Error).message}`))
      .finally(() => (this.finished = true));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.warming;
  }

  /** False while the warm-up runs. */
  get ready(): boolean {
    return this.finished;
  }

  private async run(): Promise<void> {
    for (let pass = 0; pass < PASSES; pass++) {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        const sequences: Array<{ name: string; last_value: string | null }> = await runner.query(
          `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value FROM pg_sequences
            WHERE schemaname = current_schema()`,
        );
        await runner.startTransaction();
        try {
          await this.upload(runner);
        } finally {
          // Sequences are outside transactions: set back by hand, before anyone else can draw.
          for (const { name, last_value } of sequences) {
            await runner.query('SELECT setval($1::regclass, $2, $3)', [name, last_value ?? 1, last_value !== null]);
          }
          await runner.rollbackTransaction();
        }
        this.passesDone++;
      } finally {
        // Requests that came meanwhile go between passes.
        await runner.release();
      }
    }
  }

  private async upload(runner: QueryRunner): Promise<void> {
    const bound = boundTo(runner);
    const config = this.config;
    // No log files: what it logs goes to the database only, and away with the rollback.
    const quiet = {
      ...config,
      logging: { ...config.logging, shopLogFile: undefined },
      solver: { ...config.solver, logFile: undefined },
    } as TarnConfig;
    const store = new ModelStoreService(bound);
    const logs = new SessionLogService(bound, quiet);
    const runs = new RunsService(bound, quiet, logs);
    const sessions = new SessionsService(runner.manager.getRepository(OptimizationSession), bound, quiet);
    const model = warmUpModel();
    const outcome = {
      status: 'optimal',
      outputs: resultsOf(model),
      iterations: 5,
      continuation: continuation(HOURS),
    } as Outcome;
    const solver = { run: () => Promise.resolve(outcome) } as unknown as Solver;
    const executor = new RunExecutor(store, solver, logs, runs, quiet);
    const jobs = new (class extends JobRunner {
      readonly kind = 'process' as const;
      checkAvailable = () => Promise.resolve();
      submit = (job: SolveJob) => Promise.resolve({ done: executor.execute(job).then(() => undefined) });
      cancel = () => Promise.resolve(false);
    })();
    const upload = new ModelUploadService(bound, store, sessions, logs, runs, jobs);
    try {
      const [{ id: accountId }]: Array<{ id: number }> = await runner.query(
        `INSERT INTO account (name) VALUES ('tarn warm-up ' || gen_random_uuid()) RETURNING id`,
      );
      const [{ id: userId }]: Array<{ id: number }> = await runner.query(
        `INSERT INTO app_user (email, password_hash, account_id)
         VALUES ('warm-up-' || gen_random_uuid() || '@tarn.invalid', '-', $1) RETURNING id`,
        [accountId],
      );
      const [{ id: sessionId }]: Array<{ id: number }> = await runner.query(
        `INSERT INTO optimization_session (name, user_id, account_id) VALUES ('warm-up', $1, $2) RETURNING id`,
        [userId, accountId],
      );
      const actor = { id: userId, email: '', accountId, accountName: '', roles: ['admin'] } as AuthenticatedUser;
      await sessions.get(actor, sessionId);
      await upload.put(sessionId, model);
      // The answer (the view the run read), and the log a client reads next.
      JSON.stringify(await store.get(sessionId, { ...DEFAULT_FILTERS, isOutput: false }));
      await logs.messages(sessionId);
    } finally {
      logs.onApplicationShutdown();
    }
  }
}
