/**
 * River flow functions (modelling-2.md §3.4; a reservoir directly upstream only): the release of
 * that reservoir into the river is set by its step-average level, linearised at the previous
 * iteration's levels (level-terms.ts). The first of these a river has decides (Tarn):
 *
 * - `up_head_flow_curve` (level → flow, one curve per gate position): the position is
 *   `gate_opening_schedule` where given, else optimised (Tarn: the flow anywhere between the
 *   curves of the lowest and the highest position); one curve: that curve;
 * - `width_depth_curve` (width at depth above upstream_elevation): `q = sqrt(g·A(h)³/W(h))`; with
 *   a `gate_opening_curve` (position → gate height above upstream_elevation, Tarn) the gate closes
 *   A(h_g): scheduled, or optimised between its lowest and highest height;
 * - `delta_head_ref_up_flow_curve` / `_down_flow_curve` (x = L_up − L_down → flow, two-way):
 *   the up curves (interpolated at the upper level) while the upper level is the higher at the
 *   previous iteration, else the down curves (interpolated at the lower level); one set alone
 *   serves both ways. The river below must end in a reservoir.
 *
 * Below `upstream_elevation` (both levels, for delta-head) no water flows: where `mip_flag` is 1 a
 * binary per step decides (level ≥ upstream_elevation ⇔ flow), else Tarn fixes the flow at 0
 * where the previous iteration's average level is below it.
 */
import { curvesPoint, type FlowPoint, refForFlow, widthDepthPoint } from '../../physics/flow-functions.js';
import { interpolate } from '../../physics/piecewise.js';
import type { HydroSystem, RiverData } from '../hydro-system.js';
import type { ProblemContext, Terms } from './constraint-family.js';
import { averageLevel, difference, type LinearExpression, linearisedFlow } from './level-terms.js';
import { gatedFlowPoint, linearisationHeight } from './river-gates.js';

export type RiverFlowKind = 'up_head' | 'width_depth' | 'delta_head';

export function flowKind(river: RiverData): RiverFlowKind | undefined {
  if (river.upHeadFlowCurve?.length) return 'up_head';
  if (river.widthDepthCurve?.x.length) return 'width_depth';
  if (river.deltaHeadUpFlowCurve?.length || river.deltaHeadDownFlowCurve?.length) return 'delta_head';
  return undefined;
}

const reservoirIndex = (system: HydroSystem, name: string) => system.reservoirs.findIndex((r) => r.name === name);

/** The reservoir directly above a river whose release a flow function sets (its first reservoir input). */
export function headReservoir(system: HydroSystem, river: RiverData): number | undefined {
  if (!flowKind(river)) return undefined;
  const input = river.inputs.find((ref) => ref.type === 'reservoir');
  const r = input ? reservoirIndex(system, input.name) : -1;
  return r < 0 ? undefined : r;
}

/** The reservoir below a delta-head river (its downstream object). */
export function tailReservoir(system: HydroSystem, river: RiverData): number | undefined {
  if (flowKind(river) !== 'delta_head' || river.to?.type !== 'reservoir') return undefined;
  const r = reservoirIndex(system, river.to.name);
  return r < 0 ? undefined : r;
}

/** Whether a river's flow may run backwards (delta-head curves with negative flows). */
export function riverTwoWay(river: RiverData): boolean {
  if (flowKind(river) !== 'delta_head') return false;
  return [...(river.deltaHeadUpFlowCurve ?? []), ...(river.deltaHeadDownFlowCurve ?? [])].some((c) =>
    c.y.some((y) => y < 0),
  );
}

/**
 * The flows the river's function allows at step t at levels `up` (and `down`, delta-head): `lo`
 * and `hi` are the same point when nothing is left to optimise (slopes per m of the function's x).
 */
