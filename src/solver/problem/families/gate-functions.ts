/**
 * Gate flow functions (modelling-2.md §3.2), on the discharge columns of the gates family:
 *
 * - `schedule_flag` per step: 0 free; 1 the flow is `schedule_m3s` (else `schedule_percent` % of
 *   max_discharge); 2 the flow is set by the level: `functions_meter_m3s` (upstream step-average
 *   level → flow, the curves interpolated at the step's `setting`; without one, the first curve)
 *   or else `functions_deltameter_m3s` (upstream − downstream level → flow, two-way, the curves
 *   interpolated at the upstream level), linearised at the previous iteration's levels
 *   (level-terms.ts), as rivers' up_head_flow_curve;
 * - `lin_rel_a`/`_b`: the volume released over a step is `a·V_up + b` (Mm3, V_up the upstream
 *   storage at the start of the step: Tarn), at every step the schedule flag does not decide
 *   (flag 1, or 2 with a level function);
 * - `min_flow`/`max_flow`: hard bounds, soft where `min_q_penalty_*`/`max_q_penalty_*` say so
 *   (gate-data.ts; objective gate_q_constr_penalty); `ramping_up`/`_down` (m3/s per hour, from the second step:
 *   a gate has no flow before the start): soft at `ramp_penalty_cost` (else global
 *   `gate_ramp_penalty_cost`, 360) while `gate_ramp_penalty_flag` is 1 (SHOP's default), else hard;
 * - `add_slack` = 1: the rows that set the flow and min/max_flow get slack at GATE_SLACK_COST;
 * - `discharge_fee` (currency per Mm3) costs every gate's discharge (objective gate_discharge_cost);
 * - `spill_cost_curve` (convex steps, per m3/s and hour above x): the gate's flow as segments at
 *   their costs, replacing the spill cost (and, on a reservoir's spill gate, the overflow cost).
 */
import { curvesPoint } from '../../physics/flow-functions.js';
import type { GateData, HydroSystem } from '../hydro-system.js';
import type { GateFunctionColumns } from '../iteration-input.js';
import { type ConstraintFamily, type ProblemContext, type Terms, volumePerFlow } from './constraint-family.js';
import { averageLevel, difference, linearisedFlow } from './level-terms.js';

/** currency per Mm3 of slack on a gate's flow rows (`add_slack`; Tarn: SHOP documents no cost). */
export const GATE_SLACK_COST = 1_000_000;

export const gateFunctions: ConstraintFamily = {
  name: 'gate flow functions',
  add(ctx: ProblemContext) {
    const { system, steps, lp, index } = ctx;
    system.gates.forEach((gate, i) =>
      steps.forEach((t) => {
        const fee = gate.dischargeFee?.[t];
        if (fee) lp.addCost(index.gateDischarge[i][t], fee * volumePerFlow(ctx, t));
      }),
    );
    if (!system.gates.some((gate) => gate.functions)) return;
    index.gateFunctions = system.gates.map((gate, i) => (gate.functions ? addGate(ctx, gate, i) : undefined));
  },
};

/** A gate's discharge may be negative: a two-way (delta-meter) function with negative flows. */
export function twoWay(gate: GateData): boolean {
  return gate.functions?.deltaMeter?.some((curve) => curve.y.some((y) => y < 0)) ?? false;
}

const reservoirIndex = (system: HydroSystem, name: string | undefined) =>
  name === undefined ? -1 : system.reservoirs.findIndex((r) => r.name === name);

