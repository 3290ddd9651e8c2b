import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../config/config.module.js';
import { ConfigError, loadConfig } from '../config/tarn-config.js';
import { type LinearProgram, OptimizationProvider, type SolveResult } from './optimization-provider.js';
import { SolverPool, solveWorkerUrl } from './solver-pool.js';
import { SolverModule } from './solver.module.js';

const INF = Infinity;

/** Dense rows [lower, coefficients, upper] to the CSC layout. */
function toLp(
  sense: 'min' | 'max',
  cost: number[],
  lower: number[],
  upper: number[],
  rows: [number, number[], number][],
  integer?: number[],
): LinearProgram {
  const starts = [0];
  const index: number[] = [];
  const value: number[] = [];
  cost.forEach((_, j) => {
    rows.forEach(([, coefficients], i) => {
      if (coefficients[j] !== 0) {
        index.push(i);
        value.push(coefficients[j]);
      }
    });
    starts.push(index.length);
  });
  return {
    sense,
    colCost: Float64Array.from(cost),
    colLower: Float64Array.from(lower),
    colUpper: Float64Array.from(upper),
    ...(integer ? { integrality: Int32Array.from(integer) } : {}),
    rowLower: Float64Array.from(rows.map(([lo]) => lo)),
    rowUpper: Float64Array.from(rows.map(([, , up]) => up)),
    aStart: Int32Array.from(starts),
    aIndex: Int32Array.from(index),
    aValue: Float64Array.from(value),
  };
}

/** max 3x + 2y, x + y <= 4, x + 3y <= 6, x <= 3: x = 3, y = 1, objective 11. */
const SMALL_LP = toLp(
  'max',
  [3, 2],
  [0, 0],
  [INF, INF],
  [
    [-INF, [1, 1], 4],
    [-INF, [1, 3], 6],
    [-INF, [1, 0], 3],
  ],
);

/** Knapsack, values 10, 13, 7, 8, weights 3, 4, 2, 3, capacity 7: items 1 and 2, objective 23. */
const KNAPSACK = toLp('max', [10, 13, 7, 8], [0, 0, 0, 0], [1, 1, 1, 1], [[-INF, [3, 4, 2, 3], 7]], [1, 1, 1, 1]);

/** mulberry32, so that the hard instance is the same every run (as in providers.spec.ts). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A market split instance (4 equality rows, 30 binaries, 8 slacks): branch and bound needs minutes. */
function marketSplit(): LinearProgram {
  const next = random(7);
  const m = 4;
  const n = 30;
  const a = Array.from({ length: m }, () => Array.from({ length: n }, () => Math.floor(next() * 100)));
  const rows: [number, number[], number][] = a.map((row, i) => {
    const rhs = Math.floor(row.reduce((x, y) => x + y, 0) / 2);
    const slacks = Array.from({ length: 2 * m }, (_, k) => (k === 2 * i ? 1 : k === 2 * i + 1 ? -1 : 0));
    return [rhs, [...row, ...slacks], rhs];
  });
  return toLp(
    'min',
    [...new Array(n).fill(0), ...new Array(2 * m).fill(1)],
    new Array(n + 2 * m).fill(0),
    [...new Array(n).fill(1), ...new Array(2 * m).fill(INF)],
    rows,
    [...new Array(n).fill(1), ...new Array(2 * m).fill(0)],
  );
}

function expectSmallLpSolved(result: SolveResult): void {
  expect(result.status).toBe('optimal');
  expect(result.objective).toBeCloseTo(11, 6);
  expect(result.colValue).toBeInstanceOf(Float64Array);
  expect(result.colValue[0]).toBeCloseTo(3, 6);
  expect(result.colValue[1]).toBeCloseTo(1, 6);
}

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

// ---------------------------------------------------------------------------------------

