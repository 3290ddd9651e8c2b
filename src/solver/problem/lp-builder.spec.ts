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
