import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../../config/config.module.js';
import { ConfigError, loadConfig } from '../../config/tarn-config.js';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { parseCommand } from '../../shop/shop-document.js';
import { Problems } from '../../shop/shop-values.js';
import { interpretCommands, type SolverRun } from '../../shop/command-interpreter.js';
import { cascadeModel } from '../examples/cascade-model.js';
import { HighsProvider } from '../providers/highs.provider.js';
import { optimize, type OptimizationOutcome } from '../model/hydro-optimizer.js';
import { HydroModelError } from '../problem/hydro-system.js';
import { SolverPool, solveWorkerUrl } from './solver-pool.js';
import { SolverPoolModule } from './solver-pool.module.js';

const BASIC: ShopModelJson & { commands: unknown[] } = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'),
);

function runsOf(lines: unknown[]): SolverRun[] {
  const problems = new Problems();
  const commands = lines.map((line, i) => parseCommand(line, `commands[${i}]`, problems)!);
  return interpretCommands(commands).runs;
}

const BASIC_RUNS = runsOf(BASIC.commands);

/** A MIP cascade that would run for half a minute: the runs to stop. */
const LONG = cascadeModel({ reservoirs: 10, hours: 168, commands: [] }) as unknown as ShopModelJson;
const LONG_RUNS = runsOf(['set universal_mip /on', 'set mipgap /relative 0', 'start sim 30']);

/** The model with null-prototype objects, as ModelStoreService.get builds it. */
function asStored(model: ShopModelJson): ShopModelJson {
  const bare = <T extends object>(value: T): T => Object.assign(Object.create(null) as T, value);
  const objects = Object.fromEntries(
    Object.entries(model.model).map(([type, byName]) => [
      type,
      bare(Object.fromEntries(Object.entries(byName).map(([name, attributes]) => [name, bare(attributes)]))),
    ]),
  );
  return { ...model, model: bare(objects) };
}

/** A log line without its timings, which differ from run to run. */
const untimed = (line: string) => line.replace(/\d+\.\d+ s\b/g, '<t> s');

/** Counts event-loop turns (setImmediate) until stopped. */
function countTurns(): { turns: () => number; stop: () => void } {
  let turns = 0;
  let handle: NodeJS.Immediate | undefined;
  const tick = () => {
    turns++;
    handle = setImmediate(tick);
  };
  handle = setImmediate(tick);
  return { turns: () => turns, stop: () => clearImmediate(handle) };
}

/** A signal that aborts once the first iteration is solved: during the run, with no timer. */
function abortAfterFirstSolve(): { signal: AbortSignal; onSolved: () => void; abortedAt: () => number } {
  const controller = new AbortController();
  let at = 0;
  const onSolved = () => {
    if (controller.signal.aborted) return;
    at = performance.now();
    controller.abort();
  };
  return { signal: controller.signal, onSolved, abortedAt: () => at };
}

const noLog = () => undefined;

/**
 * `value` with every number rounded to 9 significant digits (below 1e-7 in size: 0), for comparing
 * optima found by different paths.
 */
function significant(value: unknown): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return value;
    return Math.abs(value) < 1e-7 ? 0 : Number(value.toPrecision(9));
  }
  if (Array.isArray(value)) return value.map(significant);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, significant(entry)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------