describe('SolverPool (HiGHS worker threads, pool size 2)', () => {
  const pool = new SolverPool({ poolSize: 2 });

  beforeAll(async () => {
    await pool.start();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('starts two warmed workers that share HiGHS compiled once in the main thread', () => {
    expect(pool.stats()).toMatchObject({ workers: 2, ready: 2, busy: 0, queued: 0, sharedModule: true });
    expect(pool.name).toBe('highs');
  });

  it('solves a small LP in a worker: x = 3, y = 1, objective 11, and leaves the caller’s arrays intact', async () => {
    const result = await pool.solve(SMALL_LP, {});
    expectSmallLpSolved(result);
    expect(Array.from(result.rowValue)).toEqual([4, 6, 3]);
    expect(result.rowDual).toBeInstanceOf(Float64Array);
    expect(SMALL_LP.colCost.length).toBe(2); // copied to the worker, not transferred (detached)
  });

  it('accepts plain arrays as well as typed arrays', async () => {
    const plain: LinearProgram = {
      sense: 'max',
      colCost: [3, 2],
      colLower: [0, 0],
      colUpper: [INF, INF],
      rowLower: [-INF, -INF, -INF],
      rowUpper: [4, 6, 3],
      aStart: [0, 3, 5],
      aIndex: [0, 1, 2, 0, 1],
      aValue: [1, 1, 1, 1, 3],
    };
    expectSmallLpSolved(await pool.solve(plain, {}));
  });

  it('queues beyond the pool size: four concurrent solves on two workers all finish correctly', async () => {
    const solves = [
      pool.solve(SMALL_LP, {}),
      pool.solve(KNAPSACK, { mipRelGap: 0 }),
      pool.solve(SMALL_LP, {}),
      pool.solve(KNAPSACK, { mipRelGap: 0 }),
    ];
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 2 });
    const [a, b, c, d] = await Promise.all(solves);
    expectSmallLpSolved(a);
    expectSmallLpSolved(c);
    for (const knapsack of [b, d]) {
      expect(knapsack.status).toBe('optimal');
      expect(knapsack.objective).toBeCloseTo(23, 6);
      expect(Array.from(knapsack.colValue).map(Math.round)).toEqual([1, 1, 0, 0]);
    }
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 });
  });

  it('keeps the event loop free during a hard MIP: main-thread callbacks run before the solve resolves', async () => {
    const loop = countTurns();
    const solve = pool.solve(marketSplit(), { timeLimitSeconds: 0.5 });
    expect(pool.stats().busy).toBe(1);
    const result = await solve;
    const turnsBeforeResolve = loop.turns();
    loop.stop();
    console.log(`event loop turns during a ${result.seconds.toFixed(2)} s MIP solve: ${turnsBeforeResolve}`);
    expect(['time_limit', 'optimal']).toContain(result.status);
    expect(turnsBeforeResolve).toBeGreaterThan(0);
  });

  it('interrupts a running hard MIP on abort (resolves, does not reject), and then solves again', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    // The abort comes from a timer while the solve runs (which takes minutes): the solve can only
    // resolve if the event loop is free to run it.
    const timer = setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 300);
    const result = await pool.solve(marketSplit(), { timeLimitSeconds: 60 }, controller.signal);
    const latencyMs = performance.now() - abortedAt;
    clearTimeout(timer);
    console.log(
      `abort -> resolved in ${latencyMs.toFixed(1)} ms (${result.message ?? 'stopped by the interrupt flag'}); ` +
        `solve ran ${result.seconds.toFixed(2)} s`,
    );
    expect(controller.signal.aborted).toBe(true);
    expect(result.status).toBe('interrupted');

    expectSmallLpSolved(await pool.solve(SMALL_LP, {}));
    expect(pool.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0 });
  });

  it('removes a queued job whose signal aborts, and answers it interrupted', async () => {
    await pool.start(); // both workers warm (also after a replacement)
    const busy = new AbortController();
    const running = [
      pool.solve(marketSplit(), { timeLimitSeconds: 60 }, busy.signal),
      pool.solve(marketSplit(), { timeLimitSeconds: 60 }, busy.signal),
    ];
    const queuedController = new AbortController();
    const queued = pool.solve(SMALL_LP, {}, queuedController.signal);
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 1 });

    queuedController.abort();
    const result = await queued;
    expect(result).toMatchObject({ status: 'interrupted', hasSolution: false, message: 'cancelled while queued' });
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 0 });

    busy.abort();
    for (const r of await Promise.all(running)) expect(r.status).toBe('interrupted');
    expectSmallLpSolved(await pool.solve(SMALL_LP, {}));
  });

  it('answers interrupted at once for a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await pool.solve(marketSplit(), {}, controller.signal);
    expect(result.status).toBe('interrupted');
    expect(pool.stats().busy).toBe(0);
  });

  it('answers error (and does not reject) for arrays of the wrong length', async () => {
    const result = await pool.solve({ ...SMALL_LP, colUpper: [INF] }, {});
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/colUpper has 1 entries, expected 2/);
  });
});

