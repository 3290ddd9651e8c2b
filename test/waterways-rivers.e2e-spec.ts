import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { fixture as yaml, interpolate as interpolateIn, uploadYaml } from './support/shop-models.js';

/**
 * Rivers, delays and overflow (modelling-2.md §3), checked from what GET /model returns: fixtures
 * written by hand (reservoir → river → reservoir with a constant or a wave-shaped delay; a
 * reservoir overflowing through its spill gate), every invariant recomputed here from the
 * returned inputs and outputs, with the delay rules written out independently of the solver.
 */
const MM3 = 0.0036; // Mm3 per m3/s and hour

interface Solved {
  model: Json;
  connections: Json[];
  /** step windows in hours from the start */
  steps: Array<{ a: number; b: number }>;
}

let t: TestApp;
let token: string;

async function solve(fixture: string): Promise<Solved> {
  const { body } = await uploadYaml(t, token, [yaml(fixture)]);
  const start = Date.parse(body.time.start_time);
  const end = Date.parse(body.time.end_time);
  // Every output series has one value per step: the step starts are its timestamps.
  const anyFlow = Object.values(body.model.river ?? body.model.gate)[0] as Json;
  const series = (anyFlow.upstream_flow ?? anyFlow.discharge) as Json;
  const starts = (series.timestamps as string[]).map((s) => (Date.parse(s) - start) / 3_600_000);
  const steps = starts.map((a, i) => ({ a, b: i + 1 < starts.length ? starts[i + 1] : (end - start) / 3_600_000 }));
  return { model: body.model, connections: body.connections, steps };
}

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token();
});
afterAll(() => t.close());

const values = (series: Json): number[] => series.values[0];
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
/** Mm3 of a flow series over the steps */
const volume = (flow: number[], steps: Solved['steps']) => sum(flow.map((q, i) => q * MM3 * (steps[i].b - steps[i].a)));
/** A constant series' value (the fixtures give inflow as one point; a txy comes back as timestamps/values). */
const constant = (series: Json | undefined): number => {
  if (series === undefined) return 0;
  if (typeof series === 'number') return series;
  if (Array.isArray(series.values)) return series.values[0][0];
  return Object.values(series)[0] as number;
};

const interpolate = (x: number[], y: number[], at: number) => interpolateIn(x, y, at, 'extrapolate');

describe('a river with a constant delay of 3.2 h (hourly steps)', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve('river_delay.yaml');
  });

  it('solved, with the river in the results', () => {
    expect(s.model.objective.average_objective.solver_status).toBe('optimal');
    expect(values(s.model.river.Stretch.upstream_flow)[0]).toBeCloseTo(10, 6);
  });

  it('splits the water 80/20 over the receiving steps (8 and 2 m3/s in steps 3 and 4)', () => {
    const river = s.model.river.Stretch;
    const tau = river.time_delay_const as number;
    const up = values(river.upstream_flow);
    const down = values(river.downstream_flow);
    expect(down[3]).toBeCloseTo(8, 6);
    expect(down[4]).toBeCloseTo(2, 6);
    // Every step, by the overlap rule written out here.
    s.steps.forEach((target, i) => {
      let expected = values(river.initial_downstream_flow)[i];
      s.steps.forEach((source, j) => {
        const overlap = Math.min(source.b + tau, target.b) - Math.max(source.a + tau, target.a);
        if (overlap > 0) expected += (up[j] * overlap) / (target.b - target.a);
      });
      expect(down[i]).toBeCloseTo(expected, 6);
    });
  });

  it('keeps the water balances: the upper reservoir releases the upstream flow, the lower receives the downstream flow', () => {
    const { model, steps } = s;
    const up = values(model.river.Stretch.upstream_flow);
    const down = values(model.river.Stretch.downstream_flow);
    const upper = values(model.reservoir.Upper.storage);
    const lower = values(model.reservoir.Lower.storage);
    const plant = values(model.plant.LowerPlant.discharge);
    const inflow = constant(model.reservoir.Lower.inflow);
    steps.forEach((step, i) => {
      const k = MM3 * (step.b - step.a);
      expect(upper[i + 1] - upper[i] + k * up[i]).toBeCloseTo(0, 6);
      expect(lower[i + 1] - lower[i] - k * (inflow + down[i] - plant[i])).toBeCloseTo(0, 6);
    });
    // The balance with the upstream flow instead would not close: the delay matters here.
    expect(Math.abs(up[0] - down[0])).toBeGreaterThan(1);
  });

  it('values the water still travelling at the end at the receiving reservoir’s water value (vow_in_transit)', () => {
    const { model, steps } = s;
    const river = model.river.Stretch;
    const tau = river.time_delay_const as number;
    const end = steps[steps.length - 1].b;
    const up = values(river.upstream_flow);
    // Water entering over [a, b) that leaves after the end: |[a+τ, b+τ) ∩ [end, ∞)| / (b − a).
    const transit = sum(
      steps.map(({ a, b }, j) => {
        const late = Math.max(0, b + tau - Math.max(a + tau, end)) / (b - a);
        return late * up[j] * MM3 * (b - a);
      }),
    );
    expect(transit).toBeGreaterThan(0.01);
    const objective = model.objective.average_objective;
    const waterValue = model.reservoir.Lower.calc_global_water_value as number;
    expect(waterValue).toBeGreaterThan(0);
    expect(objective.vow_in_transit).toBeCloseTo(-transit * waterValue, 4);
    expect(objective.total).toBeCloseTo(
      objective.market_sale_buy + objective.startup_costs + objective.sum_penalties + objective.vow_in_transit,
      4,
    );
    expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 4);
  });
});