function addGate(ctx: ProblemContext, gate: GateData, i: number): GateFunctionColumns {
  const { lp, steps, system, index } = ctx;
  const f = gate.functions!;
  const name = `gate.${gate.name}`;
  const q = index.gateDischarge[i];
  const columns: GateFunctionColumns = { slack: [], ramp: [] };
  const up = reservoirIndex(system, gate.upstream);
  const down = reservoirIndex(system, gate.downstream);
  /** Slack terms (+ more, − less flow) for a row at step t, when add_slack is on. */
  const slack = (row: string, t: number, sides: 'both' | 'more' | 'less'): Terms => {
    if (!f.addSlack) return [];
    const cost = GATE_SLACK_COST * volumePerFlow(ctx, t);
    const terms: Terms = [];
    if (sides !== 'less') {
      const c = lp.addColumn(`${name}.${row}_slack_up[${t}]`, 0, Infinity, cost);
      columns.slack.push([t, c]);
      terms.push([c, 1]);
    }
    if (sides !== 'more') {
      const c = lp.addColumn(`${name}.${row}_slack_down[${t}]`, 0, Infinity, cost);
      columns.slack.push([t, c]);
      terms.push([c, -1]);
    }
    return terms;
  };
  const fix = (row: string, t: number, terms: Terms, rhs: number) =>
    lp.addRow(`${name}.${row}[${t}]`, rhs, rhs, [...terms, ...slack(row, t, 'both')]);

  for (const t of steps) {
    const row = flowRow(ctx, gate, q[t], t, up, down);
    if (row) fix(row.row, t, row.terms, row.rhs);
  }

  /** A soft min/max_flow's violation column (+1 for min: flow made up; −1 for max), at its cost per Mm3. */
  const soft = (kind: 'min' | 'max', t: number): Terms => {
    const costPerMm3 = (kind === 'min' ? f.minFlowPenaltyCost : f.maxFlowPenaltyCost)?.[t];
    if (costPerMm3 === undefined) return [];
    const cost = costPerMm3 * volumePerFlow(ctx, t);
    const v = lp.addColumn(`${name}.${kind}_flow_violation[${t}]`, 0, Infinity, cost);
    (columns.qPenalty ??= []).push([t, v, cost, kind]);
    return [[v, kind === 'min' ? 1 : -1]];
  };
  for (const t of steps) {
    const min = f.minFlow?.[t];
    const max = f.maxFlow?.[t];
    if (min !== undefined) {
      lp.addRow(`${name}.min_flow[${t}]`, min, Infinity, [
        [q[t], 1],
        ...slack('min_flow', t, 'more'),
        ...soft('min', t),
      ]);
    }
    if (max !== undefined) {
      lp.addRow(`${name}.max_flow[${t}]`, -Infinity, max, [
        [q[t], 1],
        ...slack('max_flow', t, 'less'),
        ...soft('max', t),
      ]);
    }
  }

  const ramp = (kind: 'ramping_up' | 'ramping_down', limits: Array<number | undefined> | undefined) => {
    if (!limits) return;
    const sign = kind === 'ramping_up' ? 1 : -1;
    for (const t of steps) {
      const limit = limits[t];
      if (t === 0 || limit === undefined) continue;
      // sign·(q_t − q_{t−1}) − v ≤ limit·Δt
      const terms: Terms = [
        [q[t], sign],
        [q[t - 1], -sign],
      ];
      const cost = f.rampPenaltyCost?.[t];
      if (cost !== undefined) {
        const v = lp.addColumn(`${name}.${kind}_violation[${t}]`, 0, Infinity, cost);
        columns.ramp.push([t, v, cost]);
        terms.push([v, -1]);
      }
      lp.addRow(`${name}.${kind}[${t}]`, -Infinity, limit * system.steps[t].hours, terms);
    }
  };
  ramp('ramping_up', f.rampingUp);
  ramp('ramping_down', f.rampingDown);

  if (f.spillCostCurve?.x.length) columns.spillCurve = addSpillCurve(ctx, gate, q);
  return columns;
}

/**
 * The row that sets the gate's flow `q` at step t: the schedule (flag 1), the level function
 * (flag 2), else lin_rel; undefined: the flow is free.
 */
