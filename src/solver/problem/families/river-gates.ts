/**
 * A river's gate as a variable (modelling-2.md §3.4: `initial_gate_opening`,
 * `gate_adjustment_cost`, `gate_ramping`, `gate_ramping_penalty_cost`). Where a river's flow
 * function has a gate — several `up_head_flow_curve`s (one per position), or a
 * `width_depth_curve` with a `gate_opening_curve` — and one of those attributes is set, the
 * gate height z_t (m above upstream_elevation, the unit of the costs and the ramping) is a
 * column per step, between its lowest and highest height (fixed where
 * `gate_opening_schedule` gives the position). The flow function then holds as one row,
 * linearised in both the step-average level and the gate height at the previous iteration's
 * (iteration 1: `initial_gate_opening`, else mid-range):
 *
 *   q = F(z⁰, L⁰) + ∂F/∂L·(L − L⁰) + ∂F/∂z·(z − z⁰)
 *
 * instead of "anywhere between the lowest and highest position" (river-flow-functions.ts,
 * which stays for rivers without these attributes). Movement: d_t ≥ |z_t − z_{t−1}| at
 * gate_adjustment_cost per m; |z_t − z_{t−1}| ≤ gate_ramping·Δt (soft with
 * gate_ramping_penalty_cost per m/h and hour, as river flow ramping). z_{−1} is the height of
 * `initial_gate_opening` (a position, through gate_opening_curve); without it the first step
 * moves freely (Tarn). Steps with `mip_flag` 1 keep the range rows (Tarn).
 */
import { curvesPoint, widthDepthPoint } from '../../physics/flow-functions.js';
import { interpolate } from '../../physics/piecewise.js';
import type { RiverData } from '../hydro-system.js';
import type { RiverGateColumns } from '../iteration-input.js';
import type { ProblemContext, Terms } from './constraint-family.js';

/** The river's flow function kind where it can have a gate (river-flow-functions.ts's flowKind; no import cycle). */
function flowKind(river: RiverData): 'up_head' | 'width_depth' | undefined {
  if (river.upHeadFlowCurve?.length) return 'up_head';
  if (river.widthDepthCurve?.x.length) return 'width_depth';
  return undefined;
}

/** The gate height (m above upstream_elevation) of a position (the curves' ref, gate_opening_curve's x). */
export function heightOfPosition(river: RiverData, position: number): number {
  const opening = river.gateOpeningCurve;
  return opening ? interpolate(opening, position, 'clamp') : position;
}

/** The position of a gate height (gate_opening_curve read backwards; it rises with the position). */
export function positionOfHeight(river: RiverData, height: number): number {
  const opening = river.gateOpeningCurve;
  return opening ? interpolate({ x: opening.y, y: opening.x }, height, 'clamp') : height;
}

/** The lowest and highest gate height, where the river's flow function has a gate. */
export function gateRange(river: RiverData): { lo: number; hi: number } | undefined {
  const kind = flowKind(river);
  let heights: number[] | undefined;
  if (kind === 'up_head' && river.upHeadFlowCurve!.length > 1) {
    heights = river.upHeadFlowCurve!.map((curve) => heightOfPosition(river, curve.ref));
  } else if (kind === 'width_depth' && river.gateOpeningCurve) {
    heights = river.gateOpeningCurve.y;
  }
  return heights ? { lo: Math.min(...heights), hi: Math.max(...heights) } : undefined;
}

/** Whether the river's gate is a variable of its own (an attribute that moves it is set). */
export function gateModelled(river: RiverData): boolean {
  return (
    gateRange(river) !== undefined &&
    (river.gateAdjustmentCost !== undefined ||
      river.gateRamping !== undefined ||
      river.initialGateOpening !== undefined)
  );
}

/** The flow (m3/s) at gate height z (m above upstream_elevation) and upstream level `up`, with its slope in the level. */
function flowAt(river: RiverData, z: number, up: number): { flow: number; slope: number } {
  if (flowKind(river) === 'up_head') {
    if (up < river.upstreamElevation) return { flow: 0, slope: 0 };
    return curvesPoint(river.upHeadFlowCurve!, positionOfHeight(river, z), up);
  }
  return widthDepthPoint(river.widthDepthCurve!, up - river.upstreamElevation, z);
}

