import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, jest } from '@jest/globals';
import { eventually } from '../../../test/support/eventually.js';
import { CbcProvider, findCbc, NO_CONFLICTS, toFreeMps } from './cbc.provider.js';
import { HighsProvider } from './highs.provider.js';
import type { LinearProgram, OptimizationProvider } from './optimization-provider.js';

// ---------------------------------------------------------------------------------------
// Problems written densely (easy to check by hand) and converted to the CSC layout.

const INF = Infinity;

interface Dense {
  sense: 'min' | 'max';
  offset?: number;
  cost: number[];
  lower: number[];
  upper: number[];
  integer?: boolean;
  /** [lower, coefficients, upper] per row */
  rows: [number, number[], number][];
}

function toLp(d: Dense): LinearProgram {
  const starts = [0];
  const index: number[] = [];
  const value: number[] = [];
  d.cost.forEach((_, j) => {
    d.rows.forEach(([, coefficients], i) => {
      if (coefficients[j] !== 0) {
        index.push(i);
        value.push(coefficients[j]);
      }
    });
    starts.push(index.length);
  });
  return {
    sense: d.sense,
    offset: d.offset,
    colCost: Float64Array.from(d.cost),
    colLower: Float64Array.from(d.lower),
    colUpper: Float64Array.from(d.upper),
    integrality: d.integer ? new Int32Array(d.cost.length).fill(1) : undefined,
    rowLower: Float64Array.from(d.rows.map(([lo]) => lo)),
    rowUpper: Float64Array.from(d.rows.map(([, , up]) => up)),
    aStart: Int32Array.from(starts),
    aIndex: Int32Array.from(index),
    aValue: Float64Array.from(value),
  };
}

/** max 3x + 2y, x + y <= 4, x + 3y <= 6, x <= 3: the optimum is x = 3, y = 1, objective 11. */
const SMALL_LP = toLp({
  sense: 'max',
  cost: [3, 2],
  lower: [0, 0],
  upper: [INF, INF],
  rows: [
    [-INF, [1, 1], 4],
    [-INF, [1, 3], 6],
    [-INF, [1, 0], 3],
  ],
});

/**
 * min 10 + x + 2y + z, x + y + z = 1, x − y = −3, x in [−5, 5], y in [−2, 4], z in [−1, 1].
 * x = y − 3 and z = 4 − 2y, so the objective is 11 + y with y >= 1.5 (from z <= 1):
 * x = −1.5, y = 1.5, z = 1, objective 12.5.
 */
const EQUALITY_LP = toLp({
  sense: 'min',
  offset: 10,
  cost: [1, 2, 1],
  lower: [-5, -2, -1],
  upper: [5, 4, 1],
  rows: [
    [1, [1, 1, 1], 1],
    [-3, [1, -1, 0], -3],
  ],
});

/** min x − 2y, 1 <= x + y <= 3 (a ranged row), x >= −0.5 (a row), x free, y in [0, 2]: x = −0.5, y = 2, −4.5. */
const RANGED_LP = toLp({
  sense: 'min',
  cost: [1, -2],
  lower: [-INF, 0],
  upper: [INF, 2],
  rows: [
    [1, [1, 1], 3],
    [-0.5, [1, 0], INF],
  ],
});

/**
 * Knapsack: values 10, 13, 7, 8, weights 3, 4, 2, 3, capacity 7, binary. The LP relaxation
 * takes items 3 and 1 and half of item 2 (23.5); the integer optimum is items 1 and 2: 23.
 */
const KNAPSACK = toLp({
  sense: 'max',
  cost: [10, 13, 7, 8],
  lower: [0, 0, 0, 0],
  upper: [1, 1, 1, 1],
  integer: true,
  rows: [[-INF, [3, 4, 2, 3], 7]],
});

/** x <= 1 and x >= 2. */
const INFEASIBLE_LP = toLp({
  sense: 'min',
  cost: [1],
  lower: [0],
  upper: [INF],
  rows: [
    [-INF, [1], 1],
    [2, [1], INF],
  ],
});

