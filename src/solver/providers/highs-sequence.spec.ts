import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from './highs.provider.js';
import type { LinearProgram, SolveResult } from './optimization-provider.js';

const provider = new HighsProvider();

/**
 * A transport problem, whose LP optimum is integral (its matrix is totally unimodular): 3 sources
 * with `supply`, 3 sinks taking 10 each, costs `cost[i][j]`; columns x[i][j] row-major.
 */
function transport(cost: number[][], integer = false): LinearProgram {
  const supply = [12, 11, 9];
  const n = 9;
  const aStart: number[] = [0];
  const aIndex: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      aIndex.push(i, 3 + j); // supply row i, demand row 3 + j
      aStart.push(aIndex.length);
    }
  }
  return {
    sense: 'min',
    colCost: Float64Array.from(cost.flat()),
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(Infinity),
    integrality: integer ? new Int32Array(n).fill(1) : undefined,
    rowLower: Float64Array.from([-Infinity, -Infinity, -Infinity, 10, 10, 10]),
    rowUpper: Float64Array.from([...supply, Infinity, Infinity, Infinity]),
    aStart: Int32Array.from(aStart),
    aIndex: Int32Array.from(aIndex),
    aValue: new Float64Array(aIndex.length).fill(1),
  };
}

/** min offset + x + 2·y, x binary, y ≥ 0, x + y ≥ `need`: its relaxation takes x = min(need, 1). */
function unitAndTopUp(need: number, offset: number): LinearProgram {
  return {
    sense: 'min',
    offset,
    colCost: [1, 2],
    colLower: [0, 0],
    colUpper: [1, Infinity],
    integrality: [1, 0],
    rowLower: [need],
    rowUpper: [Infinity],
    aStart: [0, 1, 2],
    aIndex: [0, 0],
    aValue: [1, 1],
  };
}

/** min x1 + 1.001·x2, binaries, x1 + x2 ≥ 1.2: its relaxation rounded to the nearest breaks the row. */
const coverTwo: LinearProgram = {
  sense: 'min',
  colCost: [1, 1.001],
  colLower: [0, 0],
  colUpper: [1, 1],
  integrality: [1, 1],
  rowLower: [1.2],
  rowUpper: [Infinity],
  aStart: [0, 1, 2],
  aIndex: [0, 0],
  aValue: [1, 1],
};

const costs = (shift: number) => [
  [4 + shift, 6, 9],
  [5, 3 + shift, 7],
  [6, 8, 2 + shift],
];

function expectSameOptimum(warm: SolveResult, cold: SolveResult): void {
  expect(warm.status).toBe('optimal');
  expect(cold.status).toBe('optimal');
  expect(warm.objective).toBeCloseTo(cold.objective, 9);
}

