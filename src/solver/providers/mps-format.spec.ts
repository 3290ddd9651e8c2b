import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { findCbc } from './cbc.provider.js';
import { HighsProvider } from './highs.provider.js';
import { isValidMpsName, mpsNames, toMps } from './mps-format.js';
import type { LinearProgram } from './optimization-provider.js';
import { loadHighs } from './highs-model.js';
import { csc, TINY } from '../../../test/support/linear-programs.js';

const INF = Infinity;

/** max 3a + 2b − c + 10 − … : an LP with a maximization, an offset, a ranged row, a free and a fixed column. */
const MAX_LP: LinearProgram = {
  sense: 'max',
  offset: -12.5,
  colCost: [3, 2, -1, 0.25, 0],
  colLower: [0, 1, -INF, 2, -3],
  colUpper: [4, INF, INF, 2, -1],
  colNames: ['a', 'b', 'free c', 'fixed', 'neg'],
  rowNames: ['range', 'cap', 'link', 'nothing'],
  ...csc(
    [
      [2, [1, 1, 0, 0, 0], 6.5],
      [-INF, [0, 1, 1, 0, 1], 3],
      [-1, [1, 0, -1, 0, 0], -1],
      [-INF, [0, 0, 0, 0, 0], INF],
    ],
    5,
  ),
};

/** An LP without names, with an empty column and zero costs. */
const UNNAMED: LinearProgram = {
  sense: 'min',
  colCost: new Float64Array([1, 0, 0]),
  colLower: new Float64Array([0, 0, 0]),
  colUpper: new Float64Array([INF, INF, 7]),
  rowLower: new Float64Array([1]),
  rowUpper: new Float64Array([INF]),
  aStart: new Int32Array([0, 1, 2, 2]),
  aIndex: new Int32Array([0, 0]),
  aValue: new Float64Array([1, 1]),
};

describe('toMps', () => {
  it('writes the tiny MIP as free MPS, exactly', () => {
    expect(toMps(TINY, { name: 'tiny one', comment: 'tiny' })).toBe(
      [
        '* tiny',
        'NAME tiny_one FREE',
        'ROWS',
        ' N obj',
        ' G c1',
        ' L c2',
        ' E bal[1]',
        ' G rng',
        'COLUMNS',
        ' x obj 2',
        ' x c1 1',
        ' x c2 1',
        ' x rng 1',
        ' y obj -1',
        ' y c1 1',
        ' y bal[1] 1',
        " MARKER0 'MARKER' 'INTORG'",
        ' z[0] obj 0.5',
        ' z[0] c2 -2',
        ' z[0] bal[1] 1',
        ' z[0] rng 1',
        ' w obj -1',
        " MARKER1 'MARKER' 'INTEND'",
        ' v obj 1',
        'RHS',
        ' RHS obj -3',
        ' RHS c1 1',
        ' RHS c2 4',
        ' RHS bal[1] 2',
        ' RHS rng 1',
        'RANGES',
        ' RNG rng 4',
        'BOUNDS',
        ' UP BND y 10',
        ' MI BND y',
        ' BV BND z[0]',
        ' UP BND w 5',
        ' LO BND w 0',
        ' FX BND v 3',
        'ENDATA',
        '',
      ].join('\n'),
    );
  });

  it('marks a maximization with OBJSENSE MAX', () => {
    expect(toMps(MAX_LP).split('\n').slice(1, 3)).toEqual(['OBJSENSE', '    MAX']);
    expect(toMps(TINY)).not.toContain('OBJSENSE');
  });

  it('keeps valid unique names and replaces the others by x<j> / r<i>', () => {
    const lp: LinearProgram = {
      ...UNNAMED,
      colNames: ['a b', 'x0', 'x0'],
      rowNames: ['obj'],
    };
    const names = mpsNames(lp);
    // 'a b' has a space; the second 'x0' repeats the first; x0 is then taken, so column 0 becomes x0_.
    expect(names.columns).toEqual(['x0_', 'x0', 'x2']);
    expect(names.rows).toEqual(['obj']);
    expect(names.objective).toBe('obj_');
    expect(names.generatedColumns).toBe(2);
    expect(mpsNames(UNNAMED)).toMatchObject({ columns: ['x0', 'x1', 'x2'], rows: ['r0'], generatedRows: 1 });
  });

  it('takes printable names without spaces, and no MPS keyword or comment start', () => {
    for (const name of ['reservoir.R1.storage[3]', 'plant.P-1.q(2)', 'a/b:c']) expect(isValidMpsName(name)).toBe(true);
    for (const name of ['', 'a b', 'tab\there', 'Øre', '*c', '$c', 'RHS', 'marker', "'MARKER'", 'x'.repeat(256)]) {
      expect(isValidMpsName(name)).toBe(false);
    }
  });

  it('rejects an LP whose arrays do not fit together', () => {
    expect(() => toMps({ ...UNNAMED, colLower: [0] })).toThrow(/colLower has 1 entries/);
  });
});

