/**
 * Pump physics (modelling-2.md §1): the power a pump consumes to lift water, and its
 * consumption-vs-upflow curve at one lift for the LP.
 *
 * `c = 9.81e-3 · q · h / (η_p(q, h)/100 · η_m(c)/100)` MW with q the upflow (m3/s), h the lift
 * (m: gross head plus the losses, which add to the lift when pumping), η_p the pump efficiency
 * (`turb_eff_curves`: x = upflow, y = %, ref = lift; interpolated in q on each curve and
 * linearly between the curves, clamped at the outermost, Tarn) and η_m the motor efficiency
 * (`gen_eff_curve`: MW consumed → %; absent = 100 %).
 *
 * A pump whose curves have one point each is a binary (fixed-speed) pump: at every lift it has
 * one operating point (q(h), η(h)), both interpolated by lift. Otherwise it is a variable-speed
 * pump, which runs anywhere between its curves' first and last upflow at that lift.
 */
import { MW_PER_M3S_M, prepareTurbine, turbineEfficiency, type HeadCurve, type Turbine } from './generator.js';
import { interpolate, type Table } from './piecewise.js';

/** A pump's efficiency data, prepared. */
export interface Pump {
  /** The pump efficiency curves, sorted by lift (the turbine structure serves: same shape). */
  readonly curves: Turbine;
  readonly motorEff?: Table;
  /** One point per curve: a fixed-speed pump. */
  readonly binary: boolean;
  /** First and last upflow of each curve, by lift. */
  readonly lowest: Table;
  readonly highest: Table;
}

export function preparePump(turbEff: readonly HeadCurve[], motorEff?: Table): Pump {
  const curves = prepareTurbine(turbEff);
  const heads = curves.heads;
  return {
    curves,
    motorEff,
    binary: curves.curves.every((c) => c.x.length === 1),
    lowest: { x: heads, y: curves.curves.map((c) => c.x[0]) },
    highest: { x: heads, y: curves.curves.map((c) => c.x[c.x.length - 1]) },
  };
}

/** η_p (%) at upflow q and lift h. */
export function pumpEfficiency(pump: Pump, q: number, lift: number): number {
  return turbineEfficiency(pump.curves, q, lift);
}

/** η_m (%) at consumption c (MW), clamped; no curve means 100 %. */
export function motorEfficiency(motorEff: Table | undefined, c: number): number {
  return motorEff ? interpolate(motorEff, c, 'clamp') : 100;
}

/**
 * Consumption (MW) from the hydraulic power the pump delivers (`shaft`, MW = 9.81e-3·q·h/(η_p/100)):
 * the fixed point `c = shaft / (η_m(c)/100)`, iterated from η_m at the shaft power.
 */
export function consumptionFromShaft(shaft: number, motorEff: Table | undefined): number {
  if (!(shaft > 0)) return 0;
  let c = (shaft * 100) / motorEfficiency(motorEff, shaft);
  if (!motorEff) return c;
  for (let k = 0; k < 100; k++) {
    const next = (shaft * 100) / motorEfficiency(motorEff, c);
    if (Math.abs(next - c) <= 1e-12 * Math.max(1, c)) return next;
    c = next;
  }
  return c;
}

/** Consumption (MW) at upflow q (m3/s) and lift h (m); 0 for q ≤ 0. */
export function pumpConsumption(pump: Pump, q: number, lift: number): number {
  if (!(q > 0)) return 0;
  const shaft = (MW_PER_M3S_M * q * Math.max(lift, 0) * 100) / pumpEfficiency(pump, q, lift);
  return consumptionFromShaft(shaft, pump.motorEff);
}

/** Upflow range (m3/s) at lift h: the curves' first and last points interpolated by lift (clamped). */
export function upflowRange(pump: Pump, lift: number): { min: number; max: number } {
  return { min: interpolate(pump.lowest, lift, 'clamp'), max: interpolate(pump.highest, lift, 'clamp') };
}

/**
 * The self-consistent operating point of a fixed-speed pump at gross head `gross` with lift
 * losses `loss·q²` (m): `h = gross + loss·q(h)²`, solved by bisection on h (q(h) falls as the
 * lift grows, so the residual is monotone).
 */
export function selfConsistentPoint(
  pump: Pump,
  gross: number,
  loss: number,
): { q: number; lift: number; efficiency: number; consumption: number } {
  const residual = (h: number) => gross + loss * upflowRange(pump, h).min ** 2 - h;
  let lo = gross;
  let hi = gross + loss * Math.max(...Array.from(pump.lowest.y)) ** 2 + 1e-9;
  for (let k = 0; k < 200 && hi - lo > 1e-12; k++) {
    const mid = (lo + hi) / 2;
    if (residual(mid) > 0) lo = mid;
    else hi = mid;
  }
  const lift = (lo + hi) / 2;
  const q = upflowRange(pump, lift).min;
  return { q, lift, efficiency: pumpEfficiency(pump, q, lift), consumption: pumpConsumption(pump, q, lift) };
}