function flowRow(
  ctx: ProblemContext,
  gate: GateData,
  q: number,
  t: number,
  up: number,
  down: number,
): { row: string; terms: Terms; rhs: number } | undefined {
  const f = gate.functions!;
  const flag = f.scheduleFlag[t];
  const scheduled = flag === 1 ? scheduleAt(gate, t) : undefined;
  if (scheduled !== undefined) return { row: 'schedule', terms: [[q, 1]], rhs: scheduled };
  if (flag === 2 && f.meter?.length && up >= 0) {
    const level = averageLevel(ctx, up, t);
    const point = curvesPoint(f.meter, f.setting?.[t], level.at);
    return { row: 'function', ...linearisedFlow([[q, 1]], point, level) };
  }
  if (flag === 2 && f.deltaMeter?.length && up >= 0 && down >= 0) {
    const upper = averageLevel(ctx, up, t);
    const x = difference(upper, averageLevel(ctx, down, t));
    const point = curvesPoint(f.deltaMeter, upper.at, x.at, true);
    return { row: 'function', ...linearisedFlow([[q, 1]], point, x) };
  }
  if (!f.linRel || up < 0) return undefined;
  // q·k = a·V_{t−1} + b  (Mm3 over the step)
  const { a, b } = f.linRel;
  const terms: Terms = [[q, volumePerFlow(ctx, t)]];
  if (t > 0) return { row: 'lin_rel', terms: [...terms, [ctx.index.storage[up][t - 1], -a]], rhs: b };
  return { row: 'lin_rel', terms, rhs: b + a * ctx.input.startVolumes[up] };
}

/** m3/s the schedule sets at step t (flag 1): schedule_m3s, else schedule_percent of max_discharge. */
export function scheduleAt(gate: GateData, t: number): number | undefined {
  const f = gate.functions;
  if (f?.scheduleM3s) return f.scheduleM3s[t];
  if (f?.schedulePercent && gate.maxDischarge !== undefined) return (f.schedulePercent[t] / 100) * gate.maxDischarge;
  return undefined;
}

/** The segments of a convex step cost curve (x: m3/s, y: currency per m3/s and hour above x); below x₀ free. */
export function costSegments(
  curve: { x: number[]; y: number[] },
  what: string,
): Array<{ from: number; to: number; cost: number }> {
  const bounds = [0, ...curve.x];
  const costs = [0, ...curve.y];
  for (let k = 1; k < costs.length; k++) {
    if (costs[k] < costs[k - 1]) throw new RangeError(`${what}: the costs must not fall with the flow (convex steps)`);
  }
  return costs.map((cost, k) => ({ from: bounds[k], to: k + 1 < bounds.length ? bounds[k + 1] : Infinity, cost }));
}

/** currency over a step of `hours` at flow q on a convex step cost curve (the LP fills the cheap segments first). */
export function curveCost(curve: { x: number[]; y: number[] }, q: number, hours: number): number {
  return costSegments(curve, 'cost curve').reduce(
    (sum, { from, to, cost }) => sum + cost * Math.max(0, Math.min(q, to) - from) * hours,
    0,
  );
}

function addSpillCurve(ctx: ProblemContext, gate: GateData, q: number[]): GateFunctionColumns['spillCurve'] {
  const { lp, steps, system } = ctx;
  const name = `gate.${gate.name}`;
  const segments = costSegments(gate.functions!.spillCostCurve!, `${name}.spill_cost_curve`).map((segment, k) => ({
    cost: segment.cost,
    columns: steps.map((t) =>
      lp.addColumn(
        `${name}.spill_cost_segment${k}[${t}]`,
        0,
        segment.to - segment.from,
        segment.cost * system.steps[t].hours,
      ),
    ),
  }));
  steps.forEach((t) =>
    lp.addRow(`${name}.spill_cost_curve[${t}]`, 0, 0, [
      [q[t], 1],
      ...segments.map((segment): [number, number] => [segment.columns[t], -1]),
    ]),
  );
  return segments;
}
