import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { atSteps, fixture as yaml, interpolate as interpolateIn, uploadYaml } from './support/shop-models.js';

/**
 * The reference models, uploaded as SHOP YAML with their own commands, checked from what
 * GET /model returns: the water balance recomputed from the returned attributes and the
 * connections, every bound, and production against solver_production.
 */
const HOUR = 3_600_000;

describe.each([
  ['basic_model.yaml', 8],
  ['basic_pump.yaml', 6],
])('%s with its commands, checked from GET /model', (fixture, iterations) => {
  let t: TestApp;
  let token: string;
  let log: Json[];
  let model: Json;
  let connections: Json[];
  let starts: number[];

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token();
    const uploaded = await uploadYaml(t, token, [yaml(fixture)]);
    const body = uploaded.body;
    log = uploaded.log;
    model = body.model;
    connections = body.connections;
    const first = Date.parse(body.time.start_time);
    const steps = (Date.parse(body.time.end_time) - first) / HOUR;
    starts = Array.from({ length: steps }, (_, i) => first + i * HOUR);
  });
  afterAll(() => t.close());

  const from = (type: string, name: string, toType: string) =>
    connections.filter((c) => c.from_type === type && c.from === name && c.to_type === toType).map((c) => c.to);
  const into = (type: string, name: string, fromType: string) =>
    connections.filter((c) => c.to_type === type && c.to === name && c.from_type === fromType).map((c) => c.from);

  it(`solved ${iterations} iterations and returns the objective breakdown`, async () => {
    const objective = model.objective.average_objective;
    expect(objective.solver_status).toBe('optimal');
    for (const key of ['grand_total', 'total', 'market_sale_buy', 'startup_costs', 'rsv_end_value']) {
      expect(typeof objective[key]).toBe('number');
    }
    expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 6);
    expect(log.filter((m) => /^Iteration \d+ /.test(m.message))).toHaveLength(iterations);
  });

  it('keeps every reservoir’s water balance to 1e-6 Mm3, recomputed from the returned attributes', () => {
    for (const [name, reservoir] of Object.entries(model.reservoir as Json)) {
      const storage: number[] = reservoir.storage.values[0];
      expect(storage).toHaveLength(starts.length + 1);
      const net = atSteps(reservoir.inflow, starts);
      const flow = (type: string, object: string) => atSteps(model[type][object].discharge, starts);
      const delay = (type: string, object: string) => (model[type][object].time_delay as number | undefined) ?? 0;
      for (const plant of from('reservoir', name, 'plant')) flow('plant', plant).forEach((q, i) => (net[i] -= q));
      for (const gate of from('reservoir', name, 'gate')) flow('gate', gate).forEach((q, i) => (net[i] -= q));
      for (const type of ['plant', 'gate']) {
        for (const object of into('reservoir', name, type)) {
          const q = flow(type, object);
          q.forEach((_, i) => (net[i] += i >= delay(type, object) ? q[i - delay(type, object)] : 0));
        }
      }
      // Pumped water moves up in the same step: into the plant's feeding reservoir, out of the one below.
      const upflow = (plant: string) => atSteps(model.plant[plant].upflow, starts);
      for (const plant of from('reservoir', name, 'plant')) upflow(plant).forEach((q, i) => (net[i] += q));
      for (const plant of into('reservoir', name, 'plant')) upflow(plant).forEach((q, i) => (net[i] -= q));
      net.forEach((inflow, i) => expect(storage[i + 1] - storage[i] - 0.0036 * inflow).toBeCloseTo(0, 6));
    }
  });

  it('holds every bound: storage 0..max_vol, discharge and production non-negative, sale and buy within limits', () => {
    for (const reservoir of Object.values(model.reservoir as Json)) {
      for (const v of reservoir.storage.values[0]) {
        expect(v).toBeGreaterThanOrEqual(-1e-9);
        expect(v).toBeLessThanOrEqual(reservoir.max_vol + 1e-9);
      }
    }
    for (const generator of Object.values(model.generator as Json)) {
      for (const p of generator.solver_production.values[0]) expect(p).toBeLessThanOrEqual(generator.p_max + 1e-6);
      for (const q of generator.discharge.values[0]) expect(q).toBeGreaterThanOrEqual(0);
    }
    for (const market of Object.values(model.market as Json)) {
      const maxSale = atSteps(market.max_sale, starts);
      const maxBuy = atSteps(market.max_buy, starts);
      market.sale.values[0].forEach((s: number, i: number) => expect(s).toBeLessThanOrEqual(maxSale[i] + 1e-6));
      market.buy.values[0].forEach((b: number, i: number) => expect(b).toBeLessThanOrEqual(maxBuy[i] + 1e-6));
    }
  });

  it('reports production within 1 % of p_max of solver_production, per generator and step', () => {
    for (const [name, generator] of Object.entries(model.generator as Json)) {
      const production: number[] = generator.production.values[0];
      const solver: number[] = generator.solver_production.values[0];
      const worst = Math.max(...production.map((p, i) => Math.abs(p - solver[i])));
      expect({ name, within: worst <= 0.01 * generator.p_max }).toEqual({ name, within: true });
    }
  });

  it('reports end_value cost-signed as SHOP does, and change_in_end_value, adding up to the objective', () => {
    const objective = model.objective.average_objective;
    let endValue = 0;
    let change = 0;
    for (const reservoir of Object.values(model.reservoir as Json)) {
      const storage: number[] = reservoir.storage.values[0];
      const value: number = reservoir.calc_global_water_value;
      const series: number[] = reservoir.end_value.values[0];
      const changes: number[] = reservoir.change_in_end_value.values[0];
      storage.forEach((v, i) => {
        expect(series[i]).toBeCloseTo(-value * v, 6);
        expect(changes[i]).toBeCloseTo(value * (storage[0] - v), 6);
      });
      endValue += series[series.length - 1];
      change += changes[changes.length - 1];
    }
    expect(endValue).toBeLessThan(0);
    expect(objective.rsv_end_value).toBeCloseTo(endValue, 4);
    expect(objective.rsv_end_value_relative).toBeCloseTo(change, 4);
  });
});

