import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { interpretCommands } from '../../shop/command-interpreter.js';
import { parseCommand } from '../../shop/shop-document.js';
import type { ShopModelJson, Txy, Xyt } from '../../shop/shop-json.js';
import { Problems } from '../../shop/shop-values.js';
import { yamlToShopJson } from '../../shop/shop-yaml.js';
import { HydroModelError, hydroSystem } from '../problem/hydro-system.js';
import { HighsProvider } from '../providers/highs.provider.js';
import { optimize } from './hydro-optimizer.js';

// Pumps in the optimization (modelling-2.md §1), on basic_pump.yaml and variants of it.
const TEXT = readFileSync(new URL('../../../test/fixtures/basic_pump.yaml', import.meta.url), 'utf8');
const model = (text = TEXT) => yamlToShopJson(text) as ShopModelJson & { commands: string[] };
const withPumpAttributes = (lines: string) => TEXT.replace('    P1P1:\n', `    P1P1:\n${lines}`);

const highs = new HighsProvider();

async function solve(shop: ShopModelJson, commands: string[]) {
  const problems = new Problems();
  const { runs } = interpretCommands(commands.map((line, i) => parseCommand(line, `commands[${i}]`, problems)!));
  const log: string[] = [];
  const outcome = await optimize(
    shop,
    runs,
    (lp, options) => highs.solve(lp, options),
    (level, message) => log.push(`${level} ${message}`),
  );
  const output = (type: string, name: string, attribute: string) =>
    outcome.outputs.find((o) => o.objectType === type && o.objectName === name && o.attribute === attribute)?.value;
  const values = (type: string, name: string, attribute: string) => (output(type, name, attribute) as Txy).values[0];
  return { outcome, log, output, values };
}

describe('pumps in HydroSystem', () => {
  it('reads a pump with its plant (either direction of the connection) and the pump settings', () => {
    const system = hydroSystem(model());
    const [pump] = system.plants[0].pumps!;
    expect(pump).toMatchObject({ name: 'P1P1', penstock: 1, pMin: 40, pMax: 40, pNom: 40 });
    expect(pump.turbEff.map((c) => c.ref)).toEqual([40, 50, 60]);
    expect(pump.startcost).toEqual(Array(24).fill(500));
    expect(pump.committedIn).toEqual(Array(24).fill(undefined));
    expect(system.globalSettings).toMatchObject({
      pumpTurnOffLimit: 0.5,
      pumpHeadOptimization: false,
      pumpSchedulePenaltyFlag: true,
      pumpSchedPenaltyCostUp: 1_000_000,
      pumpSchedPenaltyCostDown: 1_000_000,
    });
    const reversed = model(TEXT.replace('  - from: P1P1\n    to: Plant1\n', '  - from: Plant1\n    to: P1P1\n'));
    expect(hydroSystem(reversed).plants[0].pumps!.map((p) => p.name)).toEqual(['P1P1']);
  });

  it('reads initial_state as generators do: 0 and 1 are states, SHOP’s -1 is unknown', () => {
    const state = (value: number) =>
      hydroSystem(model(withPumpAttributes(`      initial_state: ${value}\n`))).plants[0].pumps![0].initialState;
    expect([state(0), state(1), state(-1)]).toEqual([0, 1, undefined]);
  });

  it('rejects a pump in a plant without a downstream reservoir, naming the pump', () => {
    const toSea = model(TEXT.replace('  - from: Plant1\n    to: Reservoir2\n', ''));
    expect(() => hydroSystem(toSea)).toThrow(HydroModelError);
    expect(() => hydroSystem(toSea)).toThrow(/^model\.pump\.P1P1: .*no downstream reservoir/);
  });
});