export function flowRange(river: RiverData, t: number, up: number, down = 0): { lo: FlowPoint; hi: FlowPoint } {
  const zero = { flow: 0, slope: 0 };
  const fixed = (point: FlowPoint) => ({ lo: point, hi: point });
  const position = river.gateOpeningSchedule?.[t];
  switch (flowKind(river)) {
    case 'up_head': {
      if (up < river.upstreamElevation) return fixed(zero);
      const curves = river.upHeadFlowCurve!;
      if (curves.length === 1 || position !== undefined) return fixed(curvesPoint(curves, position, up));
      const refs = curves.map((c) => c.ref);
      const [a, b] = [curvesPoint(curves, Math.min(...refs), up), curvesPoint(curves, Math.max(...refs), up)];
      return a.flow <= b.flow ? { lo: a, hi: b } : { lo: b, hi: a };
    }
    case 'width_depth': {
      const h = up - river.upstreamElevation;
      const opening = river.gateOpeningCurve;
      if (!opening) return fixed(widthDepthPoint(river.widthDepthCurve!, h));
      if (position !== undefined) {
        return fixed(widthDepthPoint(river.widthDepthCurve!, h, interpolate(opening, position, 'clamp')));
      }
      const heights = opening.y;
      return {
        lo: widthDepthPoint(river.widthDepthCurve!, h, Math.max(...heights)),
        hi: widthDepthPoint(river.widthDepthCurve!, h, Math.min(...heights)),
      };
    }
    case 'delta_head': {
      if (Math.max(up, down) < river.upstreamElevation) return fixed(zero);
      const forward = up >= down;
      const curves = forward
        ? (river.deltaHeadUpFlowCurve ?? river.deltaHeadDownFlowCurve!)
        : (river.deltaHeadDownFlowCurve ?? river.deltaHeadUpFlowCurve!);
      return fixed(curvesPoint(curves, forward ? up : down, up - down, true));
    }
    default:
      return fixed(zero);
  }
}

/** What the river's flow is at the final levels (physical_flow): the LP's flow held within the range there. */
export function physicalFlow(river: RiverData, t: number, flow: number, up: number, down = 0): number {
  const { lo, hi } = flowRange(river, t, up, down);
  return Math.min(Math.max(flow, lo.flow), hi.flow);
}

/**
 * The gate's height (m above sea level) at step t for `gate_height`: from the schedule, else the
 * position that gives the flow; undefined without a gate (no gate_opening_curve and one curve).
 */
export function gateHeight(river: RiverData, t: number, flow: number, up: number): number | undefined {
  const opening = river.gateOpeningCurve;
  const position = river.gateOpeningSchedule?.[t];
  const kind = flowKind(river);
  if (kind === 'up_head') {
    const curves = river.upHeadFlowCurve!;
    if (curves.length < 2 && position === undefined) return undefined;
    const p = position ?? refForFlow(curves, up, flow);
    return river.upstreamElevation + (opening ? interpolate(opening, p, 'clamp') : p);
  }
  if (kind === 'width_depth' && opening) {
    if (position !== undefined) return river.upstreamElevation + interpolate(opening, position, 'clamp');
    // The height that lets `flow` through: bisection between the lowest and highest height.
    const h = up - river.upstreamElevation;
    let [lo, hi] = [Math.min(...opening.y), Math.max(...opening.y)];
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (widthDepthPoint(river.widthDepthCurve!, h, mid).flow > flow) lo = mid;
      else hi = mid;
    }
    return river.upstreamElevation + (lo + hi) / 2;
  }
  return undefined;
}

/**
 * The rows tying the release column of the head reservoir (`release[t]`) to the river's flow
 * function at every step (and the binaries where mip_flag is 1).
 */