describe('SolverPool (HiGHS worker threads, pool size 2)', () => {
  const pool = new SolverPool({ poolSize: 2 });
  /** The basic model optimized in this thread, with the same HiGHS build. */
  let reference: { outcome: OptimizationOutcome; log: string[] };

  beforeAll(async () => {
    // One sequence of solves, as a worker's run makes: each starts from the previous (warm).
    const sequence = new HighsProvider().openSequence();
    const log: string[] = [];
    const outcome = await optimize(
      BASIC,
      BASIC_RUNS,
      (lp, options) => sequence.solve(lp, options),
      (level, message) => log.push(`${level} ${untimed(message)}`),
    );
    reference = { outcome, log };
    await pool.start();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('starts two warmed workers that share HiGHS compiled once in the main thread', () => {
    expect(pool.stats()).toMatchObject({ workers: 2, ready: 2, busy: 0, queued: 0, sharedModule: true });
    expect(pool.name).toBe('highs');
  });

  it('optimizes the basic model in a worker: the same outcome and log lines, in order, as in this thread', async () => {
    const log: string[] = [];
    const result = await pool.optimize(asStored(BASIC), BASIC_RUNS, (level, message) =>
      log.push(`${level} ${untimed(message)}`),
    );
    expect(result.outcome.status).toBe('optimal');
    expect(result.outcome).toEqual(reference.outcome);
    expect(log).toEqual(reference.log);
    expect(result.message).toBeUndefined();
  });

  it("goes on from the session's previous run: its continuation there and back gives one run's outcome", async () => {
    const first = await pool.optimize(BASIC, runsOf(['start sim 5']), noLog);
    const log: string[] = [];
    const second = await pool.optimize(
      BASIC,
      runsOf(['set code /incremental', 'start sim 3']),
      (level, message) => log.push(`${level} ${untimed(message)}`),
      undefined,
      undefined,
      first.outcome.continuation,
    );
    expect(second.outcome.iterations).toBe(3);
    // A new run starts its first solve cold where the reference's eighth was warm: the same optimum,
    // up to the last digits.
    expect(significant(second.outcome.objective)).toEqual(significant(reference.outcome.objective));
    expect(significant(second.outcome.outputs)).toEqual(significant(reference.outcome.outputs));
    expect(significant(second.outcome.continuation)).toEqual(significant(reference.outcome.continuation));
    expect(log.filter((line) => line.startsWith('INFO Iteration'))).toEqual(
      reference.log.filter((line) => line.startsWith('INFO Iteration')).slice(5),
    );
  });

  it('reports each solve (columns, rows, binaries, status) and the provider seconds summed over them', async () => {
    const result = await pool.optimize(BASIC, BASIC_RUNS, noLog);
    expect(result.solves).toHaveLength(8);
    for (const solve of result.solves) {
      expect(solve).toMatchObject({ status: 'optimal', binaries: 0 });
      expect(solve.columns).toBeGreaterThan(1000);
      expect(solve.rows).toBeGreaterThan(1000);
    }
    expect(result.providerSeconds).toBeCloseTo(
      result.solves.reduce((sum, s) => sum + s.seconds, 0),
      9,
    );
    const mip = await pool.optimize(
      cascadeModel({ reservoirs: 1, hours: 24, commands: [] }) as unknown as ShopModelJson,
      runsOf(['set universal_mip /on', 'start sim 1']),
      noLog,
    );
    expect(mip.solves[0].binaries).toBe(24); // one generator, 24 steps
    expect(mip.solves[0].mipGap).toBeGreaterThanOrEqual(0);
  });

  it('keeps the event loop free while it optimizes: main-thread callbacks run before the run resolves', async () => {
    const loop = countTurns();
    const result = await pool.optimize(BASIC, BASIC_RUNS, noLog);
    const turns = loop.turns();
    loop.stop();
    expect(result.outcome.status).toBe('optimal');
    expect(turns).toBeGreaterThan(0);
  });

  it('runs as many optimizations at once as it has workers and queues the next (first in, first out)', async () => {
    await pool.start();
    const events: string[] = [];
    const runs = [1, 2, 3].map((n) =>
      pool
        .optimize(BASIC, BASIC_RUNS, () => {
          if (!events.includes(`${n} logged`)) events.push(`${n} logged`);
        })
        .then((result) => {
          events.push(`${n} done`);
          return result;
        }),
    );
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 1 });
    for (const result of await Promise.all(runs)) expect(result.outcome).toEqual(reference.outcome);
    // The third waited for a worker: it ran (logged) only after one of the first two was done.
    const firstDone = Math.min(events.indexOf('1 done'), events.indexOf('2 done'));
    expect(events.indexOf('3 logged')).toBeGreaterThan(firstDone);
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 });
  });

  it('stops a long MIP run through the interrupt flag, without terminating the worker, which runs the next one', async () => {
    // A fallback that cannot come first: what stops the run is the flag.
    const patient = new SolverPool({ poolSize: 1, terminateAfterMs: 20_000 });
    try {
      await patient.start();
      const abort = abortAfterFirstSolve();
      const started = performance.now();
      const result = await patient.optimize(LONG, LONG_RUNS, noLog, abort.signal, abort.onSolved);
      const latencyMs = performance.now() - abort.abortedAt();
      console.log(
        `abort -> resolved in ${latencyMs.toFixed(0)} ms, after ${((performance.now() - started) / 1000).toFixed(2)} s, ` +
          `${result.solves.length} solve(s)`,
      );
      expect(result.outcome).toMatchObject({ status: 'interrupted', outputs: [] });
      expect(result.message).toBeUndefined(); // answered by the worker itself
      expect(patient.stats()).toMatchObject({ replaced: 0, busy: 0 });
      expect((await patient.optimize(BASIC, BASIC_RUNS, noLog)).outcome).toEqual(reference.outcome);
    } finally {
      await patient.close();
    }
  });

  it('removes a queued run whose signal aborts, and answers it interrupted', async () => {
    await pool.start(); // both workers ready (also after a replacement)
    const busy = new AbortController();
    const running = [
      pool.optimize(LONG, LONG_RUNS, noLog, busy.signal),
      pool.optimize(LONG, LONG_RUNS, noLog, busy.signal),
    ];
    const queuedController = new AbortController();
    const queued = pool.optimize(BASIC, BASIC_RUNS, noLog, queuedController.signal);
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 1 });

    queuedController.abort();
    await expect(queued).resolves.toMatchObject({
      outcome: { status: 'interrupted', outputs: [], iterations: 0 },
      message: 'cancelled while queued',
      solves: [],
    });
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 0 });

    busy.abort();
    for (const result of await Promise.all(running)) expect(result.outcome.status).toBe('interrupted');
  });

  it('answers interrupted at once for a signal that is already aborted', async () => {
    await pool.start();
    const controller = new AbortController();
    controller.abort();
    const result = await pool.optimize(LONG, LONG_RUNS, noLog, controller.signal);
    expect(result).toMatchObject({ outcome: { status: 'interrupted' }, message: 'cancelled before the run started' });
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 });
  });

  it('rejects with the HydroModelError that optimize throws, path kept, and goes on with the next run', async () => {
    const run = pool.optimize({ model: BASIC.model, connections: BASIC.connections }, BASIC_RUNS, noLog);
    await expect(run).rejects.toBeInstanceOf(HydroModelError);
    await expect(run).rejects.toMatchObject({
      path: 'time',
      message: expect.stringMatching(/^time: the model has no/),
    });
    expect((await pool.optimize(BASIC, BASIC_RUNS, noLog)).outcome.status).toBe('optimal');
  });
});