/** max x + y, x − y <= 1, x, y >= 0: unbounded along (1, 1). */
const UNBOUNDED_LP = toLp({
  sense: 'max',
  cost: [1, 1],
  lower: [0, 0],
  upper: [INF, INF],
  rows: [[-INF, [1, -1], 1]],
});

/**
 * min x + y, x + 2y >= 4, 3x + y >= 6: x = 1.6, y = 1.2, objective 2.8. The row duals solve
 * u1 + 3u2 = 1, 2u1 + u2 = 1: u = (0.4, 0.2); both columns are basic (reduced costs 0).
 */
const DUALS_MIN = toLp({
  sense: 'min',
  cost: [1, 1],
  lower: [0, 0],
  upper: [INF, INF],
  rows: [
    [4, [1, 2], INF],
    [6, [3, 1], INF],
  ],
});

/**
 * max 3x + 2y, x + y <= 4, x + 3y <= 6: x = 4, y = 0, objective 12. Row duals (3, 0) and
 * y's reduced cost 2 − 3 = −1 (at its lower bound): the signs of a maximization.
 */
const DUALS_MAX = toLp({
  sense: 'max',
  cost: [3, 2],
  lower: [0, 0],
  upper: [INF, INF],
  rows: [
    [-INF, [1, 1], 4],
    [-INF, [1, 3], 6],
  ],
});

/** A deterministic generator (mulberry32), so that the random problems are the same every run. */
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

/** A 60-item, 5-constraint 0/1 knapsack with correlated values: not solved in a millisecond. */
function hardKnapsack(): { lp: LinearProgram; weights: number[][]; capacity: number[] } {
  const next = random(20240605);
  const n = 60;
  const weights = Array.from({ length: 5 }, () => Array.from({ length: n }, () => 10 + Math.floor(next() * 90)));
  const capacity = weights.map((row) => Math.floor(row.reduce((a, b) => a + b, 0) / 2));
  const cost = Array.from({ length: n }, (_, j) => weights.reduce((sum, row) => sum + row[j], 0) / 5 + next() * 10);
  const lp = toLp({
    sense: 'max',
    cost,
    lower: new Array(n).fill(0),
    upper: new Array(n).fill(1),
    integer: true,
    rows: weights.map((row, i) => [-INF, row, capacity[i]] as [number, number[], number]),
  });
  return { lp, weights, capacity };
}

/**
 * A market split instance (Cornuéjols and Dawande): 4 equality rows over 30 binaries with
 * slack columns whose sum is minimized. Branch and bound needs minutes on it, which makes
 * it the problem to cancel.
 */
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
  const lp = toLp({
    sense: 'min',
    cost: [...new Array(n).fill(0), ...new Array(2 * m).fill(1)],
    lower: new Array(n + 2 * m).fill(0),
    upper: [...new Array(n).fill(1), ...new Array(2 * m).fill(INF)],
    rows,
  });
  return { ...lp, integrality: Int32Array.from([...new Array(n).fill(1), ...new Array(2 * m).fill(0)]) };
}

function expectValues(actual: Float64Array | undefined, expected: number[], digits = 6): void {
  expect(actual).toBeDefined();
  expect(Array.from(actual!).length).toBe(expected.length);
  expected.forEach((value, k) => expect(actual![k]).toBeCloseTo(value, digits));
}

// ---------------------------------------------------------------------------------------
// The table every provider must pass.