export interface PqPoint {
  q: number;
  c: number;
}

/**
 * A pump's consumption curve at one lift, for the LP: when on, upflow `qMin + Σ x_k` with
 * `0 ≤ x_k ≤ length_k` and consumption `cAtQmin + Σ slope_k·x_k`; the points as SHOP reports
 * them (`original_`, `convex_`, `final_pq_curves`).
 */
export interface PumpCurve {
  /** False: the pump cannot run at this lift (its consumption range misses [p_min, p_max]). */
  feasible: boolean;
  qMin: number;
  cAtQmin: number;
  segments: Array<{ length: number; slope: number }>;
  original: PqPoint[];
  convex: PqPoint[];
  final: PqPoint[];
}

/** The lower convex hull of points sorted by q (slopes non-decreasing). */
export function lowerConvexHull(points: readonly PqPoint[]): PqPoint[] {
  const hull: PqPoint[] = [];
  for (const p of points) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // b lies on or above the line a → p: drop it.
      if ((b.c - a.c) * (p.q - a.q) >= (p.c - a.c) * (b.q - a.q)) hull.pop();
      else break;
    }
    hull.push(p);
  }
  return hull;
}

const segmentsOf = (points: readonly PqPoint[]) =>
  points.slice(1).map((p, k) => ({ length: p.q - points[k].q, slope: (p.c - points[k].c) / (p.q - points[k].q) }));

/**
 * The curve at lift h.
 * - fixed-speed: the one point (q(h), c(q(h), h)); `p_min`/`p_max` do not cut it (Tarn).
 * - variable speed: the curves' upflow points between the minimum and maximum upflow at h,
 *   cut to consumption in [p_min, p_max] (on the points' linear interpolation); `convex` is
 *   their lower convex hull (each extra m3/s costs at least as much power as the last); with
 *   binaries the LP takes `convex`, without them `final`: the lower convex hull of (0, 0) and
 *   `convex` (the first point joined to the origin; Tarn takes the hull so that the LP fills
 *   the segments in order).
 */
export function pumpCurve(pump: Pump, lift: number, pMin: number, pMax: number, binaries: boolean): PumpCurve {
  const none: PumpCurve = { feasible: false, qMin: 0, cAtQmin: 0, segments: [], original: [], convex: [], final: [] };
  const range = upflowRange(pump, lift);
  if (pump.binary) {
    const point = { q: range.min, c: pumpConsumption(pump, range.min, lift) };
    if (!(point.q > 0 && point.c > 0)) return none;
    const final = [{ q: 0, c: 0 }, point];
    return { feasible: true, qMin: point.q, cAtQmin: point.c, segments: [], original: [point], convex: [point], final };
  }
  const qs = [range.min, ...pump.curves.grid.filter((q) => q > range.min && q < range.max), range.max];
  const original = [...new Set(qs)].filter((q) => q > 0).map((q) => ({ q, c: pumpConsumption(pump, q, lift) }));
  const cut = cutToConsumption(original, pMin, pMax);
  if (!cut.length) return { ...none, original };
  const convex = lowerConvexHull(cut);
  const final = lowerConvexHull([{ q: 0, c: 0 }, ...convex]);
  const form = binaries ? convex : final;
  return {
    feasible: true,
    qMin: form[0].q,
    cAtQmin: form[0].c,
    segments: segmentsOf(form),
    original,
    convex,
    final,
  };
}

/** The part of a (q, c) polyline with c in [pMin, pMax] (pMax ≤ 0: no upper cut), ends interpolated. */
function cutToConsumption(points: readonly PqPoint[], pMin: number, pMax: number): PqPoint[] {
  const upper = pMax > 0 ? pMax : Infinity;
  const inside = (c: number) => c >= pMin - 1e-9 && c <= upper + 1e-9;
  const out: PqPoint[] = [];
  const crossing = (a: PqPoint, b: PqPoint, level: number) => {
    const w = (level - a.c) / (b.c - a.c);
    return { q: a.q + w * (b.q - a.q), c: level };
  };
  points.forEach((p, i) => {
    if (i > 0) {
      const a = points[i - 1];
      for (const level of [pMin, upper]) {
        if (Number.isFinite(level) && (a.c - level) * (p.c - level) < 0) out.push(crossing(a, p, level));
      }
    }
    if (inside(p.c)) out.push(p);
  });
  return out.sort((a, b) => a.q - b.q).filter((p, i, all) => i === 0 || p.q - all[i - 1].q > 1e-9);
}
