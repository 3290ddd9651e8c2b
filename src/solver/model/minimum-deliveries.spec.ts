import { describe, expect, it } from '@jest/globals';
import type { MinimumDelivery } from '../problem/iteration-input.js';
import { LpBuilder } from '../problem/lp-builder.js';
import { HighsProvider } from '../providers/highs.provider.js';
import type { LinearProgram, SolveOptions } from '../providers/optimization-provider.js';
import { brokenMinimums, solveWithMinimums } from './minimum-deliveries.js';

const highs = new HighsProvider();

/**
 * Two units share an obligation of 1.5 MW, each delivery 0 or at least 1 MW (`min·v ≤ r ≤ 10·v`).
 * Unit A costs 1 per MW but has only `capA` MW (its column's bound), unit B costs `costB`; a unit
 * `u` (binary, cost `costU`) lets B deliver only when on. Without the minimums A gives 1 MW and
 * B 0.5; with them B must carry it all.
 */
function twoUnits(costB: number, costU: number, capA = 1): { lp: LinearProgram; minimums: MinimumDelivery[] } {
  const lp = new LpBuilder();
  const a = lp.addColumn('a', 0, capA, 1);
  const b = lp.addColumn('b', 0, 10, costB);
  const u = lp.addColumn('u', 0, 1, costU, true);
  const minimums = [a, b].map((delivery, i): MinimumDelivery => {
    const on = lp.addColumn(`v${i}`, 0, 1, 0, true);
    lp.addRow(`min${i}`, 0, Infinity, [
      [delivery, 1],
      [on, -1],
    ]);
    lp.addRow(`max${i}`, -Infinity, 0, [
      [delivery, 1],
      [on, -10],
    ]);
    return { on, delivery, min: 1 };
  });
  lp.addRow('b_only_when_on', -Infinity, 0, [
    [b, 1],
    [u, -10],
  ]);
  lp.addRow('obligation', 1.5, 1.5, [
    [a, 1],
    [b, 1],
  ]);
  return { lp: lp.build('min'), minimums };
}

/** Solves with HiGHS; `first`: the first solve's column values instead (one of its optima). */
async function run(costB: number, costU: number, first?: number[], capA?: number) {
  const { lp, minimums } = twoUnits(costB, costU, capA);
  const solved: LinearProgram[] = [];
  const messages: string[] = [];
  const solve = async (program: LinearProgram, options: SolveOptions) => {
    solved.push(program);
    const result = await highs.solve(program, options);
    if (solved.length > 1 || !first) return result;
    return { ...result, colValue: Float64Array.from([...first, ...result.colValue.slice(first.length)]) };
  };
  const options = { mipRelGap: 0, mipAbsGap: 0 };
  const result = await solveWithMinimums(lp, minimums, solve, options, (_, m) => messages.push(m));
  const direct = await highs.solve(lp, options);
  return { result, direct, solved, messages, minimums };
}

describe('minimum deliveries solved lazily', () => {
  it('brokenMinimums: a delivery above 0 and below its minimum', () => {
    const minimums = [0, 1, 2].map((delivery) => ({ on: 10 + delivery, delivery, min: 1 }));
    expect(brokenMinimums(minimums, [0, 0.5, 1]).map((m) => m.delivery)).toEqual([1]);
    expect(brokenMinimums(minimums, [1e-9, 1 - 1e-9, 3])).toEqual([]);
  });

  it('the relaxation breaks a minimum, the fixed commitment mends it at no extra cost: the MIP’s optimum', async () => {
    // B costs as much as A (which may give 10 MW): every split costs 1.5; the first solve
    // answers A 1 MW, B 0.5, and with A's binary fixed on and B's back, A takes it all.
    const { result, direct, solved, messages, minimums } = await run(1, 0, [1, 0.5, 1], 10);
    expect(solved).toHaveLength(2);
    // First solve: minimum binaries continuous; second: all fixed but the broken one.
    expect(minimums.map(({ on }) => solved[0].integrality![on])).toEqual([0, 0]);
    expect(minimums.map(({ on }) => solved[1].integrality![on])).toEqual([0, 1]);
    expect([solved[1].colLower[minimums[0].on], solved[1].colUpper[minimums[0].on]]).toEqual([1, 1]);
    expect(result.objective).toBeCloseTo(direct.objective, 9);
    expect(result.objective).toBeCloseTo(1.5, 9);
    expect(brokenMinimums(minimums, result.colValue)).toEqual([]);
    expect(messages[0]).toMatch(/^Minimum deliveries: 2 solves, 1 of 2 binaries needed/);
  });

  it('where mending costs more, solves again with the broken minimum’s binary until none breaks', async () => {
    // B costs 3 per MW: A's 1 MW plus B's 0.5 is cheapest, but B's 0.5 breaks its minimum.
    const { result, direct, solved, minimums } = await run(3, 0);
    expect(result.objective).toBeCloseTo(direct.objective, 9);
    // A gives nothing, B all 1.5 MW (4.5), or A 0.5 (breaks A's minimum): so B carries it all.
    expect(result.objective).toBeCloseTo(4.5, 9);
    expect(result.colValue[minimums[1].delivery]).toBeCloseTo(1.5, 9);
    expect(brokenMinimums(minimums, result.colValue)).toEqual([]);
    expect(solved.length).toBeGreaterThan(2);
  });

  it('at a time limit, answers the best repair that keeps the minimums rather than a point that breaks one', async () => {
    // The first relaxation answers A 1 MW, B 0.5 at an objective of 1 (as if cheaper): its
    // repair (A's binary on, B's back) costs 1.5, more, so it is kept and the search goes on;
    // the next relaxation "runs out of time" with a point breaking A's minimum.
    const { lp, minimums } = twoUnits(3, 0, 10);
    const messages: string[] = [];
    let calls = 0;
    const solve = async (program: LinearProgram, options: SolveOptions) => {
      calls++;
      const result = await highs.solve(program, options);
      if (calls === 1) {
        const colValue = Float64Array.from([1, 0.5, 1, ...result.colValue.slice(3)]);
        return { ...result, objective: 1, colValue };
      }
      if (calls === 3) {
        return { ...result, status: 'time_limit' as const, colValue: Float64Array.from([0.5, 1, 1, 1, 1]) };
      }
      return result;
    };
    const result = await solveWithMinimums(lp, minimums, solve, {}, (_, m) => messages.push(m));
    expect(result.status).toBe('time_limit');
    expect(brokenMinimums(minimums, result.colValue)).toEqual([]);
    // The repair: A's binary on (A ≥ 1), B's free: A carries all 1.5 MW at 1 per MW.
    expect(result.objective).toBeCloseTo(1.5, 9);
    expect(messages).toEqual([expect.stringMatching(/^Minimum deliveries: time_limit before the optimum/)]);
  });

  it('solves once where the problem has no minimums', async () => {
    const { lp } = twoUnits(1, 0);
    const solved: LinearProgram[] = [];
    await solveWithMinimums(
      lp,
      [],
      (p, o) => (solved.push(p), highs.solve(p, o)),
      {},
      () => undefined,
    );
    expect(solved).toEqual([lp]);
  });
});
