/**
 * Rivers (modelling-2.md §3.4): storage-less stretches with a travel time. Per river and step
 * an upstream flow (what enters at the top: its inputs — plants, gates, rivers, tunnels, and
 * releases of reservoirs feeding it — plus `inflow`) and a downstream flow (what leaves at the
 * bottom into the one river or reservoir below, or out of the system), tied in volumes by the
 * delay:
 *
 *   `downstream[t]·Δt_t = Σ_s α_{s,t}·upstream[s]·Δt_s + initial_downstream_flow[t]·Δt_t`
 *
 * with α from `time_delay_const` or `time_delay_curve` (physics/delay.ts; several curves:
 * interpolated at the previous iteration's flow, the first curve in iteration 1) and the initial
 * downstream flow from `past_upstream_flow`. The upstream flow is free (≥ 0) unless limited:
 * min/max_flow and flow_schedule (soft, at their penalty costs), ramping (hard, or soft with a
 * ramping penalty cost), flow_cost and flow_cost_curve. A reservoir directly upstream with
 * `up_head_flow_curve` releases f(step-average level), linearised at the previous iteration's
 * levels; so do width_depth_curve and the delta-head curves (river-flow-functions.ts). Water still
 * travelling at the end is valued (vow_in_transit).
 */
import { addRiverGate, gateModelled } from './river-gates.js';
import {
  constantDelay,
  type DelayKernel,
  delayMatrix,
  NO_DELAY,
  pastArrivals,
  waveAtFlow,
  waveDelay,
} from '../../physics/delay.js';
import type { HydroSystem, RiverData } from '../hydro-system.js';
import type { RiverColumns, RiverPenaltyKind } from '../iteration-input.js';
import {
  addFlow,
  addRelease,
  addTransit,
  type ConstraintFamily,
  type ProblemContext,
  type Terms,
  volumePerFlow,
  waterNode,
} from './constraint-family.js';
import { addRiverFlowFunction, headReservoir, riverTwoWay } from './river-flow-functions.js';

export { headReservoir };

export const rivers: ConstraintFamily = {
  name: 'rivers',
  add(ctx: ProblemContext) {
    ctx.index.rivers = (ctx.system.rivers ?? []).map((river, i) => addRiver(ctx, river, i));
  },
};

/** The kernel of a river's delay for water entering at source step s. */
export function riverKernel(river: RiverData, previousFlow: number | undefined): DelayKernel {
  if (river.timeDelayCurve?.length) {
    const curve = waveAtFlow(river.timeDelayCurve, previousFlow);
    return waveDelay(curve.x, curve.y);
  }
  if (river.timeDelayConst && river.timeDelayConst > 0) return constantDelay(river.timeDelayConst);
  return NO_DELAY;
}

/** A river's delay over the horizon, and the flow its past upstream flow brings into each step. */
export function riverDelay(
  system: HydroSystem,
  river: RiverData,
  previousFlow: number[] | undefined,
): { matrix: ReturnType<typeof delayMatrix>; initial: number[] } {
  const hours = system.steps.map((s) => s.hours);
  const several = (river.timeDelayCurve?.length ?? 0) > 1;
  const matrix = delayMatrix(
    several ? (s: number) => riverKernel(river, previousFlow?.[s]) : riverKernel(river, undefined),
    hours,
  );
  const initial = pastArrivals(riverKernel(river, undefined), river.pastUpstreamFlow, hours);
  return { matrix, initial };
}