// ---------------------------------------------------------------------------------------
// Worker failures, with a stand-in worker that speaks the pool's protocol and does what the
// model's `mode` says: spin (forever, ignoring the flag), throw, exit, or log 500 lines and
// finish.

const fakeDir = mkdtempSync(join(tmpdir(), 'tarn-solver-pool-'));
const fakeWorker = join(fakeDir, 'fake-worker.mjs');
writeFileSync(
  fakeWorker,
  `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ jobId, model }) => {
  const mode = model.mode;
  if (mode === 'spin') for (;;) {}
  if (mode === 'throw') throw new Error('simulated crash');
  if (mode === 'exit') process.exit(3);
  for (let i = 0; i < 500; i++) parentPort.postMessage({ type: 'log', jobId, level: 'INFO', message: 'line ' + i });
  parentPort.postMessage({ type: 'solved', jobId, stats: { columns: 2, rows: 1, binaries: 0, status: 'optimal', objective: 42, seconds: 0.25 } });
  parentPort.postMessage({ type: 'done', jobId, outcome: { status: 'optimal', outputs: [], iterations: 1 } });
});
parentPort.postMessage({ type: 'ready', warmUpMs: 0, sharedModule: false });
`,
);
afterAll(() => rmSync(fakeDir, { recursive: true, force: true }));
const fake = (mode: string) => ({ mode, model: {} }) as unknown as ShopModelJson;

