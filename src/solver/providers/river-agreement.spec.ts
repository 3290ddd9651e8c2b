import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { yamlToShopJson } from '../../shop/shop-yaml.js';
import { HighsProvider } from './highs.provider.js';
import type { OptimizationProvider } from './optimization-provider.js';
import { describeWithCbc, optimizeWith, shopFixture } from '../../../test/support/solver-runs.js';

// Rivers, delays and overflow (modelling-2 §3) on small hand-written models: both providers agree,
// and river flow functions follow the level.
const fixture = shopFixture;

/** gate_functions.yaml with the controlled gate's min_flow soft (min_q_penalty_flag, min_q_penalty_cost). */
const softGate = () =>
  yamlToShopJson(
    readFileSync(new URL('../../../test/fixtures/gate_functions.yaml', import.meta.url), 'utf8').replace(
      '    Controlled:\n',
      '    Controlled:\n      min_q_penalty_flag:\n        2024-01-01 00:00:00: 1\n' +
        '      min_q_penalty_cost:\n        2024-01-01 00:00:00: 1000\n',
    ),
  ) as ShopModelJson;

const run = (provider: OptimizationProvider, model: ShopModelJson, commands: unknown[]) =>
  optimizeWith(provider, model, commands);

const series = (
  outputs: Array<{ objectName: string; attribute: string; value: unknown }>,
  name: string,
  attribute: string,
) =>
  (outputs.find((o) => o.objectName === name && o.attribute === attribute)!.value as { values: number[][] }).values[0];

/** The river model with the upper reservoir's release set by its level (up_head_flow_curve), no schedule. */
function levelDriven(): ShopModelJson {
  const model = fixture('river_delay.yaml');
  const river = model.model.river!.Stretch as Record<string, unknown>;
  delete river.flow_schedule;
  river.up_head_flow_curve = [{ ref: 0, x: [500, 510], y: [0, 20] }];
  return model;
}

/** The river model with binaries (mip_flag): the flow stops when the level reaches upstream_elevation. */
function levelDrivenMip(): ShopModelJson {
  const model = levelDriven();
  const river = model.model.river!.Stretch as Record<string, unknown>;
  river.upstream_elevation = 505.5;
  // A constant series in the stored form: the lower reservoir's inflow, set to 1.
  const flag = structuredClone(model.model.reservoir!.Lower.inflow) as { values: number[][] };
  flag.values = flag.values.map((row) => row.map(() => 1));
  river.mip_flag = flag;
  return model;
}

/** The river model through a cross-section (width_depth_curve) with an optimised gate (gate_opening_curve). */
function widthDepthGate(): ShopModelJson {
  const model = fixture('river_delay.yaml');
  const river = model.model.river!.Stretch as Record<string, unknown>;
  delete river.flow_schedule;
  river.upstream_elevation = 504;
  river.width_depth_curve = { ref: 0, x: [0, 2], y: [1, 3] };
  river.gate_opening_curve = { ref: 0, x: [0, 1], y: [0, 1.5] };
  return model;
}

describe('river flow functions', () => {
  it('up_head_flow_curve: the flow is f(step-average level), 0 below upstream_elevation', async () => {
    const model = levelDriven();
    const { outcome } = await run(new HighsProvider(), model, ['set code /full', 'start sim 3']);
    const flow = series(outcome.outputs, 'Stretch', 'flow');
    const physical = series(outcome.outputs, 'Stretch', 'physical_flow');
    flow.forEach((q, t) => expect(q).toBeCloseTo(physical[t], 6));
    // Level 506 m at the start: about 12 m3/s, falling as the reservoir empties.
    expect(flow[0]).toBeGreaterThan(11);
    expect(flow[0]).toBeLessThan(12);
    expect(flow[7]).toBeLessThan(flow[0]);
    // Above the lowest level the flow stops: with upstream_elevation above the start level, nothing flows.
    (model.model.river!.Stretch as Record<string, unknown>).upstream_elevation = 507;
    const closed = await run(new HighsProvider(), model, ['set code /full', 'start sim 2']);
    for (const q of series(closed.outcome.outputs, 'Stretch', 'flow')) expect(q).toBeCloseTo(0, 9);
  });

  it('names river attributes it does not model, and no longer the river type', async () => {
    const model = fixture('river_delay.yaml');
    (model.model.river!.Stretch as Record<string, unknown>).flow_block_merge_tolerance = 5;
    const { log } = await run(new HighsProvider(), model, ['start sim 1']);
    expect(log.some((line) => /does not model river/.test(line))).toBe(false);
    expect(log).toContain("river attributes flow_block_merge_tolerance: not used by Tarn's optimization yet");
  });
});

describeWithCbc('HiGHS and CBC agree on rivers, delays and overflow', (highs, coin) => {
  const cases: Array<[string, () => ShopModelJson, string[]]> = [
    ['constant delay', () => fixture('river_delay.yaml'), ['set code /full', 'start sim 3']],
    ['wave delay and past flow', () => fixture('river_wave.yaml'), ['set code /full', 'start sim 3']],
    ['level-driven river', levelDriven, ['set code /full', 'start sim 3']],
    ['overflow', () => fixture('overflow.yaml'), ['set code /full', 'start sim 3']],
    ['gate flow functions', () => fixture('gate_functions.yaml'), ['set code /full', 'start sim 3']],
    ['rivers in series with past flow', () => fixture('river_series.yaml'), ['set code /full', 'start sim 3']],
    ['river with mip_flag', levelDrivenMip, ['set code /full', 'start sim 3']],
    ['width-depth river with a gate', widthDepthGate, ['set code /full', 'start sim 3']],
    ['river gate moving at a cost', () => fixture('river_gate.yaml'), ['set code /full', 'start sim 3']],
    ['gate with a soft min_flow', softGate, ['set code /full', 'start sim 3']],
    ['overflow with binaries', () => fixture('overflow.yaml'), ['set universal_overflow_mip /on', 'start sim 2']],
  ];
  it.each(cases)('%s: the same objective', async (_, model, commands) => {
    const [a, b] = [await run(highs, model(), commands), await run(coin, model(), commands)];
    const [x, y] = [a.outcome.objective!.grand_total, b.outcome.objective!.grand_total];
    expect(Math.abs(x - y)).toBeLessThan(1e-4 * Math.max(1, Math.abs(x)));
  });
});