describe('toMps round trip through the HiGHS MPS reader', () => {
  const provider = new HighsProvider();

  /** The file read back into HiGHS: its model data and its optimum, next to the LP solved directly. */
  async function readBack(lp: LinearProgram) {
    const highs = await loadHighs();
    const model = highs.createModel();
    try {
      model.readModel({ format: 'mps', data: toMps(lp) });
      model.options.set({ output_flag: false, mip_rel_gap: 0 });
      const data = model.getLp('csc');
      const offset = model.getObjectiveOffset();
      const { modelStatus } = model.run();
      const objective = model.getObjectiveValue();
      const colValue = model.getSolution().colValue;
      const direct = await provider.solve(lp, { mipRelGap: 0 });
      return { data, offset, modelStatus, objective, colValue, direct };
    } finally {
      model.dispose();
    }
  }

  function expectSameModel(data: Awaited<ReturnType<typeof readBack>>['data'], lp: LinearProgram) {
    expect(Array.from(data.colCost)).toEqual(Array.from(lp.colCost));
    expect(Array.from(data.colLower)).toEqual(Array.from(lp.colLower));
    expect(Array.from(data.colUpper)).toEqual(Array.from(lp.colUpper));
    expect(Array.from(data.rowLower)).toEqual(Array.from(lp.rowLower));
    expect(Array.from(data.rowUpper)).toEqual(Array.from(lp.rowUpper));
    expect(Array.from(data.integrality)).toEqual(
      Array.from(lp.integrality ?? new Array<number>(lp.colCost.length).fill(0)),
    );
    if (data.matrix.format !== 'csc') throw new Error('expected CSC');
    expect(Array.from(data.matrix.starts)).toEqual(Array.from(lp.aStart));
    expect(Array.from(data.matrix.indices)).toEqual(Array.from(lp.aIndex));
    expect(Array.from(data.matrix.values)).toEqual(Array.from(lp.aValue));
  }

  it('gives the tiny MIP (offset, binary, bounded integer, free below, fixed, ranged row) the same optimum', async () => {
    const back = await readBack(TINY);
    expect(back.offset).toBe(3);
    expectSameModel(back.data, TINY);
    expect(back.direct.objective).toBeCloseTo(0.5, 9);
    expect(back.objective).toBeCloseTo(back.direct.objective, 9);
    expect(Array.from(back.colValue)).toEqual([0, 1, 1, 5, 3]);
  });

  it('gives the maximization with a negative offset, a free and a fixed column and an empty free row the same optimum', async () => {
    const back = await readBack(MAX_LP);
    const highs = await loadHighs();
    expect(back.data.sense).toBe(highs.constants.objectiveSense.maximize);
    expect(back.offset).toBe(-12.5);
    expectSameModel(back.data, MAX_LP);
    expect(back.direct.status).toBe('optimal');
    expect(back.modelStatus).toBe(7);
    expect(back.objective).toBeCloseTo(back.direct.objective, 9);
    // a = 4 (cost 3, at its bound), then c = a + 1 = 5 (link), b <= 3 − c − neg with neg = −3: b = 1.
    expect(back.direct.objective).toBeCloseTo(12 + 2 - 5 + 0.5 - 12.5, 9);
  });

  it('keeps a column without cost or entries, and the column order, in an unnamed LP', async () => {
    const back = await readBack(UNNAMED);
    expectSameModel(back.data, UNNAMED);
    expect(back.objective).toBeCloseTo(back.direct.objective, 9);
    expect(back.objective).toBeCloseTo(0, 9);
  });

  it('gives a random MIP with every kind of row and bound the same objective', async () => {
    let seed = 4242;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const n = 30;
    const m = 20;
    const x0 = Array.from({ length: n }, () => Math.round(next() * 10) - 3);
    const rows: Array<[number, number[], number]> = Array.from({ length: m }, (_, i) => {
      const coefficients = Array.from({ length: n }, () => (next() < 0.3 ? Math.round(next() * 20 - 10) / 2 : 0));
      const activity = coefficients.reduce((sum, a, j) => sum + a * x0[j], 0);
      const kind = i % 4;
      if (kind === 0) return [activity - 2.5, coefficients, activity + 3.1];
      if (kind === 1) return [-INF, coefficients, activity + 1];
      if (kind === 2) return [activity - 1, coefficients, INF];
      return [activity, coefficients, activity];
    });
    const lp: LinearProgram = {
      sense: 'min',
      offset: 1234.5678,
      colCost: Array.from({ length: n }, () => Math.round(next() * 20 - 10) / 4),
      colLower: x0.map((x, j) => (j % 5 === 0 ? -INF : x - 5)),
      colUpper: x0.map((x, j) => (j % 7 === 0 ? x : x + 4)),
      integrality: x0.map((_, j) => (j % 3 === 0 ? 1 : 0)),
      colNames: Array.from({ length: n }, (_, j) => `gate.g${j}.discharge[${j}]`),
      rowNames: Array.from({ length: m }, (_, i) => `reservoir.R.balance[${i}]`),
      ...csc(rows, n),
    };
    const back = await readBack(lp);
    expectSameModel(back.data, lp);
    expect(back.direct.status).toBe('optimal');
    expect(back.objective).toBeCloseTo(back.direct.objective, 6);
  });
});

