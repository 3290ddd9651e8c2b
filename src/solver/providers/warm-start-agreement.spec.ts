import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { cascadeModel } from '../examples/cascade-model.js';
import { HighsProvider } from './highs.provider.js';
import {
  type LinearProgram,
  OptimizationProvider,
  type SolveOptions,
  type SolveSequence,
} from './optimization-provider.js';
import { optimizeWith, shopFixture, withAddOns } from '../../../test/support/solver-runs.js';

// Warm starts (HighsSolveSequence, as every worker's run solves) against cold solves of every
// iteration: the same objectives within the MIP gap, on the reference models and the cascades.

/** One run's solves through one sequence, as a solver worker makes them. */
class WarmHighs extends OptimizationProvider {
  readonly name = 'highs (warm)';
  private sequence?: SolveSequence;
  /** Each solve's simplex iterations. */
  readonly simplexIterations: number[] = [];
  constructor(private readonly highs: HighsProvider) {
    super();
  }
  async solve(lp: LinearProgram, options?: SolveOptions, signal?: AbortSignal) {
    this.sequence ??= this.highs.openSequence();
    const result = await this.sequence.solve(lp, options, signal);
    this.simplexIterations.push(result.simplexIterations ?? NaN);
    return result;
  }
}

const highs = new HighsProvider();
const BASIC: ShopModelJson & { commands: unknown[] } = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'),
);
const GAP = 1e-4; // SHOP's default relative MIP gap
const SHOP_RUN = ['set universal_mip /on', 'set code /full', 'start sim 3', 'set code /incremental', 'start sim 3'];
const AT_GAP_ZERO = [
  'set mipgap /absolute 0',
  'set mipgap /relative 0',
  'start sim 3',
  'set code /incremental',
  'start sim 3',
];

async function both(model: () => ShopModelJson, commands: readonly unknown[]) {
  const cold = await optimizeWith(highs, model(), commands);
  const warm = await optimizeWith(new WarmHighs(highs), model(), commands);
  expect(warm.iterations).toHaveLength(cold.iterations.length);
  return { cold, warm, difference: Math.abs(warm.grandTotal - cold.grandTotal) / Math.abs(cold.grandTotal) };
}

describe('warm-started and cold HiGHS agree', () => {
  it('basic model, its commands (LPs): the same objective in every iteration and in the result', async () => {
    const { cold, warm, difference } = await both(() => BASIC, BASIC.commands);
    warm.iterations.forEach((objective, i) =>
      expect(Math.abs(objective - cold.iterations[i])).toBeLessThan(1e-6 * Math.abs(objective)),
    );
    expect(difference).toBeLessThan(1e-6);
  });

  it('basic model, its commands: every iteration after the first starts from the one before (the incremental ones too)', async () => {
    const warm = new WarmHighs(highs);
    await optimizeWith(warm, BASIC, BASIC.commands);
    const [first, ...later] = warm.simplexIterations;
    expect(later).toHaveLength(7);
    // From scratch each takes over a hundred; from the previous basis a handful.
    expect(first).toBeGreaterThan(100);
    for (const iterations of later) expect(iterations).toBeLessThan(first / 10);
  });

  it.each<[string, () => ShopModelJson, readonly unknown[]]>([
    ['basic model with binaries', () => BASIC, ['set universal_mip /on', ...BASIC.commands]],
    ['cascade 5x72 with binaries', () => cascadeModel({ reservoirs: 5, hours: 72, commands: [] }), SHOP_RUN],
    ['basic_pump.yaml', () => shopFixture('basic_pump.yaml'), ['set universal_mip /on', ...SHOP_RUN]],
    ['river_delay.yaml', () => shopFixture('river_delay.yaml'), SHOP_RUN],
  ])('%s at the default MIP gap: the result within the gap', async (_, model, commands) => {
    const { difference } = await both(model, commands);
    // After the first MIP each iteration is linearised at its own previous answer: a few gaps.
    expect(difference).toBeLessThan(5 * GAP);
  });

  // A tunnel network's LP has optima at which its head losses are not tight: those runs solve cold.
  it.each<[string, () => ShopModelJson]>([
    ['tunnel_model.yaml', () => shopFixture('tunnel_model.yaml')],
    [
      'a cascade with pumps, a tunnel and a delayed river',
      () => cascadeModel({ reservoirs: 4, hours: 48, waterways: true, commands: [] }),
    ],
  ])('%s (tunnels) is solved cold: every iteration as a cold solve', async (_, model) => {
    const { cold, warm } = await both(model, SHOP_RUN);
    expect(warm.iterations).toEqual(cold.iterations);
    expect(warm.grandTotal).toBe(cold.grandTotal);
  });

  it.each([
    ['water values, tables', () => withAddOns('water_values_model.yaml', 'water_values_water_value_tables.yaml')],
    ['cuts', () => withAddOns('cuts_model.yaml', 'standard_cuts.yaml')],
  ])('%s at MIP gap 0: the same result', async (_, model) => {
    const { difference } = await both(model, AT_GAP_ZERO);
    expect(difference).toBeLessThan(1e-6);
  });

  it('reserve capacity with obligations, as published (gap 0): the same result, no violation', async () => {
    const model = () => withAddOns('reserve_capacity_model.yaml', 'reserve_obligation.yaml');
    const commands = [...((model().commands ?? []) as string[]), 'start sim 3', 'set code /incremental', 'start sim 5'];
    const { warm, difference } = await both(model, commands);
    expect(difference).toBeLessThan(1e-6);
    expect(warm.outcome.objective!.reserve_violation_penalty).toBeLessThan(1e-6);
  }, 120_000);

  it('12 scenarios (stochastic_from_pyshop.yaml, gap 0): the same first optimum, the result close', async () => {
    const run = [
      'set mipgap /absolute 0',
      'set mipgap /relative 0',
      'start sim 1',
      'set code /incremental',
      'start sim 3',
    ];
    const { cold, warm, difference } = await both(() => shopFixture('stochastic_from_pyshop.yaml'), run);
    expect(Math.abs(warm.iterations[0] - cold.iterations[0])).toBeLessThan(1e-6 * Math.abs(cold.iterations[0]));
    // Flat prices after the first hour: equally good LP optima, at which the next iterations are
    // linearised (as between HiGHS and CBC, scenario-agreement.spec.ts).
    expect(difference).toBeLessThan(1e-2);
  }, 120_000);
});