/**
 * Pump efficiency (%) at upflow q and lift h from `turb_eff_curves`: each curve in q, then
 * linearly between the curves by lift, clamped (modelling-2.md §1).
 */
const interpolate = (x: number[], y: number[], at: number) => interpolateIn(x, y, at, 'clamp');

function pumpEfficiency(curves: Json[], q: number, h: number): number {
  const sorted = [...curves].sort((a, b) => a.ref - b.ref);
  const at = sorted.map((c) => interpolate(c.x, c.y, q));
  return interpolate(
    sorted.map((c) => c.ref),
    at,
    h,
  );
}

describe('basic_pump.yaml: the pump, checked from GET /model (modelling-2.md §1)', () => {
  let t: TestApp;
  let token: string;

  /** Uploads a YAML model with its commands in a new session and answers GET /model. */
  const solved = async (text: string): Promise<Json> => (await uploadYaml(t, token, [text])).body;

  let body: Json;
  let steps: number;
  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token();
    body = await solved(yaml('basic_pump.yaml'));
    steps = (Date.parse(body.time.end_time) - Date.parse(body.time.start_time)) / HOUR;
  });
  afterAll(() => t.close());

  const series = (value: Json | undefined) => atSteps(value, starts());
  const starts = () => Array.from({ length: steps }, (_, i) => Date.parse(body.time.start_time) + i * HOUR);
  const pumping = (pump: Json) => (pump.upflow.values[0] as number[]).map((q) => q > 1e-6);

  it('pumps exactly in the hours of the low price', () => {
    const pump = body.model.pump.P1P1;
    const price = series(body.model.market.Day_Ahead.buy_price);
    const low = price.map((p) => p < Math.max(...price));
    expect(pumping(pump)).toEqual(low);
    expect(low.filter(Boolean).length).toBeGreaterThan(0);
    expect(pump.committed_out.values[0]).toEqual(low.map((on) => (on ? 1 : 0)));
  });

  it('consumes 9.81e-3·upflow·eff_head/(η_p·η_m), η_p from the curves at eff_head (within 1 % of p_max)', () => {
    for (const pump of Object.values(body.model.pump as Json)) {
      const upflow: number[] = pump.upflow.values[0];
      const effHead: number[] = pump.eff_head.values[0];
      const consumption: number[] = pump.consumption.values[0];
      const solver: number[] = pump.solver_consumption.values[0];
      upflow.forEach((q, i) => {
        if (q <= 1e-6) return expect(consumption[i]).toBe(0);
        const etaP = pumpEfficiency(pump.turb_eff_curves, q, effHead[i]);
        const etaM = pump.gen_eff_curve ? interpolate(pump.gen_eff_curve.x, pump.gen_eff_curve.y, consumption[i]) : 100;
        const expected = (9.81e-3 * q * effHead[i]) / ((etaP / 100) * (etaM / 100));
        expect(Math.abs(consumption[i] - expected)).toBeLessThanOrEqual(1e-6 * expected);
        expect(Math.abs(consumption[i] - solver[i])).toBeLessThanOrEqual(0.01 * pump.p_max);
      });
      // A binary pump has one operating point per lift: its consumption range is that point.
      const [maxCons, minCons]: number[][] = [pump.max_cons.values[0], pump.min_cons.values[0]];
      solver.forEach((c, i) => {
        if (c <= 1e-6) return;
        expect(maxCons[i]).toBeCloseTo(c, 6);
        expect(minCons[i]).toBeCloseTo(c, 6);
      });
    }
  });

  it('lifts eff_head = gross head + head_loss, head_loss = the losses at the upflow ≥ 0, while pumping', () => {
    const plant = body.model.plant.Plant1;
    const pump = body.model.pump.P1P1;
    const up: number[] = body.model.reservoir.Reservoir1.head.values[0];
    const down: number[] = body.model.reservoir.Reservoir2.head.values[0];
    const intake = series(plant.intake_line);
    const loss = plant.main_loss[0] + plant.penstock_loss[pump.penstock - 1];
    pumping(pump).forEach((on, i) => {
      if (!on) return;
      const q = pump.upflow.values[0][i];
      const gross = Math.max(up[i], plant.intake_line ? intake[i] : -Infinity) - Math.max(plant.outlet_line, down[i]);
      const headLoss = pump.head_loss.values[0][i];
      expect(headLoss).toBeGreaterThanOrEqual(0);
      expect(pump.eff_head.values[0][i] - gross).toBeCloseTo(headLoss, 9);
      expect(headLoss).toBeCloseTo(loss * q * q, 9);
    });
  });

  it('never produces and pumps in one plant and step', () => {
    const production: number[] = body.model.plant.Plant1.production.values[0];
    const upflow: number[] = body.model.plant.Plant1.upflow.values[0];
    production.forEach((p, i) => expect(p > 1e-6 && upflow[i] > 1e-6).toBe(false));
  });

  it('balances the market with solver_consumption: Σ production − Σ consumption + buy − sale = load', () => {
    const market = body.model.market.Day_Ahead;
    const load = series(market.load);
    const net = starts().map(() => 0);
    for (const generator of Object.values(body.model.generator as Json)) {
      (generator.solver_production.values[0] as number[]).forEach((p, i) => (net[i] += p));
    }
    for (const pump of Object.values(body.model.pump as Json)) {
      (pump.solver_consumption.values[0] as number[]).forEach((c, i) => (net[i] -= c));
    }
    net.forEach((value, i) => {
      const balance = value + market.buy.values[0][i] - market.sale.values[0][i];
      expect(balance).toBeCloseTo(load[i], 6);
    });
  });

  it('counts pump starts in startup_costs (with initial_state 0 the first step is a start)', async () => {
    const off = await solved(yaml('basic_pump.yaml').replace('    P1P1:\n', '    P1P1:\n      initial_state: 0\n'));
    expect(off.model.pump.P1P1.initial_state).toBe(0);
    const counted = (model: Json) => {
      let costs = 0;
      for (const type of ['generator', 'pump']) {
        for (const unit of Object.values((model[type] ?? {}) as Json)) {
          const committed: number[] = unit.committed_out.values[0];
          const startcost = series(unit.startcost);
          committed.forEach((on, i) => {
            const before = i === 0 ? unit.initial_state : committed[i - 1];
            if (on === 1 && before === 0) costs += startcost[i];
          });
        }
      }
      return costs;
    };
    for (const model of [body.model, off.model]) {
      expect(model.objective.average_objective.startup_costs).toBeCloseTo(counted(model), 6);
    }
    expect(counted(off.model)).toBeGreaterThanOrEqual(off.model.pump.P1P1.startcost.values[0][0]);
  });
});
