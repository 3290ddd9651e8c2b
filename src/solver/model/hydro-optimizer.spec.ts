import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { attributeInfo } from '../../shop/catalog.js';
import { parseCommand } from '../../shop/shop-document.js';
import type { OutputAttribute, ShopModelJson, Txy } from '../../shop/shop-json.js';
import { Problems } from '../../shop/shop-values.js';
import { interpretCommands } from '../../shop/command-interpreter.js';
import { HighsProvider } from '../providers/highs.provider.js';
import { optimize } from './hydro-optimizer.js';
import { MM3_PER_M3S_HOUR } from '../problem/iteration-problem.js';

const BASIC: ShopModelJson & { commands: unknown[] } = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'),
);

function runsOf(lines: unknown[]) {
  const problems = new Problems();
  const commands = lines.map((line, i) => parseCommand(line, `commands[${i}]`, problems)!);
  return interpretCommands(commands).runs;
}

const series = (outputs: OutputAttribute[], type: string, name: string, attribute: string) =>
  (outputs.find((o) => o.objectType === type && o.objectName === name && o.attribute === attribute)!.value as Txy)
    .values[0];

describe('optimize, on the basic model with its commands (5 full, 3 incremental iterations)', () => {
  const provider = new HighsProvider();
  const log: string[] = [];
  const outcome = optimize(
    BASIC,
    runsOf(BASIC.commands),
    (lp, options) => provider.solve(lp, options),
    (level, message) => log.push(`${level} ${message}`),
  );

  it('solves every iteration and logs each', async () => {
    const { status, iterations } = await outcome;
    expect(status).toBe('optimal');
    expect(iterations).toBe(8);
    expect(log.filter((line) => line.startsWith('INFO Iteration'))).toHaveLength(8);
  });

  it('keeps the water balance of every reservoir and step to 1e-6 Mm3', async () => {
    const { outputs } = await outcome;
    const storage1 = series(outputs, 'reservoir', 'Reservoir1', 'storage');
    const storage2 = series(outputs, 'reservoir', 'Reservoir2', 'storage');
    const plant1 = series(outputs, 'plant', 'Plant1', 'discharge');
    const plant2 = series(outputs, 'plant', 'Plant2', 'discharge');
    const gate = (name: string) => series(outputs, 'gate', name, 'discharge');
    expect(storage1).toHaveLength(73);
    for (let t = 0; t < 72; t++) {
      const out1 = plant1[t] + gate('s_Reservoir1_Reservoir2')[t] + gate('b_Reservoir1_Reservoir2')[t];
      expect(storage1[t + 1] - storage1[t] + MM3_PER_M3S_HOUR * out1).toBeCloseTo(0, 6);
      const in2 = 60 + out1;
      const out2 = plant2[t] + gate('s_Reservoir2_Ocean')[t] + gate('b_Reservoir2_Ocean')[t];
      expect(storage2[t + 1] - storage2[t] - MM3_PER_M3S_HOUR * (in2 - out2)).toBeCloseTo(0, 6);
    }
  });

  it('keeps every bound: storage 0..max_vol, sale and buy 0..their limits, solver production up to p_max', async () => {
    const { outputs } = await outcome;
    const model = BASIC.model as Record<string, Record<string, Record<string, unknown>>>;
    for (const [name, reservoir] of Object.entries(model.reservoir)) {
      for (const v of series(outputs, 'reservoir', name, 'storage')) {
        expect(v).toBeGreaterThanOrEqual(-1e-9);
        expect(v).toBeLessThanOrEqual((reservoir.max_vol as number) + 1e-9);
      }
    }
    for (const [name, generator] of Object.entries(model.generator)) {
      for (const p of series(outputs, 'generator', name, 'solver_production')) {
        expect(p).toBeGreaterThanOrEqual(-1e-9);
        expect(p).toBeLessThanOrEqual((generator.p_max as number) + 1e-6);
      }
    }
    const market = model.market.Day_ahead as Record<string, Txy>;
    const limit = (attribute: string, t: number) => {
      const { timestamps = [], values } = market[attribute];
      const at = Date.parse(BASIC.time!.start_time) + t * 3_600_000;
      let i = 0;
      while (i + 1 < timestamps.length && Date.parse(timestamps[i + 1]) <= at) i++;
      return values[0][i];
    };
    series(outputs, 'market', 'Day_ahead', 'sale').forEach((sale, t) => {
      expect(sale).toBeGreaterThanOrEqual(-1e-9);
      expect(sale).toBeLessThanOrEqual(limit('max_sale', t) + 1e-6);
    });
    series(outputs, 'market', 'Day_ahead', 'buy').forEach((buy, t) => {
      expect(buy).toBeGreaterThanOrEqual(-1e-9);
      expect(buy).toBeLessThanOrEqual(limit('max_buy', t) + 1e-6);
    });
  });

  it('reports production within 1 % of p_max of the linear model after the incremental iterations', async () => {
    const { outputs } = await outcome;
    for (const [name, generator] of Object.entries(BASIC.model.generator as Record<string, { p_max: number }>)) {
      const production = series(outputs, 'generator', name, 'production');
      const solver = series(outputs, 'generator', name, 'solver_production');
      const worst = Math.max(...production.map((p, t) => Math.abs(p - solver[t])));
      expect({ name, worst: worst <= 0.01 * generator.p_max }).toEqual({ name, worst: true });
    }
  });

  it('writes only attributes the catalog lists as outputs (so the information endpoints show them)', async () => {
    const { outputs } = await outcome;
    const written = [...new Set(outputs.map((o) => `${o.objectType}.${o.attribute}`))];
    expect(written.length).toBeGreaterThan(30);
    expect(written.filter((key) => !attributeInfo(key.split('.')[0], key.split('.')[1])?.isOutput)).toEqual([]);
  });

  it('breaks the objective down with SHOP names', async () => {
    const { objective, outputs } = await outcome;
    expect(objective!.grand_total).toBeCloseTo(objective!.total + objective!.rsv_end_value, 6);
    expect(objective!.market_sale_buy).toBeLessThan(0);
    expect(
      outputs.find((o) => o.objectType === 'reservoir' && o.attribute === 'energy_conversion_factor')!.value,
    ).toBeCloseTo(583.0006, 3);
  });
});

