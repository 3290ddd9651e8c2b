/**
 * Flow functions of gates and rivers (modelling-2.md §3.2, §3.4): a flow set by a level, a
 * level difference or a depth, as a value and a slope at a point, for the linearisation the
 * LP uses (flow ≈ f(x⁰) + f'(x⁰)·(x − x⁰)). Pure.
 *
 * - `xy_array` curves (`functions_meter_m3s`, `up_head_flow_curve`, the delta-head curves):
 *   one curve per reference (a gate setting, an upstream level, ...); between two references
 *   the flow is interpolated linearly (weights fixed at the reference), clamped to the first
 *   and last reference outside them;
 * - a curve is extrapolated beyond its points (a weir keeps flowing as the level rises), and a
 *   one-way flow is never negative (0, slope 0, where the curve would go below 0);
 * - `width_depth_curve` (width W at depth h): the critical flow `q = sqrt(g·A(h)³/W(h))` with
 *   `A(h) = ∫₀ʰ W` (the wetted area); a gate at height h_g uses `A(h) − A(h_g)` (no flow when
 *   h_g ≥ h).
 */
import { interpolate, slopeAt, type Table } from './piecewise.js';

export const GRAVITY = 9.81;

/** A flow and its derivative with respect to the curve's x at one point. */
export interface FlowPoint {
  flow: number;
  slope: number;
}

export interface RefCurve extends Table {
  readonly ref: number;
}

/** The two curves around `ref` and the weight of the upper one (clamped outside the references). */
export function bracket<C extends { ref: number }>(curves: readonly C[], ref: number): { lo: C; hi: C; w: number } {
  const sorted = [...curves].sort((p, q) => p.ref - q.ref);
  if (sorted.length === 1 || ref <= sorted[0].ref) return { lo: sorted[0], hi: sorted[0], w: 0 };
  const last = sorted[sorted.length - 1];
  if (ref >= last.ref) return { lo: last, hi: last, w: 0 };
  const k = sorted.findIndex((c, i) => ref >= c.ref && ref < sorted[i + 1].ref);
  const [lo, hi] = [sorted[k], sorted[k + 1]];
  return { lo, hi, w: (ref - lo.ref) / (hi.ref - lo.ref) };
}

/** One curve's flow at x: extrapolated; a one-way flow is clipped at 0 (slope 0 there). */
export function curvePoint(curve: Table, x: number, twoWay = false): FlowPoint {
  const flow = interpolate(curve, x, 'extrapolate');
  const slope = slopeAt(curve, x, 'extrapolate');
  if (!twoWay && flow < 0) return { flow: 0, slope: 0 };
  return { flow, slope };
}

/**
 * The flow at x of a family of curves at reference `ref` (undefined: the first curve as given):
 * the two curves around `ref`, interpolated.
 */
export function curvesPoint(
  curves: readonly RefCurve[],
  ref: number | undefined,
  x: number,
  twoWay = false,
): FlowPoint {
  if (ref === undefined || curves.length === 1) return curvePoint(curves[0], x, twoWay);
  const { lo, hi, w } = bracket(curves, ref);
  const a = curvePoint(lo, x, twoWay);
  if (w === 0) return a;
  const b = curvePoint(hi, x, twoWay);
  return { flow: (1 - w) * a.flow + w * b.flow, slope: (1 - w) * a.slope + w * b.slope };
}

/** The reference between the lowest and highest curve at which the curves give `flow` at x (a gate position). */
export function refForFlow(curves: readonly RefCurve[], x: number, flow: number): number {
  const sorted = [...curves].sort((p, q) => p.ref - q.ref);
  const at = sorted.map((c) => curvePoint(c, x).flow);
  if (flow <= at[0]) return sorted[0].ref;
  for (let k = 0; k + 1 < sorted.length; k++) {
    if (flow <= at[k + 1]) {
      const span = at[k + 1] - at[k];
      return span > 0 ? sorted[k].ref + ((flow - at[k]) / span) * (sorted[k + 1].ref - sorted[k].ref) : sorted[k].ref;
    }
  }
  return sorted[sorted.length - 1].ref;
}

/** A(h) = ∫₀ʰ W (m²) for a width-depth table (W linear between points, constant beyond the ends). */
export function wettedArea(width: Table, h: number): number {
  if (!(h > 0)) return 0;
  const W = (z: number) => interpolate(width, z, 'clamp');
  // Breakpoints inside (0, h), integrated by the trapezoid rule (exact for piecewise-linear W).
  const points = [0, ...Array.from(width.x).filter((z) => z > 0 && z < h), h];
  let area = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    area += ((W(points[i]) + W(points[i + 1])) / 2) * (points[i + 1] - points[i]);
  }
  return area;
}

/**
 * Critical flow over a cross-section `q = sqrt(g·A³/W)` at depth h (m above upstream_elevation),
 * with a gate at height `gate` (m above upstream_elevation: the area below it is closed), and
 * dq/dh.
 */
export function widthDepthPoint(width: Table, h: number, gate = 0): FlowPoint {
  const closed = wettedArea(width, gate);
  const area = wettedArea(width, h) - closed;
  const W = interpolate(width, Math.max(h, 0), 'clamp');
  if (!(h > gate) || !(area > 0) || !(W > 0)) return { flow: 0, slope: 0 };
  const dW = h >= width.x[width.x.length - 1] || h < width.x[0] ? 0 : slopeAt(width, h, 'clamp');
  const squared = (GRAVITY * area ** 3) / W;
  const flow = Math.sqrt(squared);
  // d(q²)/dh = g·(3A²·A'·W − A³·W')/W², A' = W
  const dSquared = (GRAVITY * (3 * area ** 2 * W * W - area ** 3 * dW)) / (W * W);
  return { flow, slope: dSquared / (2 * flow) };
}
