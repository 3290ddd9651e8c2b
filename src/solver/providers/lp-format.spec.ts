import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from './highs.provider.js';
import { legalLpName, toLpFormat } from './lp-format.js';
import type { LinearProgram } from './optimization-provider.js';
import { loadHighs } from './highs-model.js';
import { csc, TINY } from '../../../test/support/linear-programs.js';

const INF = Infinity;

describe('toLpFormat', () => {
  it('writes the tiny MIP as CPLEX LP text, exactly', () => {
    expect(toLpFormat(TINY, { comment: 'tiny' })).toBe(
      [
        '\\ tiny',
        'Minimize',
        ' obj: 2 x - y + 0.5 z(0) - w + v + 3',
        'Subject To',
        ' c1: x + y >= 1',
        ' c2: x - 2 z(0) <= 4',
        ' bal(1): y + z(0) = 2',
        ' rng_lo: x + z(0) >= 1',
        ' rng_up: x + z(0) <= 5',
        'Bounds',
        ' -inf <= y <= 10',
        ' 0 <= w <= 5',
        ' v = 3',
        'Generals',
        ' w',
        'Binaries',
        ' z(0)',
        'End',
        '',
      ].join('\n'),
    );
  });

  it('writes a maximization, free and negative bounds, a free row, an empty row and unused columns', () => {
    const lp: LinearProgram = {
      sense: 'max',
      offset: -1.5,
      colCost: [0, 0, 0, 0],
      colLower: [-INF, -2, 0, 0],
      colUpper: [INF, INF, INF, 7],
      rowNames: ['free row', 'empty'],
      ...csc(
        [
          [-INF, [1, -1, 0, 0], INF],
          [1, [0, 0, 0, 0], INF],
        ],
        4,
      ),
    };
    expect(toLpFormat(lp)).toBe(
      [
        'Maximize',
        ' obj: - 1.5',
        'Subject To',
        ' free_row: x0 - x1 >= -inf',
        ' empty: 0 x0 >= 1',
        'Bounds',
        ' x0 free',
        ' x1 >= -2',
        ' x2 >= 0',
        ' 0 <= x3 <= 7',
        'End',
        '',
      ].join('\n'),
    );
  });

  it('makes names legal, recognisable and unique', () => {
    expect(legalLpName('reservoir.Reservoir1.storage[3]')).toBe('reservoir.Reservoir1.storage(3)');
    expect(legalLpName('plant.Åsen kraft-verk.head_term[0]')).toBe('plant.Asen_kraft_verk.head_term(0)');
    expect(legalLpName('3rd')).toBe('_3rd');
    expect(legalLpName('.x')).toBe('_.x');
    expect(legalLpName('e12')).toBe('_e12');
    expect(legalLpName('End')).toBe('_End');
    expect(legalLpName('free')).toBe('_free');
    expect(legalLpName('x<=y:1')).toBe('x__y_1');
    const lp: LinearProgram = {
      sense: 'min',
      colCost: [1, 1, 1],
      colLower: [0, 0, 0],
      colUpper: [INF, INF, INF],
      colNames: ['a b', 'a_b', 'a-b'],
      rowNames: ['obj'],
      ...csc([[1, [1, 1, 1], INF]], 3),
    };
    const text = toLpFormat(lp);
    expect(text).toContain(' obj: a_b + a_b~2 + a_b~3');
    expect(text).toContain(' obj~2: a_b + a_b~2 + a_b~3 >= 1'); // "obj" is the objective's
  });

  it('wraps long expressions onto continuation lines of at most 80 characters', () => {
    const n = 40;
    const lp: LinearProgram = {
      sense: 'min',
      colCost: new Array(n).fill(1),
      colLower: new Array(n).fill(0),
      colUpper: new Array(n).fill(INF),
      colNames: Array.from({ length: n }, (_, j) => `generator.G${j}.solver_production[${j}]`),
      ...csc([[10, new Array(n).fill(1), INF]], n),
    };
    const lines = toLpFormat(lp).split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
    const continuations = lines.filter((line) => line.startsWith('  '));
    expect(continuations.length).toBeGreaterThan(10);
    continuations.forEach((line) => expect(line).toMatch(/^ {2}(\+ |>= )/));
  });
});