describe('optimize, SHOP options on the basic model', () => {
  const provider = new HighsProvider();
  const run = (model: ShopModelJson, commands: unknown[]) =>
    optimize(
      model,
      runsOf(commands),
      (lp, options) => provider.solve(lp, options),
      () => undefined,
    );
  const withReservoir1 = (attributes: Record<string, unknown>): ShopModelJson => {
    const model = structuredClone(BASIC) as ShopModelJson & { model: Record<string, Record<string, object>> };
    Object.assign(model.model.reservoir.Reservoir1, attributes);
    return model;
  };
  const constant = (value: number) => ({ timestamps: ['2018-01-23T00:00:00Z'], values: [[value]] });

  it('head optimization (from the third full iteration on) finds a better schedule than re-linearising alone', async () => {
    const on = await run(BASIC, BASIC.commands);
    const off = await run(BASIC, ['set code /head /off', ...BASIC.commands]);
    expect(on.objective!.grand_total).toBeLessThan(
      off.objective!.grand_total - 0.001 * Math.abs(off.objective!.grand_total),
    );
  });

  it('a reachable min_vol_constr holds at every step, without a penalty', async () => {
    const { outputs, objective } = await run(withReservoir1({ min_vol_constr: constant(30) }), BASIC.commands);
    const storage = series(outputs, 'reservoir', 'Reservoir1', 'storage');
    expect(Math.min(...storage.slice(1))).toBeGreaterThanOrEqual(30 - 1e-6);
    expect(objective!.rsv_penalty).toBeCloseTo(0, 6);
  });

  it('an unreachable min_vol_constr (39.5 Mm3, above max_vol 39) costs rsv_penalty_cost per Mm3 short', async () => {
    const { outputs, objective } = await run(withReservoir1({ min_vol_constr: constant(39.5) }), ['start sim 2']);
    // Storage cannot get above max_vol: every step is at least 0.5 Mm3 short.
    const penalty = series(outputs, 'reservoir', 'Reservoir1', 'penalty');
    const storage = series(outputs, 'reservoir', 'Reservoir1', 'storage');
    penalty.forEach((short, t) => expect(short).toBeCloseTo(39.5 - storage[t + 1], 6));
    expect(objective!.rsv_penalty).toBeCloseTo(penalty.reduce((sum, v) => sum + v, 0) * 10_000_000, 0);
    expect(objective!.sum_penalties).toBeGreaterThanOrEqual(objective!.rsv_penalty);
  });

  it('plant time_delay in minutes (set time_delay_unit MINUTE): Plant1 water reaches Reservoir2 two hours later', async () => {
    const model = structuredClone(BASIC) as ShopModelJson & { model: Record<string, Record<string, object>> };
    Object.assign(model.model.plant.Plant1, { time_delay: 120 });
    const { outputs } = await run(model, ['set time_delay_unit MINUTE', ...BASIC.commands]);
    const storage2 = series(outputs, 'reservoir', 'Reservoir2', 'storage');
    const plant1 = series(outputs, 'plant', 'Plant1', 'discharge');
    const plant2 = series(outputs, 'plant', 'Plant2', 'discharge');
    const gate = (name: string) => series(outputs, 'gate', name, 'discharge');
    for (let t = 0; t < 72; t++) {
      const arriving =
        (t >= 2 ? plant1[t - 2] : 0) + gate('s_Reservoir1_Reservoir2')[t] + gate('b_Reservoir1_Reservoir2')[t];
      const leaving = plant2[t] + gate('s_Reservoir2_Ocean')[t] + gate('b_Reservoir2_Ocean')[t];
      expect(storage2[t + 1] - storage2[t] - MM3_PER_M3S_HOUR * (60 + arriving - leaving)).toBeCloseTo(0, 6);
    }
  });

  it('names what it leaves out in WARNINGs: object types and attributes it does not model', async () => {
    const model = structuredClone(BASIC) as ShopModelJson & { model: Record<string, Record<string, object>> };
    model.model.thermal = { T1: { fuel_cost: 10 } };
    model.model.pump = { P1: { p_max: 10 } };
    Object.assign(model.model.plant.Plant1, { equal_distribution: 1 });
    const warnings: string[] = [];
    await optimize(
      model,
      runsOf(['start sim 1']),
      (lp, options) => provider.solve(lp, options),
      (level, message) => level === 'WARNING' && warnings.push(message),
    );
    expect(warnings).toEqual([
      "plant attributes equal_distribution: not used by Tarn's optimization yet",
      'thermal T1: Tarn does not model thermal objects yet; left out of the optimization',
      'pump P1: connected to no plant; left out of the optimization',
    ]);
  });

  it('with `penalty flag /off /reservoir` the same limit is hard: infeasible', async () => {
    const outcome = await run(withReservoir1({ min_vol_constr: constant(39.5) }), [
      'penalty flag /off /reservoir',
      'start sim 1',
    ]);
    expect(outcome.status).toBe('infeasible');
    expect(outcome.outputs).toEqual([]);
  });
});