describe('SolverPool when a worker misbehaves', () => {
  const pool = new SolverPool({ poolSize: 1, terminateAfterMs: 50, workerUrl: pathToFileURL(fakeWorker) });

  afterAll(async () => {
    await pool.close();
  });

  it('passes the log lines on in order while the run goes on, and the solve figures', async () => {
    const lines: string[] = [];
    const result = await pool.optimize(fake('log'), [], (level, message) => lines.push(`${level} ${message}`));
    expect(lines).toEqual(Array.from({ length: 500 }, (_, i) => `INFO line ${i}`));
    expect(result).toEqual({
      outcome: { status: 'optimal', outputs: [], iterations: 1 },
      providerSeconds: 0.25,
      solves: [{ columns: 2, rows: 1, binaries: 0, status: 'optimal', objective: 42, seconds: 0.25 }],
    });
  });

  it('terminates a worker that does not stop after the abort, answers interrupted and starts a fresh one', async () => {
    const controller = new AbortController();
    const run = pool.optimize(fake('spin'), [], noLog, controller.signal);
    await pool.start();
    expect(pool.stats().busy).toBe(1);
    controller.abort();
    const result = await run;
    expect(result.outcome).toEqual({ status: 'interrupted', outputs: [], iterations: 0 });
    expect(result.message).toMatch(/did not stop within 50 ms of the cancel; its worker was terminated/);
    expect(pool.stats().replaced).toBe(1);
    await expect(pool.optimize(fake('log'), [], noLog)).resolves.toMatchObject({ outcome: { status: 'optimal' } });
  });

  it.each([
    ['throw', /the solver worker crashed: simulated crash/],
    ['exit', /the solver worker crashed: exited with code 3/],
  ])('answers error when the worker crashes (%s) and replaces the worker', async (mode, message) => {
    const replacedBefore = pool.stats().replaced;
    const result = await pool.optimize(fake(mode), [], noLog);
    expect(result.outcome.status).toBe('error');
    expect(result.message).toMatch(message);
    expect(pool.stats().replaced).toBe(replacedBefore + 1);
    await expect(pool.optimize(fake('log'), [], noLog)).resolves.toMatchObject({ outcome: { status: 'optimal' } });
  });
});

describe('SolverPool whose workers cannot start', () => {
  it('gives up after three failed starts in a row: start() rejects and runs answer error', async () => {
    const pool = new SolverPool({ poolSize: 1, workerUrl: pathToFileURL(join(fakeDir, 'missing-worker.mjs')) });
    const run = pool.optimize(BASIC, BASIC_RUNS, noLog);
    await expect(pool.start()).rejects.toThrow(/solver workers fail to start \(3 in a row\)/);
    await expect(run).resolves.toMatchObject({
      outcome: { status: 'error' },
      message: expect.stringMatching(/fail to start/),
    });
    await expect(pool.optimize(BASIC, BASIC_RUNS, noLog)).resolves.toMatchObject({ outcome: { status: 'error' } });
    expect(pool.stats().workers).toBe(0);
    await pool.close();
  });
});

describe('SolverPool.close', () => {
  it('answers running and queued runs interrupted, ends every worker, and refuses later runs', async () => {
    const pool = new SolverPool({ poolSize: 1, workerUrl: pathToFileURL(fakeWorker) });
    await pool.start();
    const running = pool.optimize(fake('spin'), [], noLog);
    const queued = pool.optimize(fake('log'), [], noLog);
    expect(pool.stats()).toMatchObject({ workers: 1, busy: 1, queued: 1 });

    await pool.close();
    expect(pool.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0 });
    for (const run of [running, queued]) {
      await expect(run).resolves.toMatchObject({
        outcome: { status: 'interrupted' },
        message: 'the solver pool closed',
      });
    }
    await expect(pool.optimize(fake('log'), [], noLog)).resolves.toMatchObject({
      outcome: { status: 'error' },
      message: 'the solver pool is closed',
    });
    await expect(pool.close()).resolves.toBeUndefined(); // twice is fine
  });
});