describe('pumps in the optimization', () => {
  it('no longer warns that pumps are not modelled', async () => {
    const { log } = await solve(model(), ['start sim 1']);
    expect(log.filter((line) => /pump/.test(line) && line.startsWith('WARNING'))).toEqual([]);
  });

  it('maintenance_flag keeps the pump off', async () => {
    const { values } = await solve(
      model(withPumpAttributes('      maintenance_flag:\n        2018-02-27 00:00:00: 1\n')),
      ['start sim 2'],
    );
    expect(values('pump', 'P1P1', 'upflow').every((q) => q === 0)).toBe(true);
  });

  it('upstream_max: no pumping in a step that starts with the upper level above it', async () => {
    const shop = model(withPumpAttributes('      upstream_max:\n        2018-02-27 00:00:00: 92.5\n'));
    const { values } = await solve(shop, shop.commands);
    const upper = values('reservoir', 'Reservoir1', 'head');
    const upflow = values('pump', 'P1P1', 'upflow');
    expect(upflow.some((q) => q > 0)).toBe(true);
    upflow.forEach((q, t) => q > 0 && expect(upper[t]).toBeLessThanOrEqual(92.5 + 1e-9));
    expect(upper.some((level) => level > 92.5)).toBe(true);
  });

  it('an upflow schedule with its penalty: followed, deviations reported and costed', async () => {
    const text = withPumpAttributes(
      '      upflow_schedule:\n        2018-02-27 00:00:00: 0\n        2018-02-27 03:00:00: -1\n',
    );
    const { values, outcome } = await solve(model(text), ['start sim 2']);
    // Hours 0-2 scheduled at 0 (followed); from hour 3 a schedule of -1 m3/s cannot be met: a deviation.
    const upflow = values('pump', 'P1P1', 'solver_upflow');
    expect(upflow.slice(0, 3)).toEqual([0, 0, 0]);
    const penalty = values('pump', 'P1P1', 'upflow_schedule_penalty');
    expect(penalty[5]).toBeCloseTo(0.0036 * (upflow[5] + 1), 9);
    expect(outcome.objective!.pump_schedule_penalty).toBeGreaterThan(0);
    expect(outcome.objective!.minor_penalties).toBeCloseTo(outcome.objective!.pump_schedule_penalty!, 6);
  });

  it('an impossible hard schedule names the pump rows in the conflict', async () => {
    const text = withPumpAttributes(
      '      committed_in:\n        2018-02-27 00:00:00: 1\n' +
        '      upflow_schedule:\n        2018-02-27 00:00:00: 0\n',
    ).replace('model:\n', 'model:\n  global_settings:\n    global_settings:\n      pump_schedule_penalty_flag: 0\n');
    const { outcome } = await solve(model(text), ['start sim 1']);
    expect(outcome.status).toBe('infeasible');
    const texts = outcome.conflict!.items.map((item) => item.text);
    expect(texts.some((line) => line.startsWith('pump P1P1: upflow schedule (upflow_schedule) at'))).toBe(true);
    expect(texts.some((line) => line.startsWith('pump P1P1: on/off state at'))).toBe(true);
  });

  it('a variable-speed pump runs within its curve and consumption limits; its PQ curves are reported', async () => {
    const curves =
      '      turb_eff_curves:\n' +
      '        - ref: 40\n          x: [50, 70, 90]\n          y: [80, 87, 84]\n' +
      '        - ref: 60\n          x: [40, 55, 70]\n          y: [78, 85, 82]\n';
    const text = TEXT.replace(
      / {6}turb_eff_curves:\n {8}- ref: 40\n {10}x:\n {12}- 80\n[\s\S]*? {12}- 85\n/,
      curves,
    ).replace('      p_min: 40\n      p_max: 40\n', '      p_min: 20\n      p_max: 60\n');
    const shop = model(text);
    expect((shop.model.pump.P1P1.turb_eff_curves as unknown[]).length).toBe(2);
    const { values, output } = await solve(shop, shop.commands);
    const upflow = values('pump', 'P1P1', 'upflow');
    const consumption = values('pump', 'P1P1', 'solver_consumption');
    expect(upflow.some((q) => q > 0)).toBe(true);
    upflow.forEach((q, t) => {
      if (q <= 0) return;
      expect(consumption[t]).toBeGreaterThanOrEqual(20 - 1e-6);
      expect(consumption[t]).toBeLessThanOrEqual(60 + 1e-6);
    });
    const convex = output('pump', 'P1P1', 'convex_pq_curves') as Xyt[];
    expect(convex).toHaveLength(24);
    const slopes = convex[0].x.slice(1).map((x, k) => (convex[0].y[k + 1] - convex[0].y[k]) / (x - convex[0].x[k]));
    slopes.forEach((s, k) => k > 0 && expect(s).toBeGreaterThanOrEqual(slopes[k - 1] - 1e-9));
    const final = output('pump', 'P1P1', 'final_pq_curves') as Xyt[];
    expect([final[0].x[0], final[0].y[0]]).toEqual([0, 0]);
  });

  it('set pump_head_optimization /on: pumps join head optimization and the answer stays consistent', async () => {
    const shop = model();
    const { values } = await solve(shop, ['set pump_head_optimization /on', ...shop.commands]);
    const consumption = values('pump', 'P1P1', 'consumption');
    const solver = values('pump', 'P1P1', 'solver_consumption');
    consumption.forEach((c, t) => expect(Math.abs(c - solver[t])).toBeLessThanOrEqual(0.01 * 40));
  });
});
