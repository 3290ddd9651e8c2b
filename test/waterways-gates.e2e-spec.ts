import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { fixture as yaml, interpolate as interpolateIn, uploadYaml } from './support/shop-models.js';

/**
 * Gate flow functions and rivers in series (modelling-2.md §3.2, §3.4), checked from what GET
 * /model returns: hand-written fixtures, every invariant recomputed here from the returned inputs
 * and outputs (curves, vol_head, storage), independently of the solver.
 */
const MM3 = 0.0036; // Mm3 per m3/s and hour

interface Solved {
  model: Json;
  /** step windows in hours from the start, and the start time in ms */
  steps: Array<{ a: number; b: number }>;
  start: number;
}

let t: TestApp;
let token: string;

async function solve(fixture: string, edit: (text: string) => string = (text) => text): Promise<Solved> {
  const { body } = await uploadYaml(t, token, [edit(yaml(fixture))]);
  const start = Date.parse(body.time.start_time);
  const end = Date.parse(body.time.end_time);
  const anyFlow = Object.values(body.model.gate ?? body.model.river)[0] as Json;
  const series = (anyFlow.discharge ?? anyFlow.upstream_flow) as Json;
  const starts = (series.timestamps as string[]).map((s) => (Date.parse(s) - start) / 3_600_000);
  const steps = starts.map((a, i) => ({ a, b: i + 1 < starts.length ? starts[i + 1] : (end - start) / 3_600_000 }));
  return { model: body.model, steps, start };
}

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token();
});
afterAll(() => t.close());

const values = (series: Json): number[] => series.values[0];
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const volume = (flow: number[], steps: Solved['steps']) => sum(flow.map((q, i) => q * MM3 * (steps[i].b - steps[i].a)));

/** An input series at each step: the last value given at or before the step's start. */
function perStep(series: Json | undefined, s: Solved): number[] {
  if (series === undefined) return s.steps.map(() => 0);
  if (typeof series === 'number') return s.steps.map(() => series);
  const points: Array<[number, number]> = Array.isArray(series.values)
    ? (series.timestamps ?? [s.start]).map((ts: string | number, i: number) => [
        (Date.parse(String(ts)) - s.start) / 3_600_000,
        series.values[0][i],
      ])
    : Object.entries(series).map(([ts, v]) => [(Date.parse(ts) - s.start) / 3_600_000, v as number]);
  return s.steps.map(({ a }) => {
    let value = points[0][1];
    for (const [at, v] of points) if (at <= a + 1e-9) value = v;
    return value;
  });
}

const interpolate = (x: number[], y: number[], at: number) => interpolateIn(x, y, at, 'extrapolate');