function addRiver(ctx: ProblemContext, river: RiverData, i: number): RiverColumns {
  const { lp, system, steps, input } = ctx;
  const name = `river.${river.name}`;
  const hours = (t: number) => system.steps[t].hours;
  // Delta-head curves with negative flows: the river may run backwards.
  const lower = riverTwoWay(river) ? -Infinity : 0;
  const upstream = steps.map((t) =>
    lp.addColumn(`${name}.upstream_flow[${t}]`, lower, Infinity, (river.flowCost?.[t] ?? 0) * hours(t)),
  );
  const downstream = steps.map((t) => lp.addColumn(`${name}.downstream_flow[${t}]`, lower, Infinity));

  // The top: Σ inputs + inflow = upstream flow.
  const node = waterNode(ctx, { type: 'river', name: river.name }, true);
  const releases: RiverColumns['releases'] = [];
  for (const ref of river.inputs) {
    if (ref.type !== 'reservoir') continue; // plants, gates, rivers, tunnels add their own flows into the node
    const reservoir = system.reservoirs.findIndex((r) => r.name === ref.name);
    if (reservoir < 0) continue;
    const columns = steps.map((t) => lp.addColumn(`${name}.release_from_${ref.name}[${t}]`, lower, Infinity));
    steps.forEach((t) => {
      addRelease(ctx, ref, t, columns[t]);
      node.terms[t].push([columns[t], 1]);
    });
    releases.push({ reservoir, columns });
  }
  steps.forEach((t) => {
    node.terms[t].push([upstream[t], -1]);
    node.rhs[t] -= river.inflow[t];
  });

  // The delay, in volumes per step (divided by Δt_t).
  const { matrix, initial } = riverDelay(system, river, input.previousRiverFlow?.[i]);
  steps.forEach((t) => {
    const terms: Terms = [[downstream[t], 1]];
    for (const [s, alpha] of matrix.byTarget[t]) terms.push([upstream[s], -(alpha * hours(s)) / hours(t)]);
    lp.addRow(`${name}.delay[${t}]`, initial[t], initial[t], terms);
    addFlow(ctx, river.to, t, downstream[t]);
  });
  const values = input.transitValues?.rivers[i];
  matrix.transit.forEach((share, s) => addTransit(ctx, river.to, s, upstream[s], share));
  matrix.transit.forEach((share, s) => {
    if (share > 0 && values?.[s]) lp.addCost(upstream[s], -values[s] * share * volumePerFlow(ctx, s));
  });

  const penalties = addLimits(ctx, river, name, upstream);
  const costCurve = addCostCurve(ctx, river, name, upstream);
  const head = headReservoir(system, river);
  const release = releases.find((entry) => entry.reservoir === head);
  const gate = release && gateModelled(river) ? addRiverGate(ctx, river, name) : undefined;
  if (release) {
    addRiverFlowFunction(
      ctx,
      river,
      name,
      release.columns,
      gate && { height: gate.height, previous: input.previousRiverGate?.[i] },
    );
  }
  return {
    upstream,
    downstream,
    initialDownstream: initial,
    transit: matrix.transit,
    releases,
    penalties,
    costCurve,
    ...(gate ? { gate } : {}),
  };
}