function describeProviderContract(label: string, create: () => OptimizationProvider): void {
  describe(`${label}: the shared problem table`, () => {
    const provider = create();

    it('solves a small LP: max 3x + 2y -> x = 3, y = 1, objective 11', async () => {
      const result = await provider.solve(SMALL_LP);
      expect(result.status).toBe('optimal');
      expect(result.hasSolution).toBe(true);
      expect(result.objective).toBeCloseTo(11, 6);
      expectValues(result.colValue, [3, 1]);
      expectValues(result.rowValue, [4, 6, 3]);
      expect(result.seconds).toBeGreaterThanOrEqual(0);
    });

    it('solves an LP with equality rows, negative lower bounds and an offset', async () => {
      const result = await provider.solve(EQUALITY_LP);
      expect(result.status).toBe('optimal');
      expect(result.objective).toBeCloseTo(12.5, 6);
      expectValues(result.colValue, [-1.5, 1.5, 1]);
      expectValues(result.rowValue, [1, -3]);
    });

    it('solves an LP with a ranged row and a free column', async () => {
      const result = await provider.solve(RANGED_LP);
      expect(result.status).toBe('optimal');
      expect(result.objective).toBeCloseTo(-4.5, 6);
      expectValues(result.colValue, [-0.5, 2]);
    });

    it('solves a knapsack MIP to its integer optimum (23, not the relaxation 23.5)', async () => {
      const result = await provider.solve(KNAPSACK, { mipRelGap: 0 });
      expect(result.status).toBe('optimal');
      expect(result.objective).toBeCloseTo(23, 6);
      expectValues(result.colValue, [1, 1, 0, 0]);
      expect(result.colDual).toBeUndefined(); // no duals for a MIP
      expect(result.rowDual).toBeUndefined();
    });

    it('reports an infeasible LP as infeasible, without a solution', async () => {
      const result = await provider.solve(INFEASIBLE_LP);
      expect(result.status).toBe('infeasible');
      expect(result.hasSolution).toBe(false);
      expect(Number.isNaN(result.objective)).toBe(true);
    });

    it('reports an unbounded LP as unbounded', async () => {
      const result = await provider.solve(UNBOUNDED_LP);
      expect(result.status).toBe('unbounded');
      expect(result.hasSolution).toBe(false);
    });

    it('reports the duals of a minimization (row duals 0.4 and 0.2)', async () => {
      const result = await provider.solve(DUALS_MIN);
      expect(result.status).toBe('optimal');
      expect(result.objective).toBeCloseTo(2.8, 6);
      expectValues(result.colValue, [1.6, 1.2]);
      expectValues(result.rowDual, [0.4, 0.2]);
      expectValues(result.colDual, [0, 0]);
    });

    it('reports the duals of a maximization in its own sense (row duals 3 and 0, reduced cost -1)', async () => {
      const result = await provider.solve(DUALS_MAX, { method: 'dual' });
      expect(result.status).toBe('optimal');
      expect(result.objective).toBeCloseTo(12, 6);
      expectValues(result.colValue, [4, 0]);
      expectValues(result.rowDual, [3, 0]);
      expectValues(result.colDual, [0, -1]);
    });

    it.each(['primal', 'dual', 'simplex', 'ipm', 'choose'] as const)(
      'solves the small LP with method %s',
      async (method) => {
        const result = await provider.solve(SMALL_LP, { method, threads: 1 });
        expect(result.status).toBe('optimal');
        expect(result.objective).toBeCloseTo(11, 5);
      },
    );

    it('stops a 60-item, 5-row knapsack at a 0.2 s time limit with a feasible answer (or has solved it)', async () => {
      const { lp, weights, capacity } = hardKnapsack();
      const result = await provider.solve(lp, { timeLimitSeconds: 0.2, mipRelGap: 0 });
      expect(['time_limit', 'optimal']).toContain(result.status);
      // Both solvers stop here after 0.2 s with an incumbent (at 0.001 s they stop before finding one).
      expect(result.hasSolution).toBe(true);
      {
        const x = Array.from(result.colValue);
        x.forEach((v) => expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-6));
        weights.forEach((row, i) => {
          expect(row.reduce((sum, w, j) => sum + w * x[j], 0)).toBeLessThanOrEqual(capacity[i] + 1e-6);
        });
        expect(result.objective).toBeCloseTo(
          x.reduce((sum, v, j) => sum + v * lp.colCost[j], 0),
          4,
        );
      }
    });

    it('returns interrupted without solving when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const result = await provider.solve(marketSplit(), {}, controller.signal);
      expect(result.status).toBe('interrupted');
      expect(result.hasSolution).toBe(false);
      expect(result.seconds).toBeLessThan(0.5);
    });

    it('answers error (and does not throw) for arrays of the wrong length', async () => {
      const result = await provider.solve({ ...SMALL_LP, colUpper: [INF] });
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/colUpper has 1 entries, expected 2/);
    });
  });
}