describe('gates with flow functions, a linear relation, limits and ramping', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve('gate_functions.yaml');
  });

  it('solved', () => {
    expect(s.model.objective.average_objective.solver_status).toBe('optimal');
  });

  it('the weir (schedule_flag 2) discharges functions_meter_m3s at the final step-average level and setting', () => {
    const upper = s.model.reservoir.Upper;
    const weir = s.model.gate.Weir;
    const volHead = upper.vol_head as Json;
    const storage = values(upper.storage);
    const setting = perStep(weir.setting, s);
    const curves = weir.functions_meter_m3s as Json[];
    const q = values(weir.discharge);
    let largest = 0;
    s.steps.forEach((_, i) => {
      const level =
        (interpolate(volHead.x, volHead.y, storage[i]) + interpolate(volHead.x, volHead.y, storage[i + 1])) / 2;
      // Between the curves of ref 0 and 1, linearly in the setting.
      const [lo, hi] = [curves[0], curves[1]];
      const w = (setting[i] - lo.ref) / (hi.ref - lo.ref);
      const f = (1 - w) * interpolate(lo.x, lo.y, level) + w * interpolate(hi.x, hi.y, level);
      largest = Math.max(largest, Math.abs(q[i] - f));
    });
    // The LP's flow is f linearised at the previous iteration's levels: after three iterations it
    // misses f at the final levels by the change in level between the last two iterations and where a
    // level crosses a point of the curve (measured: 0.002 m3/s).
    expect(largest).toBeLessThan(0.01);
    expect(Math.min(...q)).toBeGreaterThan(5); // it does flow, level-driven
    expect(q[0]).toBeGreaterThan(q[q.length - 1]); // and falls with the level
  });

  it('the linear gate releases a·V + b Mm3 per step (V: upstream storage at the start of the step)', () => {
    const gate = s.model.gate.Linear;
    const storage = values(s.model.reservoir.Middle.storage);
    const q = values(gate.discharge);
    s.steps.forEach(({ a, b }, i) => {
      expect(q[i] * MM3 * (b - a)).toBeCloseTo(gate.lin_rel_a * storage[i] + gate.lin_rel_b, 9);
    });
  });

  it('the controlled gate keeps min_flow, max_flow and its ramping limits, and ramps where the fee changes', () => {
    const gate = s.model.gate.Controlled;
    const q = values(gate.discharge);
    const [min, max] = [perStep(gate.min_flow, s), perStep(gate.max_flow, s)];
    const [up, down] = [perStep(gate.ramping_up, s), perStep(gate.ramping_down, s)];
    let ramped = 0;
    s.steps.forEach(({ a, b }, i) => {
      expect(q[i]).toBeGreaterThanOrEqual(min[i] - 1e-7);
      expect(q[i]).toBeLessThanOrEqual(max[i] + 1e-7);
      if (i === 0) return;
      const change = q[i] - q[i - 1];
      expect(change).toBeLessThanOrEqual(up[i] * (b - a) + 1e-7);
      expect(-change).toBeLessThanOrEqual(down[i] * (b - a) + 1e-7);
      if (Math.abs(Math.abs(change) - up[i] * (b - a)) < 1e-6) ramped++;
    });
    // The fee pushes the flow to min_flow in the middle of the day: the ramps bind on both sides.
    expect(ramped).toBeGreaterThanOrEqual(4);
    expect(Math.min(...q)).toBeCloseTo(Math.min(...min), 6);
  });

  it('keeps the water balances with all three gates', () => {
    const { model, steps } = s;
    const [upper, middle, lower] = ['Upper', 'Middle', 'Lower'].map((r) => values(model.reservoir[r].storage));
    const [weir, controlled, linear] = ['Weir', 'Controlled', 'Linear'].map((g) => values(model.gate[g].discharge));
    const plant = values(model.plant.LowerPlant.discharge);
    const inflow = perStep(model.reservoir.Upper.inflow, s);
    steps.forEach(({ a, b }, i) => {
      const k = MM3 * (b - a);
      expect(upper[i + 1] - upper[i] - k * (inflow[i] - weir[i] - controlled[i])).toBeCloseTo(0, 6);
      expect(middle[i + 1] - middle[i] + k * linear[i]).toBeCloseTo(0, 6);
      expect(lower[i + 1] - lower[i] - k * (weir[i] + controlled[i] + linear[i] - plant[i])).toBeCloseTo(0, 6);
    });
  });

  it('costs the discharge fee in the objective (gate_discharge_cost)', () => {
    const gate = s.model.gate.Controlled;
    const fee = perStep(gate.discharge_fee, s);
    const q = values(gate.discharge);
    const expected = sum(s.steps.map(({ a, b }, i) => fee[i] * q[i] * MM3 * (b - a)));
    const objective = s.model.objective.average_objective;
    expect(expected).toBeGreaterThan(0);
    expect(objective.gate_discharge_cost).toBeCloseTo(expected, 4);
    expect(objective.minor_penalties).toBeGreaterThanOrEqual(expected - 1e-6);
  });
});

describe('a gate whose min_flow is soft (min_q_penalty_flag, min_q_penalty_cost)', () => {
  let s: Solved;
  beforeAll(async () => {
    // The discharge fee (40 000 per Mm3 in the day's middle) outweighs 1 000 per Mm3 below min_flow.
    const soft = '    Controlled:\n      min_q_penalty_flag: 1\n      min_q_penalty_cost: 1000\n';
    s = await solve('gate_functions.yaml', (text) => text.replace('    Controlled:\n', soft));
  });

  it('goes below min_flow where that pays, and charges min_q_penalty for the water missing', () => {
    const gate = s.model.gate.Controlled;
    const q = values(gate.discharge);
    const min = perStep(gate.min_flow, s);
    const penalty = values(gate.min_q_penalty);
    s.steps.forEach(({ a, b }, i) => {
      const missing = Math.max(0, min[i] - q[i]);
      expect(penalty[i]).toBeCloseTo(missing * MM3 * (b - a) * 1000, 6);
    });
    expect(Math.min(...q.map((v, i) => v - min[i]))).toBeLessThan(-0.5);
    const objective = s.model.objective.average_objective;
    expect(objective.gate_q_constr_penalty).toBeCloseTo(sum(penalty), 6);
    expect(objective.gate_q_constr_penalty).toBeGreaterThan(0);
    expect(objective.minor_penalties).toBeGreaterThanOrEqual(
      objective.gate_q_constr_penalty + objective.gate_discharge_cost - 1e-6,
    );
  });
});

