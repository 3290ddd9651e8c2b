import { describe, expect, it } from '@jest/globals';
import { levelFromVolume } from '../../physics/reservoir.js';
import type { HydroSystem } from '../hydro-system.js';
import type { ColumnIndex, IterationInput } from '../iteration-input.js';
import { averageLevel, difference, linearisedFlow } from './level-terms.js';

const volHead = { ref: 0, x: [0, 4, 10], y: [500, 505, 510] };
const system = {
  reservoirs: [
    { name: 'R', volHead },
    { name: 'S', volHead: { ref: 0, x: [0, 10], y: [0, 10] } },
  ],
};
const index = {
  storage: [
    [10, 11, 12],
    [20, 21, 22],
  ],
} as unknown as ColumnIndex;

function ctx(previousStorage?: number[][]) {
  const input = { startVolumes: [8, 5], previousStorage } as unknown as IterationInput;
  return { system: system as unknown as HydroSystem, input, index };
}

/** Evaluates an expression at column values. */
const value = (e: { constant: number; terms: Array<[number, number]> }, columns: Record<number, number>) =>
  e.terms.reduce((sum, [c, k]) => sum + k * columns[c], e.constant);

describe('the step-average level, linear in the storage columns', () => {
  it('iteration 1: around the start volume, the start level', () => {
    const e = averageLevel(ctx(), 0, 0);
    const start = levelFromVolume(volHead, 8); // 505 + 4·5/6
    expect(e.at).toBeCloseTo(start, 12);
    expect(e.terms).toEqual([[10, expect.closeTo(5 / 6 / 2, 12)]]);
    // V_0 = 7 Mm3: the average of the two levels (one vol_head segment: exact)
    expect(value(e, { 10: 7 })).toBeCloseTo((start + levelFromVolume(volHead, 7)) / 2, 12);
  });

  it('later steps use the previous iteration’s storage before and after the step', () => {
    const e = averageLevel(
      ctx([
        [7, 6, 5],
        [5, 5, 5],
      ]),
      0,
      2,
    );
    expect(e.at).toBeCloseTo((levelFromVolume(volHead, 6) + levelFromVolume(volHead, 5)) / 2, 12);
    expect(value(e, { 11: 6, 12: 5 })).toBeCloseTo(e.at, 12);
    expect(value(e, { 11: 5.5, 12: 4.5 })).toBeCloseTo(
      (levelFromVolume(volHead, 5.5) + levelFromVolume(volHead, 4.5)) / 2,
      12,
    );
  });

  it('a level difference and a linearised flow row', () => {
    const c = ctx([
      [7, 6, 5],
      [5, 5, 5],
    ]);
    const x = difference(averageLevel(c, 0, 1), averageLevel(c, 1, 1));
    expect(x.at).toBeCloseTo((levelFromVolume(volHead, 7) + levelFromVolume(volHead, 6)) / 2 - 5, 12);
    // flow = 3 + 2·(x − x⁰): the row's terms and rhs hold at any storage
    const { terms, rhs } = linearisedFlow([[99, 1]], { flow: 3, slope: 2 }, x);
    const columns = { 10: 6.5, 11: 5.5, 20: 4, 21: 6 };
    const flow = 3 + 2 * (value(x, columns) - x.at);
    expect(value({ constant: -rhs, terms }, { ...columns, 99: flow })).toBeCloseTo(0, 12);
  });
});