describe('HighsSolveSequence (warm starts across related solves)', () => {
  it('solves each LP of a sequence to the cold optimum, starting from the basis of the previous one of its shape', async () => {
    const sequence = provider.openSequence();
    try {
      const first = await sequence.solve(transport(costs(0)));
      expectSameOptimum(first, await provider.solve(transport(costs(0))));
      expect(first.simplexIterations).toBeGreaterThan(0);
      // The same problem again: its optimal basis is already optimal.
      expect((await sequence.solve(transport(costs(0)))).simplexIterations).toBe(0);
      for (const shift of [0.5, 3, -2]) {
        const lp = transport(costs(shift));
        const warm = await sequence.solve(lp);
        expectSameOptimum(warm, await provider.solve(lp));
        expect(warm.colDual).toHaveLength(9);
        expect(warm.rowDual).toHaveLength(6);
      }
      // Another shape in between does not disturb it.
      expectSameOptimum(await sequence.solve(unitAndTopUp(0.5, 0)), await provider.solve(unitAndTopUp(0.5, 0)));
      expect((await sequence.solve(transport(costs(-2)))).simplexIterations).toBe(0);
    } finally {
      sequence.close();
    }
  });

  it('starts a problem of another shape from the last basis carried over by names, to the cold optimum', async () => {
    const named = (lp: LinearProgram, sources: number): LinearProgram => ({
      ...lp,
      colNames: Array.from({ length: sources * 3 }, (_, k) => `x[${Math.floor(k / 3)}][${k % 3}]`),
      rowNames: [...Array.from({ length: sources }, (_, i) => `supply[${i}]`), 'demand[0]', 'demand[1]', 'demand[2]'],
    });
    const three = named(transport(costs(0)), 3);
    // A fourth source, cheap to sink 2: three more columns and a row, ahead of the demand rows.
    const four: LinearProgram = named(
      {
        ...three,
        colCost: Float64Array.from([...costs(0).flat(), 9, 9, 1]),
        colLower: new Float64Array(12),
        colUpper: new Float64Array(12).fill(Infinity),
        rowLower: Float64Array.from([-Infinity, -Infinity, -Infinity, -Infinity, 10, 10, 10]),
        rowUpper: Float64Array.from([12, 11, 9, 5, Infinity, Infinity, Infinity]),
        aStart: Int32Array.from({ length: 13 }, (_, j) => 2 * j),
        aIndex: Int32Array.from(Array.from({ length: 12 }, (_, j) => [Math.floor(j / 3), 4 + (j % 3)]).flat()),
        aValue: new Float64Array(24).fill(1),
      },
      4,
    );
    const sequence = provider.openSequence();
    await sequence.solve(three);
    const warm = await sequence.solve(four);
    expectSameOptimum(warm, await provider.solve(four));
    expect(warm.objective).toBeLessThan((await provider.solve(three)).objective);
    sequence.close();
  });

  it('keeps the model between solves of one structure, changing costs, bounds and coefficients in place', async () => {
    const sequence = provider.openSequence();
    // One problem object whose arrays change between the solves, as a builder that reuses them would.
    const lp = transport(costs(0));
    const colCost = lp.colCost as Float64Array;
    const rowUpper = lp.rowUpper as Float64Array;
    const aValue = lp.aValue as Float64Array;
    const changes: Array<() => void> = [
      () => colCost.set([1, 9, 9], 0),
      () => rowUpper.set([20], 0),
      () => aValue.set([1.25], 8), // source 1 loses 20 % on its way to sink 1
      () => (lp.colLower as Float64Array).set([2], 4),
      () => (lp.offset = 100),
    ];
    expectSameOptimum(await sequence.solve(lp), await provider.solve(lp));
    for (const change of changes) {
      change();
      const warm = await sequence.solve(lp);
      expectSameOptimum(warm, await provider.solve({ ...lp }));
    }
    expect((await sequence.solve(lp)).simplexIterations).toBe(0);
    sequence.close();
  });

  it('answers a MIP whose relaxation is integral with that optimum (gap 0)', async () => {
    const sequence = provider.openSequence();
    const lp = transport(costs(1), true);
    const warm = await sequence.solve(lp, { mipRelGap: 0 });
    expectSameOptimum(warm, await provider.solve(lp, { mipRelGap: 0 }));
    expect(warm.mipGap).toBe(0);
    expect(warm.colDual).toBeUndefined(); // a MIP has no duals, warm or cold
    for (const x of warm.colValue) expect(x).toBe(Math.round(x));
    sequence.close();
  });

  it('answers a MIP with its relaxation rounded when that is within the MIP gap, and says the gap', async () => {
    const sequence = provider.openSequence();
    // Relaxation: x = 0.5, objective 1e6 + 0.5; rounded: x = 1, 1e6 + 1; gap 5e-7.
    const lp = unitAndTopUp(0.5, 1e6);
    const warm = await sequence.solve(lp, { mipRelGap: 1e-4 });
    expectSameOptimum(warm, await provider.solve(lp, { mipRelGap: 1e-4 }));
    expect(warm.objective).toBeCloseTo(1e6 + 1, 9);
    expect(warm.mipGap).toBeCloseTo(0.5 / (1e6 + 1), 12);
    expect(Array.from(warm.colValue)).toEqual([1, 0]);
    sequence.close();
  });

  it("leaves a MIP to HiGHS's branch and bound when the rounded relaxation is not within the gap", async () => {
    const sequence = provider.openSequence();
    // Without the offset the same rounding is 0.5 / 1 = 50 % from the bound.
    const lp = unitAndTopUp(0.5, 0);
    const warm = await sequence.solve(lp, { mipRelGap: 1e-4 });
    expectSameOptimum(warm, await provider.solve(lp, { mipRelGap: 1e-4 }));
    expect(warm.objective).toBeCloseTo(1, 9);
    // Nearest rounding (x2 = 0) breaks the row, rounding up costs 2.001 against 1.2: branch and bound finds 2.001.
    const cover = await sequence.solve(coverTwo, { mipRelGap: 0 });
    expectSameOptimum(cover, await provider.solve(coverTwo, { mipRelGap: 0 }));
    expect(cover.objective).toBeCloseTo(2.001, 9);
    sequence.close();
  });

  it('answers infeasible problems as a cold solve does, with the conflict', async () => {
    const sequence = provider.openSequence();
    const infeasible = { ...unitAndTopUp(0.5, 0), colUpper: [1, 0], rowLower: [3], integrality: undefined };
    await sequence.solve(unitAndTopUp(0.5, 0)); // a basis of this shape is kept
    const warm = await sequence.solve(infeasible);
    const cold = await provider.solve(infeasible);
    expect(warm.status).toBe('infeasible');
    expect(warm.hasSolution).toBe(false);
    expect(warm.conflict).toEqual(cold.conflict);
    sequence.close();
  });

  it('solves cold for the interior point method, after close, and when cancelled before it starts', async () => {
    const sequence = provider.openSequence();
    const lp = transport(costs(0));
    expectSameOptimum(await sequence.solve(lp, { method: 'ipm' }), await provider.solve(lp));
    const controller = new AbortController();
    controller.abort();
    expect((await sequence.solve(lp, {}, controller.signal)).status).toBe('interrupted');
    sequence.close();
    expectSameOptimum(await sequence.solve(lp), await provider.solve(lp));
  });
});
