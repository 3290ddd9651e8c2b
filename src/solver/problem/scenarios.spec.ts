import { describe, expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { shopFixture } from '../../../test/support/solver-runs.js';
import { HydroModelError } from './hydro-system.js';
import { checkScenarioInputs, scenarioModel, scenarioSet, sharingGroups } from './scenarios.js';

const STOCHASTIC = () => shopFixture('stochastic_from_pyshop.yaml');
const TIME = { start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-01T03:00:00Z', time_unit: 'hour' as const };
const series = (...values: number[][]) => ({
  timestamps: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z'],
  values,
});
const one = (value: number) => ({ timestamps: ['2026-01-01T00:00:00Z'], values: [[value]] });

/** Three scenarios; S2 and S3 share the first two hours with S1 unless `common` says otherwise. */
function threeScenarios(scenario: Record<string, Record<string, unknown>> = {}): ShopModelJson {
  return {
    time: TIME,
    model: {
      scenario: {
        S1: { scenario_id: 1, probability: one(0.5) },
        S2: { scenario_id: 2, probability: one(0.25), common_scenario: series([1, 1, 2]) },
        S3: { scenario_id: 3, probability: one(0.25), common_scenario: series([1, 2, 3]) },
        ...scenario,
      },
      reservoir: { R: { inflow: series([10, 10, 10], [10, 10, 20], [10, 30, 40]) } },
    },
  };
}

const rejected = (run: () => unknown, pattern: RegExp) => {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(HydroModelError);
  expect((error as HydroModelError).rejected).toBe(true);
  expect((error as HydroModelError).message).toMatch(pattern);
};

describe('the scenario set (modelling-2.md §6)', () => {
  it('reads the reference model: 12 scenarios at 1/12 sharing the first hour, branching from 01:00', () => {
    const set = scenarioSet(STOCHASTIC());
    expect(set.names).toEqual(Array.from({ length: 12 }, (_, s) => `S${s + 1}`));
    set.probabilities.forEach((p) => expect(p).toBeCloseTo(1 / 12, 12));
    expect(set.commonScenario[0]).toEqual(new Array(12).fill(1));
    expect(set.commonScenario[1]).toEqual(set.names.map((_, s) => s + 1));
    expect(sharingGroups(set.commonScenario[0])).toEqual([set.names.map((_, s) => s)]);
    expect(sharingGroups(set.commonScenario[5])).toEqual([]);
  });

  it('is S1 alone, of probability 1, in a model without scenario objects', () => {
    const set = scenarioSet({ time: TIME, model: {} });
    expect(set).toMatchObject({ names: ['S1'], probabilities: [1] });
    expect(set.commonScenario).toEqual([[1], [1], [1]]);
  });

  it('orders by scenario_id, shares out the probability left to scenarios without one', () => {
    const model = threeScenarios({
      S3: { scenario_id: 2, common_scenario: series([1, 1, 3]) },
      S2: { scenario_id: 3, probability: one(0.25) },
    });
    const set = scenarioSet(model);
    expect(set.names).toEqual(['S1', 'S3', 'S2']);
    expect(set.probabilities).toEqual([0.5, 0.25, 0.25]);
    // S2 (id 3) has no common_scenario: its own id, shared with no one.
    expect(set.commonScenario).toEqual([
      [1, 1, 3],
      [1, 1, 3],
      [1, 3, 3],
    ]);
  });

  it('refuses ids that are not 1..n, probabilities that do not sum to 1, another history', () => {
    rejected(() => scenarioSet(threeScenarios({ S3: { scenario_id: 7 } })), /S3\.scenario_id: is 7.*ids 1 to 3/);
    rejected(() => scenarioSet(threeScenarios({ S3: { scenario_id: 3, probability: one(0.5) } })), /sum to 1/);
    rejected(
      () => scenarioSet(threeScenarios({ S2: { scenario_id: 2, common_history: series([1, 2, 2]) } })),
      /S2\.common_history: is not 2 at 2026-01-01T00:00:00Z/,
    );
    expect(() =>
      scenarioSet(threeScenarios({ S2: { scenario_id: 2, common_history: series([2, 2, 2]) } })),
    ).not.toThrow();
  });

  it('checks that scenarios sharing a step have the same inputs there', () => {
    const model = threeScenarios();
    expect(() => checkScenarioInputs(model, scenarioSet(model))).not.toThrow();
    // S2 differs from S1 at 01:00, which they share.
    (model.model.reservoir.R as Record<string, unknown>).inflow = series([10, 10, 10], [10, 11, 20], [10, 30, 40]);
    rejected(
      () => checkScenarioInputs(model, scenarioSet(model)),
      /R\.inflow: is 10 in S1 and 11 in S2 at 2026-01-01T01:00:00Z/,
    );
    (model.model.reservoir.R as Record<string, unknown>).inflow = series([10, 10, 10], [10, 10, 20]);
    rejected(() => checkScenarioInputs(model, scenarioSet(model)), /R\.inflow: holds 2 scenarios; the model has 3/);
  });

  it("gives each scenario its own inner array of every stochastic series, and the others' series as they are", () => {
    const model = threeScenarios();
    (model.model.reservoir.R as Record<string, unknown>).max_vol = 5;
    const third = scenarioModel(model, 2);
    expect(third.model.reservoir.R.inflow).toEqual(series([10, 30, 40]));
    expect(third.model.reservoir.R.max_vol).toBe(5);
    expect(third.model.scenario.S1.probability).toEqual(one(0.5));
    expect(model.model.reservoir.R.inflow).toEqual(series([10, 10, 10], [10, 10, 20], [10, 30, 40]));
  });
});