describe('a river with a wave-shaped delay (15-minute steps) and past upstream flow', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve('river_wave.yaml');
  });

  /** The share of water entering at time z that has left by time z + u: the wave's distribution function. */
  const arrivedBy = (curve: Json, u: number) => {
    const x: number[] = curve.x;
    const y: number[] = curve.y;
    const total = sum(y.slice(0, -1));
    let share = 0;
    for (let k = 0; k + 1 < x.length; k++) {
      share += (y[k] / total) * Math.min(1, Math.max(0, (u - x[k]) / (x[k + 1] - x[k])));
    }
    return share;
  };
  /** ∫ over [a, b) of q·(arrivedBy(to − z) − arrivedBy(from − z)) dz, by a fine midpoint rule (Mm3). */
  const arriving = (curve: Json, a: number, b: number, q: number, from: number, to: number) => {
    const n = 4000;
    let share = 0;
    for (let i = 0; i < n; i++) {
      const z = a + ((i + 0.5) / n) * (b - a);
      share += (arrivedBy(curve, to - z) - arrivedBy(curve, from - z)) / n;
    }
    return share * q * MM3 * (b - a);
  };

  it('conserves water: downstream volume + transit volume = upstream volume + past contribution in the horizon', () => {
    const river = s.model.river.Stretch;
    const curve = (river.time_delay_curve as Json[])[0];
    const end = s.steps[s.steps.length - 1].b;
    const up = values(river.upstream_flow);
    const down = values(river.downstream_flow);
    const transit = sum(s.steps.map(({ a, b }, j) => arriving(curve, a, b, up[j], end, Infinity)));
    const past = river.past_upstream_flow as Json;
    const pastInHorizon = sum(
      (past.x as number[]).map((a: number, k: number) => {
        const b = k + 1 < past.x.length ? past.x[k + 1] : 0;
        return arriving(curve, a, b, past.y[k], 0, end);
      }),
    );
    expect(transit).toBeGreaterThan(0.01); // the last hour's release is still on its way
    expect(pastInHorizon).toBeGreaterThan(0.01);
    expect(volume(down, s.steps) + transit).toBeCloseTo(volume(up, s.steps) + pastInHorizon, 6);
    // The past contribution is the initial downstream flow.
    expect(volume(values(river.initial_downstream_flow), s.steps)).toBeCloseTo(pastInHorizon, 6);
  });

  it('delivers the first hour’s water between 2.5 h and 5 h after release, all of it', () => {
    const river = s.model.river.Stretch;
    const up = values(river.upstream_flow);
    const own = values(river.downstream_flow).map((q, i) => q - values(river.initial_downstream_flow)[i]);
    const firstHour = s.steps.map((step, i) => (step.b <= 1 ? up[i] : 0));
    expect(volume(firstHour, s.steps)).toBeCloseTo(0.036, 6); // 10 m3/s for one hour
    s.steps.forEach((step, i) => {
      if (step.b <= 2.5 || step.a >= 5) expect(Math.abs(own[i])).toBeLessThan(1e-6);
    });
    // Nothing else is released before 4 h, so what arrives up to 5 h is the first hour's water.
    const untilFive = own.map((q, i) => (s.steps[i].b <= 5 ? q : 0));
    expect(volume(untilFive, s.steps)).toBeCloseTo(volume(firstHour, s.steps), 6);
  });

  it('values the transit water at the end (vow_in_transit)', () => {
    const river = s.model.river.Stretch;
    const curve = (river.time_delay_curve as Json[])[0];
    const end = s.steps[s.steps.length - 1].b;
    const up = values(river.upstream_flow);
    const transit = sum(s.steps.map(({ a, b }, j) => arriving(curve, a, b, up[j], end, Infinity)));
    const waterValue = s.model.reservoir.Lower.calc_global_water_value as number;
    expect(s.model.objective.average_objective.vow_in_transit).toBeCloseTo(-transit * waterValue, 3);
  });
});