/** min/max_flow and flow_schedule (soft), ramping (hard, or soft with its penalty cost). */
function addLimits(ctx: ProblemContext, river: RiverData, name: string, upstream: number[]): RiverColumns['penalties'] {
  const { lp, steps, system } = ctx;
  const hours = (t: number) => system.steps[t].hours;
  const penalties: RiverColumns['penalties'] = [];
  const violation = (kind: RiverPenaltyKind, cost: (t: number) => number | undefined) => {
    const entry = { kind, columns: steps.map((): number | undefined => undefined), cost: steps.map(() => 0) };
    penalties.push(entry);
    return (t: number) => {
      const c = cost(t);
      if (c === undefined) return undefined;
      entry.cost[t] = c;
      entry.columns[t] = lp.addColumn(`${name}.${kind}_violation[${t}]`, 0, Infinity, c * hours(t));
      return entry.columns[t];
    };
  };
  const soft = (
    kind: RiverPenaltyKind,
    limits: Array<number | undefined> | undefined,
    costs: number[],
    sign: 1 | -1,
  ) => {
    if (!limits) return;
    const column = violation(kind, (t) => costs[t]);
    steps.forEach((t) => {
      const limit = limits[t];
      if (limit === undefined) return;
      const v = column(t)!;
      const terms: Terms = [
        [upstream[t], 1],
        [v, sign],
      ];
      if (sign === 1) lp.addRow(`${name}.${kind}[${t}]`, limit, Infinity, terms);
      else lp.addRow(`${name}.${kind}[${t}]`, -Infinity, limit, terms);
    });
  };
  soft('min_flow', river.minFlow, river.minFlowPenaltyCost, 1);
  soft('max_flow', river.maxFlow, river.maxFlowPenaltyCost, -1);
  if (river.flowSchedule) {
    const up = violation('flow_schedule_up', (t) => river.flowSchedulePenaltyCost[t]);
    const down = violation('flow_schedule_down', (t) => river.flowSchedulePenaltyCost[t]);
    steps.forEach((t) => {
      const schedule = river.flowSchedule![t];
      if (schedule === undefined) return;
      lp.addRow(`${name}.flow_schedule[${t}]`, schedule, schedule, [
        [upstream[t], 1],
        [up(t)!, -1],
        [down(t)!, 1],
      ]);
    });
  }
  const past = river.pastUpstreamFlow;
  const before = past && past.y.length ? past.y[past.y.length - 1] : undefined;
  const ramp = (kind: 'ramping_up' | 'ramping_down', limits?: Array<number | undefined>, costs?: number[]) => {
    if (!limits) return;
    const column = violation(kind, (t) => costs?.[t]);
    const sign = kind === 'ramping_up' ? 1 : -1;
    steps.forEach((t) => {
      const limit = limits[t];
      if (limit === undefined || (t === 0 && before === undefined)) return;
      // sign·(q_t − q_{t−1}) − v <= limit·Δt
      const terms: Terms = [[upstream[t], sign]];
      let rhs = limit * hours(t);
      if (t > 0) terms.push([upstream[t - 1], -sign]);
      else rhs += sign * before!;
      const v = column(t);
      if (v !== undefined) terms.push([v, -1]);
      lp.addRow(`${name}.${kind}[${t}]`, -Infinity, rhs, terms);
    });
  };
  ramp('ramping_up', river.rampingUp, river.rampingUpPenaltyCost);
  ramp('ramping_down', river.rampingDown, river.rampingDownPenaltyCost);
  return penalties.filter((p) => p.columns.some((c) => c !== undefined));
}

/**
 * `flow_cost_curve` (x: m3/s, y: currency per m3/s and hour for flow above x, convex steps):
 * the upstream flow as a sum of segments, each at its cost; flow below the first x is free.
 */
function addCostCurve(
  ctx: ProblemContext,
  river: RiverData,
  name: string,
  upstream: number[],
): RiverColumns['costCurve'] {
  const curve = river.flowCostCurve;
  if (!curve || !curve.x.length) return undefined;
  const { lp, steps, system } = ctx;
  const bounds = [0, ...curve.x];
  const costs = [0, ...curve.y];
  for (let k = 1; k < costs.length; k++) {
    if (costs[k] < costs[k - 1]) {
      throw new RangeError(`${name}.flow_cost_curve: the costs must not fall with the flow (convex steps)`);
    }
  }
  const segments = costs.map((cost, k) => ({
    cost,
    columns: steps.map((t) =>
      lp.addColumn(
        `${name}.flow_cost_segment${k}[${t}]`,
        0,
        k + 1 < bounds.length ? bounds[k + 1] - bounds[k] : Infinity,
        cost * system.steps[t].hours,
      ),
    ),
  }));
  steps.forEach((t) =>
    lp.addRow(`${name}.flow_cost_curve[${t}]`, 0, 0, [
      [upstream[t], 1],
      ...segments.map((segment): [number, number] => [segment.columns[t], -1]),
    ]),
  );
  return segments;
}