describe('toLpFormat round trip through the HiGHS LP reader', () => {
  const provider = new HighsProvider();

  /** Solves the arrays and the written text; both answers by (written) column name. */
  async function both(lp: LinearProgram) {
    const highs = await loadHighs();
    const text = toLpFormat(lp);
    const fromText = highs.solve(text, { output_flag: false });
    const fromArrays = await provider.solve(lp, { mipRelGap: 0 });
    const names = (lp.colNames ?? []).map(legalLpName);
    const primal = (name: string) => (fromText.Columns[name] as { Primal: number }).Primal;
    return { text, fromText, fromArrays, names, primal };
  }

  it('gives the tiny MIP the same optimum: x = 0, y = 1, z = 1, w = 5, v = 3, objective 0.5', async () => {
    const { fromText, fromArrays, names, primal } = await both(TINY);
    expect(fromArrays.objective).toBeCloseTo(0.5, 9);
    expect(fromText.Status).toBe('Optimal');
    expect(fromText.ObjectiveValue).toBeCloseTo(0.5, 9);
    expect(names.map(primal)).toEqual([0, 1, 1, 5, 3]);
  });

  it('gives a random LP with ranged rows and all kinds of bounds the same objective and solution', async () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const n = 25;
    const m = 18;
    // Rows around a known point x0, so that the problem is feasible; costs make the optimum unique enough.
    const x0 = Array.from({ length: n }, () => Math.round(next() * 10) - 3);
    const rows: Array<[number, number[], number]> = Array.from({ length: m }, (_, i) => {
      const coefficients = Array.from({ length: n }, () => (next() < 0.3 ? Math.round(next() * 20 - 10) / 2 : 0));
      const activity = coefficients.reduce((sum, a, j) => sum + a * x0[j], 0);
      const kind = i % 4;
      if (kind === 0) return [activity - 2, coefficients, activity + 3]; // ranged
      if (kind === 1) return [-INF, coefficients, activity + 1];
      if (kind === 2) return [activity - 1, coefficients, INF];
      return [activity, coefficients, activity];
    });
    const lp: LinearProgram = {
      sense: 'max',
      offset: 7.25,
      colCost: Array.from({ length: n }, () => Math.round(next() * 20 - 10) / 4),
      colLower: x0.map((x, j) => (j % 5 === 0 ? -INF : x - 5)),
      colUpper: x0.map((x, j) => (j % 7 === 0 ? x : x + 4)),
      colNames: Array.from({ length: n }, (_, j) => `gate.g ${j}.discharge[${j}]`),
      rowNames: Array.from({ length: m }, (_, i) => `reservoir.R.balance[${i}]`),
      ...csc(rows, n),
    };
    const { fromText, fromArrays, names, primal } = await both(lp);
    expect(fromArrays.status).toBe('optimal');
    expect(fromText.Status).toBe('Optimal');
    expect(fromText.ObjectiveValue).toBeCloseTo(fromArrays.objective, 6);
    // The primal values of an LP optimum need not be unique; the objective is, and the text's point is feasible.
    const point = names.map(primal);
    point.forEach((x, j) => {
      expect(x).toBeGreaterThanOrEqual(lp.colLower[j] - 1e-7);
      expect(x).toBeLessThanOrEqual(lp.colUpper[j] + 1e-7);
    });
    rows.forEach(([lower, coefficients, upper]) => {
      const activity = coefficients.reduce((sum, a, j) => sum + a * point[j], 0);
      expect(activity).toBeGreaterThanOrEqual(lower - 1e-6);
      expect(activity).toBeLessThanOrEqual(upper + 1e-6);
    });
  });

  it('keeps an infeasible problem infeasible', async () => {
    const lp: LinearProgram = {
      sense: 'min',
      colCost: [0, 0],
      colLower: [-INF, -INF],
      colUpper: [INF, 1],
      colNames: ['x', 'y'],
      rowNames: ['sum', 'xmax'],
      ...csc(
        [
          [5, [1, 1], INF],
          [-INF, [1, 0], 1],
        ],
        2,
      ),
    };
    const { fromText } = await both(lp);
    expect(fromText.Status).toBe('Infeasible');
  });
});