describe('solveWorkerUrl', () => {
  const root = new URL('../../../', import.meta.url);

  it('uses the compiled sibling where the compiled pool runs (npm start)', () => {
    const built = mkdtempSync(join(tmpdir(), 'tarn-built-'));
    writeFileSync(join(built, 'solve-worker.js'), '');
    try {
      expect(solveWorkerUrl(pathToFileURL(join(built, 'solver-pool.js')).href)).toEqual(
        pathToFileURL(join(built, 'solve-worker.js')),
      );
    } finally {
      rmSync(built, { recursive: true, force: true });
    }
  });

  it('under Jest, uses the worker bundled from the sources by the global setup, never dist/', () => {
    const bundled = new URL('.cache/tarn/solve-worker.mjs', root).href;
    expect(solveWorkerUrl(new URL('src/solver/pool/solver-pool.ts', root).href).href).toBe(bundled);
    expect(solveWorkerUrl().href).toBe(bundled);
  });

  it('says where it looked when neither exists', () => {
    expect(() => solveWorkerUrl('file:///nonexistent/a/b/solver-pool.ts')).toThrow(/npm run build.*global setup/);
  });
});

describe('TARN_SOLVER_POOL_SIZE and SolverPoolModule', () => {
  it('defaults to the available parallelism and accepts an integer >= 1', () => {
    expect(loadConfig([], {}).solver.poolSize).toBeGreaterThanOrEqual(1);
    expect(loadConfig([], { TARN_SOLVER_POOL_SIZE: '3' }).solver.poolSize).toBe(3);
    expect(() => loadConfig([], { TARN_SOLVER_POOL_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadConfig([], { TARN_SOLVER_POOL_SIZE: 'two' })).toThrow(/TARN_SOLVER_POOL_SIZE must be an integer/);
  });

  it('warms each worker up with a representative optimization before it takes runs (TARN_SOLVER_WARM_UP)', async () => {
    expect(loadConfig([], {}).solver.warmUp).toBe(true);
    expect(loadConfig([], { TARN_SOLVER_WARM_UP: 'false' }).solver.warmUp).toBe(false);
    const warming = new SolverPool({ poolSize: 1 });
    const cold = new SolverPool({ poolSize: 1, warmUp: false });
    try {
      const loaded = warming.start('loaded');
      expect(warming.state()).toBe('starting');
      await loaded;
      // A run sent while the worker may still be warming up waits for it.
      const early = warming.optimize(BASIC, BASIC_RUNS, noLog);
      await warming.start();
      expect(warming.state()).toBe('up');
      expect(warming.stats()).toMatchObject({ workers: 1, ready: 1, warmedUp: 1 });
      expect((await early).outcome.status).toBe('optimal');

      await cold.start();
      expect(cold.stats()).toMatchObject({ workers: 1, ready: 1, warmedUp: 0 });
    } finally {
      await Promise.all([warming.close(), cold.close()]);
    }
    expect(warming.state()).toBe('down');
  });

  it('provides a started SolverPool and ends its workers when the application closes', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(loadConfig([], { TARN_SOLVER_POOL_SIZE: '1' })), SolverPoolModule],
    }).compile();
    const pool = moduleRef.get(SolverPool);
    try {
      expect(pool.stats()).toMatchObject({ workers: 1 });
      await pool.start(); // start-up waited for the solver to load; this, for the warm-up too
      expect(pool.stats()).toMatchObject({ workers: 1, ready: 1 });
      expect(pool.state()).toBe('up');
      expect((await pool.optimize(BASIC, BASIC_RUNS, noLog)).outcome.status).toBe('optimal');
    } finally {
      await moduleRef.close();
    }
    expect(pool.stats().workers).toBe(0);
  });
});
