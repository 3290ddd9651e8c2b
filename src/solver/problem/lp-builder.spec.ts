import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from '../providers/highs.provider.js';
import { LpBuilder } from './lp-builder.js';

describe(LpBuilder.name, () => {
  it('hands over compressed sparse columns, summing repeated terms and dropping zeros', () => {
    const lp = new LpBuilder();
    const x = lp.addColumn('x', 0, 10, 1);
    const y = lp.addColumn('y', -Infinity, Infinity, 2);
    lp.addRow('r0', 1, 1, [
      [y, 1],
      [x, 2],
      [x, 1],
    ]);
    lp.addRow('r1', -Infinity, 5, [
      [x, 1],
      [y, 0],
    ]);
    const built = lp.build();
    expect(Array.from(built.aStart)).toEqual([0, 2, 3]);
    expect(Array.from(built.aIndex)).toEqual([0, 1, 0]);
    expect(Array.from(built.aValue)).toEqual([3, 1, 1]);
    expect(built.colNames).toEqual(['x', 'y']);
    expect(built.rowNames).toEqual(['r0', 'r1']);
  });

  it('drops a repeated term that sums to zero, keeping the others of its column', () => {
    const lp = new LpBuilder();
    const x = lp.addColumn('x', 0, 1);
    lp.addRow('r0', 0, 0, [[x, 4]]);
    lp.addRow('r1', 0, 0, [
      [x, 2],
      [x, -2],
    ]);
    lp.addRow('r2', 0, 0, [[x, 5]]);
    const built = lp.build();
    expect(Array.from(built.aStart)).toEqual([0, 2]);
    expect(Array.from(built.aIndex)).toEqual([0, 2]);
    expect(Array.from(built.aValue)).toEqual([4, 5]);
  });

  it('refuses a column whose bounds cross, and a term on a column that does not exist', () => {
    const lp = new LpBuilder();
    expect(() => lp.addColumn('bad', 2, 1)).toThrow(/lower bound 2 above upper bound 1/);
    expect(() => lp.addRow('r', 0, 1, [[3, 1]])).toThrow(/no column 3/);
  });

  it('names a column or row given a step `prefix[step]`, and takes the terms of a row from term()', () => {
    const lp = new LpBuilder();
    const x = lp.column('unit.discharge', 3, 0, 5, 2);
    const u = lp.column('unit.on', 3, 0, 1, 0, true);
    lp.row('unit.limit', 3, -Infinity, 0);
    lp.term(x, 1);
    lp.term(u, -5);
    lp.term(x, 0);
    const built = lp.build();
    expect(built.colNames).toEqual(['unit.discharge[3]', 'unit.on[3]']);
    expect(built.rowNames).toEqual(['unit.limit[3]']);
    expect(Array.from(built.integrality!)).toEqual([0, 1]);
    expect(Array.from(built.aValue)).toEqual([1, -5]);
    expect(() => lp.term(7, 1)).toThrow(/row unit\.limit\[3\]: no column 7/);
  });

  it('reused after reset(), builds a new problem and hands over the same names only while they do not change', () => {
    const lp = new LpBuilder();
    const build = (extra: boolean, bound: number) => {
      lp.reset();
      const x = lp.column('x', 0, 0, bound);
      if (extra) lp.column('y', 0, 0, 1);
      lp.row('r', 0, 0, 1);
      lp.term(x, 1);
      return lp.build();
    };
    const first = build(false, 1);
    const second = build(false, 2);
    expect(second.colNames).toBe(first.colNames);
    expect(second.rowNames).toBe(first.rowNames);
    expect(Array.from(first.colUpper)).toEqual([1]);
    expect(Array.from(second.colUpper)).toEqual([2]);
    const third = build(true, 3);
    expect(third.colNames).toEqual(['x[0]', 'y[0]']);
    expect(third.rowNames).toBe(first.rowNames);
    expect(first.colNames).toEqual(['x[0]']);
    expect(build(false, 4).colNames).toEqual(['x[0]']);
  });

  it('builds the same matrix as a new builder when only the coefficients change, also where a sum turns zero', () => {
    const fill = (lp: LpBuilder, a: number, b: number, extra: boolean) => {
      lp.reset();
      const x = lp.column('x', 0, 0, 1);
      const y = lp.column('y', 0, 0, 1);
      lp.row('r', 0, 0, 1);
      lp.term(y, 1);
      lp.term(x, a);
      lp.term(x, b);
      lp.row('r', 1, 0, 1);
      lp.term(x, 2);
      if (extra) lp.term(y, 3);
      return lp.build();
    };
    const matrix = ({ aStart, aIndex, aValue }: ReturnType<LpBuilder['build']>) =>
      [aStart, aIndex, aValue].map((array) => Array.from(array));
    const reused = new LpBuilder();
    for (const [a, b, extra] of [
      [1, 2, false],
      [4, 5, false],
      [1, -1, false],
      [1, -1, false],
      [7, 1, false],
      [7, 1, true],
      [0.1, 0.2, true],
    ] as const) {
      expect(matrix(fill(reused, a, b, extra))).toEqual(matrix(fill(new LpBuilder(), a, b, extra)));
    }
    expect(matrix(fill(reused, 0.1, 0.2, true))[2]).toEqual([0.1 + 0.2, 2, 1, 3]);
  });

  it('grows past its initial capacity', () => {
    const lp = new LpBuilder();
    for (let j = 0; j < 1000; j++) {
      lp.column('x', j, 0, j);
      lp.row('r', j, 0, Infinity);
      lp.term(j, 1);
      if (j > 0) lp.term(j - 1, -1);
    }
    const built = lp.build();
    expect(built.colUpper[999]).toBe(999);
    expect(built.rowNames![999]).toBe('r[999]');
    expect(built.aStart[1000]).toBe(1999);
    expect(Array.from(built.aIndex.slice(0, 3))).toEqual([0, 1, 1]);
  });

  it('builds a problem HiGHS solves: max 3x + 2y, x + y <= 4, x + 3y <= 6, x <= 3', async () => {
    const lp = new LpBuilder();
    const x = lp.addColumn('x', 0, 3, 3);
    const y = lp.addColumn('y', 0, Infinity, 2);
    lp.addRow('a', -Infinity, 4, [
      [x, 1],
      [y, 1],
    ]);
    lp.addRow('b', -Infinity, 6, [
      [x, 1],
      [y, 3],
    ]);
    const result = await new HighsProvider().solve(lp.build('max'), {});
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(11, 9);
    expect(Array.from(result.colValue)).toEqual([expect.closeTo(3, 9), expect.closeTo(1, 9)]);
  });
});