// ---------------------------------------------------------------------------------------

describeProviderContract('HiGHS', () => new HighsProvider());

describe('HiGHS specifics', () => {
  const provider = new HighsProvider();

  it('warms up: loads the WebAssembly module once and solves a tiny MIP', async () => {
    await expect(provider.warmUp()).resolves.toBeUndefined();
  });

  it('interrupts a running MIP when another thread sets the interrupt flag', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(8));
    // The solve blocks this thread, so the stop must come from another one, as it will from the pool.
    const setter = new Worker(
      `const { workerData } = require('node:worker_threads');
       const f = new Int32Array(workerData);
       Atomics.wait(f, 1, 0, 300);
       Atomics.store(f, 0, 1);`,
      { eval: true, workerData: flag.buffer },
    );
    const result = await provider.solve(marketSplit(), { interruptFlag: flag, timeLimitSeconds: 30 });
    await setter.terminate();
    expect(Atomics.load(flag, 0)).toBe(1);
    expect(result.status).toBe('interrupted');
    expect(result.seconds).toBeLessThan(10);
  });

  it('reports the relative MIP gap of a MIP', async () => {
    const result = await provider.solve(KNAPSACK);
    expect(result.mipGap).toBeDefined();
    expect(result.mipGap!).toBeLessThanOrEqual(1e-4);
  });
});

// ---------------------------------------------------------------------------------------
// CBC: the same table, when the cbc command is installed. A machine without it still passes
// `npm test`: then one test checks that cbc is really absent and warns that the CBC tests did
// not run, and the CBC table is not defined at all (no skipped tests).

const cbc = await findCbc();

if (cbc === undefined) {
  describe('CBC', () => {
    it('is not installed, so the CBC provider tests did not run', async () => {
      await expect(findCbc()).resolves.toBeUndefined();
      const warn = jest.spyOn(console, 'warn');
      console.warn('CBC provider tests did not run: cbc is not installed (Debian: apt-get install coinor-cbc)');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('CBC provider tests did not run'));
      warn.mockRestore();
    });
  });
} else {
  const cbcCommand = cbc;
  describeProviderContract('CBC', () => new CbcProvider(cbcCommand));

  /** Whether a child process of this one runs `command` (Linux's /proc: each process's stat names its parent). */
  const cbcRunning = (command: string): boolean =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .some((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === command;
        } catch {
          return false; // it ended meanwhile
        }
      });

  describe('CBC specifics', () => {
    const provider = new CbcProvider(cbcCommand);

    it('kills cbc and answers interrupted when the signal aborts during the solve', async () => {
      const controller = new AbortController();
      const solving = provider.solve(marketSplit(), { timeLimitSeconds: 30 }, controller.signal);
      // Once cbc runs (a process of the same command exists), not after a guessed delay.
      await eventually(() => expect(cbcRunning(cbcCommand)).toBe(true), { timeoutMs: 10_000 });
      controller.abort();
      const result = await solving;
      expect(result.status).toBe('interrupted'); // not time_limit: stopped long before its 30 s
      expect(cbcRunning(cbcCommand)).toBe(false);
    });

    it('answers error when the command cannot be run', async () => {
      const result = await new CbcProvider('/nonexistent/cbc').solve(SMALL_LP);
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/ENOENT/);
    });
  });
}

describe('findCbc', () => {
  it('finds nothing on an empty or unrelated PATH', async () => {
    await expect(findCbc('')).resolves.toBeUndefined();
    await expect(findCbc('/nonexistent-dir')).resolves.toBeUndefined();
  });
});