// ---------------------------------------------------------------------------------------
// Worker failures, with a stand-in worker that speaks the pool's protocol and misbehaves on
// request: colCost[0] === 1 spins forever ignoring the flag, 2 throws, 3 exits; else it answers.

const fakeDir = mkdtempSync(join(tmpdir(), 'tarn-solver-pool-'));
const fakeWorker = join(fakeDir, 'fake-worker.mjs');
writeFileSync(
  fakeWorker,
  `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ jobId, lp }) => {
  const mode = lp.colCost[0];
  if (mode === 1) for (;;) {}
  if (mode === 2) throw new Error('simulated crash');
  if (mode === 3) process.exit(3);
  parentPort.postMessage({ type: 'result', jobId, result: {
    status: 'optimal', hasSolution: true, objective: 42, colValue: new Float64Array([mode]),
    rowValue: new Float64Array(0), seconds: 0 } });
});
parentPort.postMessage({ type: 'ready', warmUpMs: 0, sharedModule: false });
`,
);
afterAll(() => rmSync(fakeDir, { recursive: true, force: true }));
const fakeLp = (mode: number): LinearProgram => ({ ...SMALL_LP, colCost: Float64Array.from([mode, 0]) });

describe('SolverPool when a worker misbehaves', () => {
  const pool = new SolverPool({ poolSize: 1, terminateAfterMs: 50, workerUrl: pathToFileURL(fakeWorker) });

  afterAll(async () => {
    await pool.close();
  });

  it('terminates a worker that does not stop after the abort, answers interrupted and starts a fresh one', async () => {
    const controller = new AbortController();
    const solve = pool.solve(fakeLp(1), {}, controller.signal);
    await pool.start();
    expect(pool.stats().busy).toBe(1);
    controller.abort();
    const result = await solve;
    expect(result.status).toBe('interrupted');
    expect(result.message).toMatch(/did not stop within 50 ms of the cancel; its worker was terminated/);
    expect(pool.stats().replaced).toBe(1);
    await expect(pool.solve(fakeLp(0), {})).resolves.toMatchObject({ status: 'optimal', objective: 42 });
  });

  it.each([
    [2, /the solver worker crashed: simulated crash/],
    [3, /the solver worker crashed: exited with code 3/],
  ])('answers error when the worker crashes (mode %d) and replaces the worker', async (mode, message) => {
    const replacedBefore = pool.stats().replaced;
    const result = await pool.solve(fakeLp(mode), {});
    expect(result.status).toBe('error');
    expect(result.message).toMatch(message);
    expect(pool.stats().replaced).toBe(replacedBefore + 1);
    await expect(pool.solve(fakeLp(0), {})).resolves.toMatchObject({ status: 'optimal', objective: 42 });
  });
});

describe('SolverPool whose workers cannot start', () => {
  it('gives up after three failed starts in a row: start() rejects and solves answer error', async () => {
    const pool = new SolverPool({ poolSize: 1, workerUrl: pathToFileURL(join(fakeDir, 'missing-worker.mjs')) });
    const solve = pool.solve(SMALL_LP, {});
    await expect(pool.start()).rejects.toThrow(/solver workers fail to start \(3 in a row\)/);
    await expect(solve).resolves.toMatchObject({ status: 'error', message: expect.stringMatching(/fail to start/) });
    await expect(pool.solve(SMALL_LP, {})).resolves.toMatchObject({ status: 'error' });
    expect(pool.stats().workers).toBe(0);
    await pool.close();
  });
});