/** F(z, L), ∂F/∂L and ∂F/∂z (a central difference inside the gate's range) at z and the level `up`. */
export function gatedFlowPoint(
  river: RiverData,
  z: number,
  up: number,
): { flow: number; levelSlope: number; gateSlope: number } {
  const { lo, hi } = gateRange(river)!;
  const { flow, slope } = flowAt(river, z, up);
  const delta = Math.max(hi - lo, 1) * 1e-4;
  const [a, b] = [Math.max(lo, z - delta), Math.min(hi, z + delta)];
  const gateSlope = b > a ? (flowAt(river, b, up).flow - flowAt(river, a, up).flow) / (b - a) : 0;
  return { flow, levelSlope: slope, gateSlope };
}

/** The gate height before the first step, where initial_gate_opening gives it. */
export function initialHeight(river: RiverData): number | undefined {
  return river.initialGateOpening === undefined ? undefined : heightOfPosition(river, river.initialGateOpening);
}

/** The height the flow function is linearised at in step t: the previous iteration's, else the initial, else mid-range. */
export function linearisationHeight(river: RiverData, t: number, previous: number[] | undefined): number {
  const scheduled = river.gateOpeningSchedule?.[t];
  if (scheduled !== undefined) return heightOfPosition(river, scheduled);
  const { lo, hi } = gateRange(river)!;
  return previous?.[t] ?? initialHeight(river) ?? (lo + hi) / 2;
}

/** The gate height columns and their movement rows and costs. */
export function addRiverGate(ctx: ProblemContext, river: RiverData, name: string): RiverGateColumns {
  const { lp, steps, system } = ctx;
  const hours = (t: number) => system.steps[t].hours;
  const { lo, hi } = gateRange(river)!;
  const height = steps.map((t) => {
    const scheduled = river.gateOpeningSchedule?.[t];
    const fixed = scheduled === undefined ? undefined : heightOfPosition(river, scheduled);
    return lp.addColumn(`${name}.gate_height[${t}]`, fixed ?? lo, fixed ?? hi);
  });
  const initial = initialHeight(river);
  /** Terms and constant of z_t − z_{t−1}; undefined at step 0 without initial_gate_opening. */
  const move = (t: number): { terms: Terms; constant: number } | undefined => {
    if (t > 0) {
      return {
        terms: [
          [height[t], 1],
          [height[t - 1], -1],
        ],
        constant: 0,
      };
    }
    return initial === undefined ? undefined : { terms: [[height[0], 1]], constant: -initial };
  };
  const adjustment = steps.map((t): number | undefined => {
    const cost = river.gateAdjustmentCost?.[t];
    const m = move(t);
    if (cost === undefined || !m) return undefined;
    const d = lp.addColumn(`${name}.gate_adjustment[${t}]`, 0, Infinity, cost);
    const negated = m.terms.map(([c, k]): [number, number] => [c, -k]);
    // d ≥ (z_t − z_{t−1}) and d ≥ −(z_t − z_{t−1})
    lp.addRow(`${name}.gate_adjustment_up[${t}]`, m.constant, Infinity, [[d, 1], ...negated]);
    lp.addRow(`${name}.gate_adjustment_down[${t}]`, -m.constant, Infinity, [[d, 1], ...m.terms]);
    return d;
  });
  const rampViolation = steps.map((t): number | undefined => {
    const limit = river.gateRamping?.[t];
    const m = move(t);
    if (limit === undefined || !m) return undefined;
    const cost = river.gateRampingPenaltyCost?.[t];
    const v =
      cost === undefined
        ? undefined
        : lp.addColumn(`${name}.gate_ramping_violation[${t}]`, 0, Infinity, cost * hours(t));
    const slack: Terms = v === undefined ? [] : [[v, -1]];
    const rhs = limit * hours(t);
    // ±(z_t − z_{t−1}) − v ≤ gate_ramping·Δt
    lp.addRow(`${name}.gate_ramping_up[${t}]`, -Infinity, rhs - m.constant, [...m.terms, ...slack]);
    lp.addRow(`${name}.gate_ramping_down[${t}]`, -Infinity, rhs + m.constant, [
      ...m.terms.map(([c, k]): [number, number] => [c, -k]),
      ...slack,
    ]);
    return v;
  });
  return { height, adjustment, rampViolation };
}