describe('the MPS writer of the CBC provider', () => {
  it('writes free MPS column by column from the CSC arrays, with explicit bounds and integer markers', () => {
    const text = toFreeMps({ ...KNAPSACK, colCost: [10, 13, 7, 8] }, 4, 1);
    expect(text.split('\n')).toEqual([
      'NAME TARN FREE',
      'ROWS',
      ' N OBJ',
      ' L R0',
      'COLUMNS',
      " MARKER 'MARKER' 'INTORG'",
      ' C0 OBJ -10',
      ' C0 R0 3',
      ' C1 OBJ -13',
      ' C1 R0 4',
      ' C2 OBJ -7',
      ' C2 R0 2',
      ' C3 OBJ -8',
      ' C3 R0 3',
      " MARKER 'MARKER' 'INTEND'",
      'RHS',
      ' RHS R0 7',
      'BOUNDS',
      ' LO BND C0 0',
      ' UP BND C0 1',
      ' LO BND C1 0',
      ' UP BND C1 1',
      ' LO BND C2 0',
      ' UP BND C2 1',
      ' LO BND C3 0',
      ' UP BND C3 1',
      'ENDATA',
      '',
    ]);
  });

  it('writes ranged rows, equalities, free and fixed columns', () => {
    const text = toFreeMps(
      { ...RANGED_LP, colLower: [-INF, 2], colUpper: [INF, 2], rowLower: [1, 5], rowUpper: [3, 5] },
      2,
      2,
    );
    expect(text).toContain(' G R0\n E R1\n');
    expect(text).toContain('RANGES\n RNG R0 2\n');
    expect(text).toContain(' FR BND C0\n FX BND C1 2\n');
  });
});

// ---------------------------------------------------------------------------------------
// Infeasible problems: the conflicting constraints (HiGHS IIS).

/**
 * Columns x, y, z >= 0 with y <= 1; rows sum: x + y >= 5, xmax: x <= 1, zx: z + x <= 10,
 * zmin: z >= 2. x + y is at most 2, so `sum` cannot hold; the minimal conflict is sum (its
 * lower side), xmax (upper) and y's upper bound, with x in it only through the rows (its own
 * bound plays no part). zx and zmin, and z, are not in it: z = 2, x = 1, y = 1 satisfies them.
 */
const CONFLICT_ROWS: [number, number[], number][] = [
  [5, [1, 1, 0], INF],
  [-INF, [1, 0, 0], 1],
  [-INF, [1, 0, 1], 10],
  [2, [0, 0, 1], INF],
];
const CONFLICT_LP: LinearProgram = {
  ...toLp({ sense: 'min', cost: [1, 1, 1], lower: [0, 0, 0], upper: [INF, 1, INF], rows: CONFLICT_ROWS }),
  colNames: ['x', 'y', 'z'],
  rowNames: ['sum', 'xmax', 'zx', 'zmin'],
};