// ---------------------------------------------------------------------------------------

describe('SolverPool.close', () => {
  it('answers running and queued jobs interrupted, ends every worker, and refuses later solves', async () => {
    const pool = new SolverPool({ poolSize: 1 });
    await pool.start();
    const running = pool.solve(marketSplit(), { timeLimitSeconds: 60 });
    const queued = pool.solve(SMALL_LP, {});
    expect(pool.stats()).toMatchObject({ workers: 1, busy: 1, queued: 1 });

    await pool.close();
    expect(pool.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0 });
    await expect(running).resolves.toMatchObject({ status: 'interrupted', message: 'the solver pool closed' });
    await expect(queued).resolves.toMatchObject({ status: 'interrupted', message: 'the solver pool closed' });
    await expect(pool.solve(SMALL_LP, {})).resolves.toMatchObject({
      status: 'error',
      message: 'the solver pool is closed',
    });
    await expect(pool.close()).resolves.toBeUndefined(); // twice is fine
  });
});

describe('SolverPool with a delegate (TARN_SOLVER=cbc)', () => {
  it('starts no workers and hands each solve, with its signal, to the delegate', async () => {
    const calls: unknown[][] = [];
    class Recorder extends OptimizationProvider {
      readonly name = 'cbc';
      async solve(...args: Parameters<OptimizationProvider['solve']>): Promise<SolveResult> {
        calls.push(args);
        return {
          status: 'optimal',
          hasSolution: true,
          objective: 11,
          colValue: new Float64Array(0),
          rowValue: new Float64Array(0),
          seconds: 0,
        };
      }
    }
    const pool = new SolverPool({ delegate: new Recorder() });
    const signal = new AbortController().signal;
    await pool.start();
    await expect(pool.solve(SMALL_LP, { threads: 2 }, signal)).resolves.toMatchObject({ objective: 11 });
    expect(calls).toEqual([[SMALL_LP, { threads: 2 }, signal]]);
    expect(pool.name).toBe('cbc');
    expect(pool.stats().workers).toBe(0);
    await pool.close();
  });
});

describe('solveWorkerUrl', () => {
  it('uses the compiled sibling in dist/, and falls back from src/ to dist/src/solver/solve-worker.js', () => {
    const root = new URL('../../', import.meta.url);
    const built = new URL('dist/src/solver/solve-worker.js', root).href;
    expect(solveWorkerUrl(new URL('dist/src/solver/solver-pool.js', root).href).href).toBe(built);
    expect(solveWorkerUrl(new URL('src/solver/solver-pool.ts', root).href).href).toBe(built);
  });

  it('says to build when neither exists', () => {
    expect(() => solveWorkerUrl('file:///nonexistent/a/b/solver-pool.ts')).toThrow(/run npm run build/);
  });
});

describe('TARN_SOLVER_POOL_SIZE and SolverModule', () => {
  it('defaults to the available parallelism and accepts an integer >= 1', () => {
    expect(loadConfig([], {}).solver.poolSize).toBeGreaterThanOrEqual(1);
    expect(loadConfig([], { TARN_SOLVER_POOL_SIZE: '3' }).solver.poolSize).toBe(3);
    expect(() => loadConfig([], { TARN_SOLVER_POOL_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadConfig([], { TARN_SOLVER_POOL_SIZE: 'two' })).toThrow(/TARN_SOLVER_POOL_SIZE must be an integer/);
  });

  it('provides a started SolverPool and ends its workers when the application closes', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(loadConfig([], { TARN_SOLVER_POOL_SIZE: '1' })), SolverModule],
    }).compile();
    const pool = moduleRef.get(SolverPool);
    try {
      expect(pool.stats()).toMatchObject({ workers: 1, ready: 1 });
      expectSmallLpSolved(await pool.solve(SMALL_LP, {}));
    } finally {
      await moduleRef.close();
    }
    expect(pool.stats().workers).toBe(0);
  });
});