describe('a reservoir overflowing through its spill gate by flow_descr', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve('overflow.yaml');
  });

  it('spills at least flow_descr at the end-of-step level, and stays below the top of vol_head', () => {
    const top = s.model.reservoir.Top;
    const storage = values(top.storage);
    const spill = values(s.model.gate.s_Top_Bottom.discharge);
    const volHead = top.vol_head as Json;
    const flowDescr = top.flow_descr as Json;
    s.steps.forEach((_, i) => {
      const level = interpolate(volHead.x, volHead.y, storage[i + 1]);
      const forced = level <= flowDescr.x[0] ? 0 : interpolate(flowDescr.x, flowDescr.y, level);
      expect(spill[i]).toBeGreaterThanOrEqual(forced - 1e-6);
      expect(storage[i + 1]).toBeLessThanOrEqual(volHead.x[volHead.x.length - 1] + 1e-9);
    });
    // Above max_vol: the overflow regime is reached.
    expect(Math.max(...storage)).toBeGreaterThan(top.max_vol);
    expect(Math.max(...spill)).toBeGreaterThan(100);
  });

  it('keeps both balances with the overflow leaving through the gate into the reservoir below', () => {
    const { model, steps } = s;
    const spill = values(model.gate.s_Top_Bottom.discharge);
    const plant = values(model.plant.TopPlant.discharge);
    const top = values(model.reservoir.Top.storage);
    const bottom = values(model.reservoir.Bottom.storage);
    const inflow = constant(model.reservoir.Top.inflow);
    steps.forEach((step, i) => {
      const k = MM3 * (step.b - step.a);
      expect(top[i + 1] - top[i] - k * (inflow - plant[i] - spill[i])).toBeCloseTo(0, 6);
      expect(bottom[i + 1] - bottom[i] - k * (plant[i] + spill[i])).toBeCloseTo(0, 6);
    });
  });

  it('reports the overflow in the objective: gate_spill_cost split into physical and nonphysical spill', () => {
    const objective = s.model.objective.average_objective;
    const spilled = volume(values(s.model.gate.s_Top_Bottom.discharge), s.steps);
    expect(objective.gate_spill_cost).toBeGreaterThan(0);
    expect(objective.physical_spill_volume + objective.nonphysical_spill_volume).toBeCloseTo(spilled, 6);
    expect(objective.physical_spill_cost + objective.nonphysical_spill_cost).toBeCloseTo(objective.gate_spill_cost, 4);
    // About the overflow cost (50 000 per Mm3, less −1e−6 per hour since the start).
    expect(objective.gate_spill_cost / spilled).toBeCloseTo(50_000, 0);
    expect(objective.minor_penalties).toBeGreaterThanOrEqual(objective.gate_spill_cost - 1e-6);
  });
});