// The CBC command line reads the same files (`cbc file.mps -solve`; `-max` for a maximization,
// since CBC 2.10 ignores OBJSENSE). Without cbc, one test checks that it is really absent.
const cbc = await findCbc();
describe('toMps read by the cbc command line', () => {
  if (cbc === undefined) {
    it('is not run: cbc is not installed', async () => {
      await expect(findCbc()).resolves.toBeUndefined();
      console.warn('MPS tests with CBC did not run: cbc is not installed (Debian: apt-get install coinor-cbc)');
    });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tarn-mps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cbcObjective = (lp: LinearProgram, file: string): number => {
    const path = join(dir, file);
    writeFileSync(path, toMps(lp));
    const args = [path, ...(lp.sense === 'max' ? ['-max'] : []), '-solve', '-quit'];
    const output = execFileSync(cbc, args, { encoding: 'utf8' });
    const value = /(?:^Objective value:|^Optimal - objective value)\s+(\S+)/m.exec(output);
    if (!value) throw new Error(`no objective in cbc's output: ${output}`);
    return Number(value[1]);
  };

  it('solves the tiny MIP and the maximization to the same objectives as HiGHS', async () => {
    const provider = new HighsProvider();
    for (const [lp, file] of [
      [TINY, 'tiny.mps'],
      [MAX_LP, 'max.mps'],
    ] as const) {
      const direct = await provider.solve(lp, { mipRelGap: 0 });
      expect(cbcObjective(lp, file)).toBeCloseTo(direct.objective, 6);
    }
  });
});

describe('toMps numbers', () => {
  it('writes every number as JavaScript writes it, integers included', () => {
    const values = [0, -0, 1, -1, 7, 10, -10, 99, 100, 12345678, -987654321, 999999999999999, 1e15, 1e21, 0.1, -2.5e-7];
    const lp: LinearProgram = {
      sense: 'min',
      colCost: values,
      colLower: values.map(() => -INF),
      colUpper: values.map(() => INF),
      rowLower: [],
      rowUpper: [],
      aStart: new Array<number>(values.length + 1).fill(0),
      aIndex: [],
      aValue: [],
    };
    const costs = toMps(lp)
      .split('\n')
      .filter((line) => / obj /.test(line))
      .map((line) => line.split(' ')[3]);
    expect(costs).toEqual(values.map((v) => String(v)));
  });
});