describe('HiGHS: the conflicting constraints of an infeasible problem', () => {
  const provider = new HighsProvider();

  it('names the irreducible set of an infeasible LP, and only it', async () => {
    const result = await provider.solve(CONFLICT_LP);
    expect(result.status).toBe('infeasible');
    const conflict = result.conflict!;
    expect(conflict.irreducible).toBe(true);
    expect(conflict.rows).toEqual([
      { index: 0, name: 'sum', bound: 'lower', lower: 5, upper: INF },
      { index: 1, name: 'xmax', bound: 'upper', lower: -INF, upper: 1 },
    ]);
    expect(conflict.columns).toEqual([
      { index: 0, name: 'x', bound: 'free', lower: 0, upper: INF },
      { index: 1, name: 'y', bound: 'upper', lower: 0, upper: 1 },
    ]);
  });

  it('gives the set as a problem of its own that is infeasible by itself', async () => {
    const lp = (await provider.solve(CONFLICT_LP)).conflict!.lp!;
    expect(lp.colNames).toEqual(['x', 'y']);
    expect(lp.rowNames).toEqual(['sum', 'xmax']);
    expect(Array.from(lp.colLower)).toEqual([-INF, -INF]);
    expect(Array.from(lp.colUpper)).toEqual([INF, 1]);
    expect(Array.from(lp.rowLower)).toEqual([5, -INF]);
    expect(Array.from(lp.rowUpper)).toEqual([INF, 1]);
    expect(Array.from(lp.aStart)).toEqual([0, 2, 3]);
    expect(Array.from(lp.aIndex)).toEqual([0, 1, 0]);
    expect(Array.from(lp.aValue)).toEqual([1, 1, 1]);
    const again = await provider.solve(lp, { iis: false });
    expect(again.status).toBe('infeasible');
    expect(again.conflict).toBeUndefined();
  });

  it('is plain data that survives a structured clone (a worker posts it)', async () => {
    const { conflict } = await provider.solve(CONFLICT_LP);
    const copy = structuredClone(conflict);
    expect(copy).toEqual(conflict);
  });

  it('finds the same set for the MIP version (an IIS of its LP relaxation)', async () => {
    const result = await provider.solve({ ...CONFLICT_LP, integrality: Int32Array.from([1, 1, 1]) });
    expect(result.status).toBe('infeasible');
    expect(result.conflict!.irreducible).toBe(true);
    expect(result.conflict!.rows.map((r) => `${r.name} ${r.bound}`)).toEqual(['sum lower', 'xmax upper']);
    expect(result.conflict!.columns.map((c) => `${c.name} ${c.bound}`)).toEqual(['x free', 'y upper']);
    expect(result.conflict!.lp).toBeDefined();
  });

  it('claims no minimal set for a MIP whose LP relaxation is feasible (2x = 1, x binary)', async () => {
    const lp = toLp({ sense: 'min', cost: [1], lower: [0], upper: [1], integer: true, rows: [[1, [2], 1]] });
    const result = await provider.solve(lp);
    expect(result.status).toBe('infeasible');
    expect(result.conflict?.irreducible ?? false).toBe(false);
    expect(result.conflict?.lp).toBeUndefined();
    expect(result.message).toMatch(/integer restrictions/);
  });

  it('looks for no conflict on a feasible problem, nor when asked not to', async () => {
    expect((await provider.solve(SMALL_LP)).conflict).toBeUndefined();
    const result = await provider.solve(CONFLICT_LP, { iis: false });
    expect(result.status).toBe('infeasible');
    expect(result.conflict).toBeUndefined();
  });

  it('decides an "infeasible or unbounded" presolve answer: an unbounded MIP is unbounded', async () => {
    // min −x, x integer >= 0 with no row: MIP presolve says "infeasible or unbounded" (HiGHS status 9).
    const lp = toLp({
      sense: 'min',
      cost: [-1, 0],
      lower: [0, 0],
      upper: [INF, 1],
      integer: true,
      rows: [[-INF, [0, 1], 1]],
    });
    const result = await provider.solve(lp);
    expect(result.status).toBe('unbounded');
    expect(result.conflict).toBeUndefined();
  });
});

describe('CBC on an infeasible problem', () => {
  it('says that HiGHS names the conflicting constraints (a stand-in cbc that answers "Infeasible")', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tarn-fake-cbc-'));
    try {
      const command = join(dir, 'cbc');
      // Writes CBC's first solution-file line to the file after -solution.
      await writeFile(
        command,
        '#!/bin/sh\nwhile [ "$#" -gt 0 ]; do if [ "$1" = "-solution" ]; then ' +
          'echo "Infeasible - objective value 0.00000000" > "$2"; fi; shift; done\n',
        { mode: 0o755 },
      );
      const result = await new CbcProvider(command).solve(CONFLICT_LP);
      expect(result.status).toBe('infeasible');
      expect(result.message).toBe(`Infeasible - objective value 0.00000000; ${NO_CONFLICTS}`);
      expect(result.message).toMatch(/TARN_SOLVER=highs/);
      expect(result.conflict).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  if (cbc !== undefined) {
    const cbcCommand = cbc;
    it('says so with the installed cbc too', async () => {
      const result = await new CbcProvider(cbcCommand).solve(CONFLICT_LP);
      expect(result.status).toBe('infeasible');
      expect(result.message).toContain(NO_CONFLICTS);
    });
  }
});