describe('a river gate that moves at a cost (initial_gate_opening, gate_adjustment_cost, gate_ramping)', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve('river_gate.yaml');
  });

  /** Gate height (m above sea level) of a position: upstream_elevation + gate_opening_curve(position). */
  const heightOf = (river: Json, position: number) =>
    river.upstream_elevation + interpolate(river.gate_opening_curve.x, river.gate_opening_curve.y, position);

  it('moves the gate from initial_gate_opening no faster than gate_ramping, within its range', () => {
    const river = s.model.river.Stretch;
    const heights = values(river.gate_height);
    const ramping = constant(river.gate_ramping);
    const before = [heightOf(river, river.initial_gate_opening), ...heights];
    s.steps.forEach((step, i) => {
      expect(Math.abs(heights[i] - before[i])).toBeLessThanOrEqual(ramping * (step.b - step.a) + 1e-6);
      expect(heights[i]).toBeGreaterThanOrEqual(heightOf(river, 0) - 1e-9);
      expect(heights[i]).toBeLessThanOrEqual(heightOf(river, 1) + 1e-9);
    });
    // The minimum flow from 4 h on makes it open: it rises at the ramping limit at least once.
    expect(Math.max(...heights)).toBeGreaterThan(before[0] + ramping);
  });

  it('charges gate_adjustment_cost per m moved: gate_adjustment_penalty, river_gate_adjustment_penalty', () => {
    const river = s.model.river.Stretch;
    const heights = values(river.gate_height);
    const before = [heightOf(river, river.initial_gate_opening), ...heights];
    const cost = constant(river.gate_adjustment_cost);
    const penalty = values(river.gate_adjustment_penalty);
    heights.forEach((h, i) => expect(penalty[i]).toBeCloseTo(cost * Math.abs(h - before[i]), 6));
    const objective = s.model.objective.average_objective;
    expect(objective.river_gate_adjustment_penalty).toBeCloseTo(sum(penalty), 6);
    expect(objective.river_gate_adjustment_penalty).toBeGreaterThan(0);
    expect(objective.minor_penalties).toBeGreaterThanOrEqual(
      objective.river_gate_adjustment_penalty + objective.river_min_flow_penalty - 1e-6,
    );
  });

  it('releases what the curves give at the gate’s position and the step-average level', () => {
    const river = s.model.river.Stretch;
    const upper = s.model.reservoir.Upper;
    const storage = values(upper.storage);
    const heights = values(river.gate_height);
    const up = values(river.upstream_flow);
    const curves = river.up_head_flow_curve as Json[];
    const opening = river.gate_opening_curve;
    let worst = 0;
    s.steps.forEach((step, i) => {
      const level =
        (interpolate(upper.vol_head.x, upper.vol_head.y, storage[i]) +
          interpolate(upper.vol_head.x, upper.vol_head.y, storage[i + 1])) /
        2;
      const position = interpolate(opening.y, opening.x, heights[i] - river.upstream_elevation);
      const at = curves.map((c) => interpolate(c.x, c.y, level));
      const expected = at[0] + ((position - curves[0].ref) / (curves[1].ref - curves[0].ref)) * (at[1] - at[0]);
      worst = Math.max(worst, Math.abs(up[i] - expected));
      // The upper reservoir releases the river's upstream flow (no other outlet, no inflow).
      expect(storage[i + 1] - storage[i]).toBeCloseTo(-up[i] * MM3 * (step.b - step.a), 6);
    });
    console.log(`river gate: largest miss of the flow function ${worst} m3/s`);
    expect(worst).toBeLessThanOrEqual(0.05);
  });
});