describe('two rivers in series pass the past upstream flow on', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve('river_series.yaml');
  });

  it('the upper river reports the past flow that left it before the start (distributed_past_upstream_flow)', () => {
    const river = s.model.river.Upper_stretch;
    const past = river.past_upstream_flow as Json;
    const tau = river.time_delay_const as number;
    const distributed = river.distributed_past_upstream_flow as Json;
    expect(distributed.x.length).toBeGreaterThan(0);
    // Recomputed: each past window [x_k, x_{k+1}) shifted by τ, its part before 0, per window of the output.
    const windows = (distributed.x as number[]).map((a, k) => ({
      a,
      b: k + 1 < distributed.x.length ? distributed.x[k + 1] : 0,
    }));
    windows.forEach(({ a, b }, k) => {
      let volumeIn = 0;
      (past.x as number[]).forEach((from: number, j: number) => {
        const to = j + 1 < past.x.length ? past.x[j + 1] : 0;
        volumeIn += past.y[j] * Math.max(0, Math.min(to + tau, b) - Math.max(from + tau, a));
      });
      expect(distributed.y[k]).toBeCloseTo(volumeIn / (b - a), 9);
    });
  });

  it('conserves water: all the past volume reaches the lower reservoir through both rivers', () => {
    const upper = s.model.river.Upper_stretch;
    const lower = s.model.river.Lower_stretch;
    const past = upper.past_upstream_flow as Json;
    const pastVolume = sum(
      (past.x as number[]).map(
        (a: number, k: number) => past.y[k] * MM3 * ((k + 1 < past.x.length ? past.x[k + 1] : 0) - a),
      ),
    );
    // Nothing enters the upper river in the horizon (its schedule is 0), and the delays (2 h + 1.5 h) end well inside it.
    for (const q of values(upper.upstream_flow)) expect(Math.abs(q)).toBeLessThan(1e-7);
    expect(volume(values(lower.downstream_flow), s.steps)).toBeCloseTo(pastVolume, 9);
    // The lower river's own initial flow is the upper river's distributed past flow, and its top gets the upper's downstream flow.
    const distributed = upper.distributed_past_upstream_flow as Json;
    const handedOn = sum(
      (distributed.x as number[]).map(
        (a: number, k: number) =>
          distributed.y[k] * MM3 * ((k + 1 < distributed.x.length ? distributed.x[k + 1] : 0) - a),
      ),
    );
    expect(volume(values(lower.initial_downstream_flow), s.steps)).toBeCloseTo(handedOn, 9);
    values(lower.upstream_flow).forEach((q, i) => expect(q).toBeCloseTo(values(upper.downstream_flow)[i], 9));
  });

  it('the lower reservoir receives the lower river’s downstream flow', () => {
    const { model, steps } = s;
    const lower = values(model.reservoir.Lower.storage);
    const down = values(model.river.Lower_stretch.downstream_flow);
    const plant = values(model.plant.LowerPlant.discharge);
    const inflow = perStep(model.reservoir.Lower.inflow, s);
    steps.forEach(({ a, b }, i) => {
      expect(lower[i + 1] - lower[i] - MM3 * (b - a) * (inflow[i] + down[i] - plant[i])).toBeCloseTo(0, 6);
    });
  });
});

describe('a spill gate with a spill_cost_curve carrying a reservoir’s overflow', () => {
  let s: Solved;
  beforeAll(async () => {
    // overflow.yaml with a convex spill cost on its spill gate: free up to 50 m3/s, then 2 and 5 per m3/s and hour.
    s = await solve('overflow.yaml', (text) =>
      text.replace(
        '    s_Top_Bottom: {}',
        '    s_Top_Bottom:\n      spill_cost_curve:\n        ref: 0\n        x: [50, 200]\n        y: [2, 5]',
      ),
    );
  });

  it('costs the overflow by the curve instead of the overflow cost (gate_spill_cost)', () => {
    const gate = s.model.gate.s_Top_Bottom;
    const curve = gate.spill_cost_curve as Json;
    const q = values(gate.discharge);
    // Segments: [0, 50) free, [50, 200) at 2, above 200 at 5 (per m3/s and hour).
    const cost = (flow: number) =>
      curve.y[0] * Math.max(0, Math.min(flow, curve.x[1]) - curve.x[0]) + curve.y[1] * Math.max(0, flow - curve.x[1]);
    const expected = sum(s.steps.map(({ a, b }, i) => cost(q[i]) * (b - a)));
    const objective = s.model.objective.average_objective;
    expect(Math.max(...q)).toBeGreaterThan(50);
    expect(objective.gate_spill_cost).toBeCloseTo(expected, 4);
    expect(objective.physical_spill_cost + objective.nonphysical_spill_cost).toBeCloseTo(expected, 4);
  });
});
