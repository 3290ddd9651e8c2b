import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from '../providers/highs.provider.js';
import { LpBuilder } from './lp-builder.js';
import { combineScenarioProblems, decisionStep, nonAnticipativityLinks, scenarioSolution } from './scenario-problem.js';
import type { ScenarioSet } from './scenarios.js';

/**
 * A toy scenario: a generator that sells `discharge` at `price` in two steps, within a storage
 * of 10 it shares with the steps (x0 + x1 ≤ 10, each ≤ 8), and a reservoir column that follows.
 */
function toy(prices: [number, number]) {
  const lp = new LpBuilder();
  const x = prices.map((price, t) => lp.addColumn(`generator.G1.discharge[${t}]`, 0, 8, -price));
  const storage = lp.addColumn('reservoir.R.storage[1]', 0, 10);
  lp.addRow('reservoir.R.balance[1]', 10, 10, [
    [x[0], 1],
    [x[1], 1],
    [storage, 1],
  ]);
  return lp.build('min');
}

const set = (commonScenario: number[][], marketCommon = new Map<string, number[][]>()): ScenarioSet => ({
  names: ['S1', 'S2'],
  probabilities: [0.25, 0.75],
  commonScenario,
  marketCommon,
});

describe('the multi-scenario problem (modelling-2.md §6)', () => {
  // S1 sells dear at step 0, S2 at step 1: alone, S1 sells 8 at step 0, S2 2.
  const lps = [toy([5, 1]), toy([1, 5])];
  const provider = new HighsProvider();

  async function solve(commonScenario: number[][]) {
    const links = nonAnticipativityLinks(lps, set(commonScenario));
    const combined = combineScenarioProblems(lps, [0.25, 0.75], links);
    const result = await provider.solve(combined.lp);
    return { combined, result, solutions: lps.map((lp, s) => scenarioSolution(combined, lp, s, result)) };
  }

  it('without a shared step, each scenario takes its own decisions; the objective is weighted', async () => {
    const { combined, result, solutions } = await solve([
      [1, 2],
      [1, 2],
    ]);
    expect(combined.links).toBe(0);
    expect(solutions[0].colValue[0]).toBeCloseTo(8, 9);
    expect(solutions[1].colValue[0]).toBeCloseTo(2, 9);
    expect(solutions[0].objective).toBeCloseTo(-(8 * 5 + 2 * 1), 9);
    expect(solutions[1].objective).toBeCloseTo(-(2 * 1 + 8 * 5), 9);
    expect(result.objective).toBeCloseTo(0.25 * solutions[0].objective + 0.75 * solutions[1].objective, 9);
  });

  it('sharing step 0 links its decisions, not the storage; the likelier scenario wins', async () => {
    const { combined, solutions, result } = await solve([
      [1, 1],
      [1, 2],
    ]);
    expect(combined.links).toBe(1);
    expect(combined.lp.rowNames!.at(-1)).toBe('scen_2/generator.G1.discharge.nonanticipativity[0]');
    expect(combined.lp.colNames![3]).toBe('scen_2/generator.G1.discharge[0]');
    expect(solutions[0].colValue[0]).toBeCloseTo(solutions[1].colValue[0], 9);
    // 0.25·(−5x + −1·(10−x)... ) + 0.75·(−x − 5·min(8, 10 − x)): S2's weight keeps x at 2.
    expect(solutions[0].colValue[0]).toBeCloseTo(2, 9);
    expect(result.objective).toBeCloseTo(0.25 * solutions[0].objective + 0.75 * solutions[1].objective, 9);
  });

  it("a market's own common_scenario decides for its trades", () => {
    const lp = new LpBuilder();
    lp.addColumn('market.Day_ahead.sale[0]', 0, 10);
    lp.addColumn('market.Intraday.sale[0]', 0, 10);
    const one = lp.build('min');
    // The scenarios share step 0, but Intraday's trades at step 0 are not shared.
    const links = nonAnticipativityLinks([one, one], set([[1, 1]], new Map([['Intraday', [[1, 2]]]])));
    expect(links.map(([, , name]) => name)).toEqual(['market.Day_ahead.sale[0]']);
    // Intraday shared where the scenarios are not.
    const other = nonAnticipativityLinks([one, one], set([[1, 2]], new Map([['Intraday', [[3, 3]]]])));
    expect(other.map(([, , name]) => name)).toEqual(['market.Intraday.sale[0]']);
  });

  it('com_dec_period shares production in the first steps, nothing else', () => {
    const lp = new LpBuilder();
    for (const t of [0, 1]) {
      lp.addColumn(`generator.G1.solver_production[${t}]`, 0, 10);
      lp.addColumn(`generator.G1.discharge[${t}]`, 0, 10);
    }
    const one = lp.build('min');
    const links = nonAnticipativityLinks(
      [one, one],
      set([
        [1, 2],
        [1, 2],
      ]),
      1,
    );
    expect(links.map(([, , name]) => name)).toEqual(['generator.G1.solver_production[0]']);
  });

  it('decisions are flows, production, commitment, trades and reserves at a step; not states or slacks', () => {
    expect(decisionStep('generator.G1.on[3]')).toBe(3);
    expect(decisionStep('market.Day_ahead.sale[12]')).toBe(12);
    expect(decisionStep('generator.G1.fcr_n_up_share_group[0]')).toBe(0);
    expect(decisionStep('reservoir.R.storage[3]')).toBeUndefined();
    expect(decisionStep('cut_group.C.future_income0[23]')).toBeUndefined();
    expect(decisionStep('river.R.min_flow_violation[2]')).toBeUndefined();
    expect(decisionStep('reserve_group.G.fcr_n_up_slack_up[2]')).toBeUndefined();
    expect(decisionStep('objective')).toBeUndefined();
  });
});