export function addRiverFlowFunction(
  ctx: ProblemContext,
  river: RiverData,
  name: string,
  release: number[],
  gate?: { height: number[]; previous?: number[] },
): void {
  const { lp, steps, system } = ctx;
  const r = headReservoir(system, river);
  if (r === undefined) return;
  const kind = flowKind(river)!;
  const d = tailReservoir(system, river);
  if (kind === 'delta_head' && d === undefined) return;
  const bigM = bigMs(system, river, r, d);
  for (const t of steps) {
    const upper = averageLevel(ctx, r, t);
    const lower = d === undefined ? undefined : averageLevel(ctx, d, t);
    const x: LinearExpression = lower ? difference(upper, lower) : upper;
    const { lo, hi } = flowRange(river, t, upper.at, lower?.at);
    const row = `${name}.flow_function[${t}]`;
    const mip = river.mipFlag[t] === 1;
    const below = Math.max(upper.at, lower?.at ?? -Infinity) < river.upstreamElevation;
    if (below && !mip) {
      lp.addRow(row, 0, 0, [[release[t], 1]]);
      continue;
    }
    const rows = (relax: Terms, slack: number) => {
      const low = linearisedFlow([[release[t], 1]], lo, x);
      const high = linearisedFlow([[release[t], 1]], hi, x);
      const loose = relax.map(([c, k]): [number, number] => [c, -k]);
      lp.addRow(`${name}.flow_function_min[${t}]`, low.rhs - slack, Infinity, [...low.terms, ...loose]);
      lp.addRow(`${name}.flow_function_max[${t}]`, -Infinity, high.rhs + slack, [...high.terms, ...relax]);
    };
    if (!mip && gate) {
      // The gate height is a column (river-gates.ts): one row, linearised in level and height.
      const z0 = linearisationHeight(river, t, gate.previous);
      const point = gatedFlowPoint(river, z0, upper.at);
      const { terms, rhs } = linearisedFlow([[release[t], 1]], { flow: point.flow, slope: point.levelSlope }, x);
      lp.addRow(row, rhs - point.gateSlope * z0, rhs - point.gateSlope * z0, [
        ...terms,
        [gate.height[t], -point.gateSlope],
      ]);
      continue;
    }
    if (!mip) {
      if (lo === hi) {
        const { terms, rhs } = linearisedFlow([[release[t], 1]], lo, x);
        lp.addRow(row, rhs, rhs, terms);
      } else rows([], 0);
      continue;
    }
    // z = 1: the level is at or above upstream_elevation and the function holds; z = 0: no flow.
    const z = lp.addColumn(`${name}.flowing[${t}]`, 0, 1, 0, true);
    const level = lower && kind === 'delta_head' && lower.at > upper.at ? lower : upper;
    lp.addRow(`${name}.level_when_flowing[${t}]`, river.upstreamElevation - bigM.level - level.constant, Infinity, [
      ...level.terms,
      [z, -bigM.level],
    ]);
    lp.addRow(`${name}.no_level_no_flow[${t}]`, -Infinity, river.upstreamElevation - level.constant, [
      ...level.terms,
      [z, -bigM.level],
    ]);
    lp.addRow(`${name}.flow_when_flowing[${t}]`, -Infinity, 0, [
      [release[t], 1],
      [z, -bigM.flow],
    ]);
    if (riverTwoWay(river)) {
      lp.addRow(`${name}.back_flow_when_flowing[${t}]`, 0, Infinity, [
        [release[t], 1],
        [z, bigM.flow],
      ]);
    }
    // |q − f| ≤ M·(1 − z): the rows hold when z = 1.
    rows([[z, bigM.flow]], bigM.flow);
  }
}

/** Big-Ms for the binaries: levels over the reservoirs' vol_head range, flows at its top. */
function bigMs(
  system: HydroSystem,
  river: RiverData,
  r: number,
  d: number | undefined,
): { level: number; flow: number } {
  const levels = (i: number) => system.reservoirs[i].volHead.y;
  const all = [...levels(r), ...(d === undefined ? [] : levels(d)), river.upstreamElevation];
  const span = Math.max(...all) - Math.min(...all);
  const top = Math.max(...levels(r));
  const bottom = d === undefined ? 0 : Math.min(...levels(d));
  const { hi } = flowRange(river, 0, top, d === undefined ? 0 : bottom);
  return { level: span + 10, flow: 2 * Math.abs(hi.flow) + 10 };
}
