/**
 * PQ curves (modelling.md §PQ curves): the power of one unit as a piecewise-linear concave
 * function of its discharge, at one gross head, in the two forms the LP uses.
 *
 * `P(Q) = power(unit, Q, H_net(Q))` with `H_net(Q)` from plant.ts (losses at the counted units'
 * common flow). Definitions used here:
 *
 * - turbine minimum / maximum: the smallest / largest discharge of any `turb_eff_curves` curve;
 * - `Q at p` (for p_min, p_max): by bisection on P(Q) over the turbine range, to 1e-10 m3/s
 *   (P is increasing in Q on any realistic curve; with a non-monotone P the crossing found is
 *   one of them);
 * - `Q_min = max(turbine min, Q at p_min)`, `Q_max = min(turbine max, Q at p_max)`;
 * - `Q_best`: the discharge in `[Q_min, Q_max]` of best turbine efficiency along the curve,
 *   i.e. maximising `η_turb(Q, H_net(Q))`. Candidates are the curve points (the kinks of η in Q)
 *   and the range ends; the best candidate is then refined by golden-section search between its
 *   neighbours (η along the curve is not piecewise linear when H_net varies with Q), to 1e-9 m3/s
 *   in bracket width — in practice a few 1e-6 m3/s, since a smooth maximum is flat to rounding there.
 *   Ties go to the smaller discharge;
 * - breakpoints: `nsegBelow` equal steps from Q_min to Q_best and `nsegAbove` equal steps from
 *   Q_best to Q_max (coincident points merged), P at each, then the upper concave hull.
 *
 * Forms:
 * - with binaries: `Q = u·Q_min + Σ x_k`, `P = u·pAtQmin + Σ slope_k·x_k`, `0 ≤ x_k ≤ length_k·u`;
 *   `points` are the hull points from Q_min to Q_max;
 * - without binaries: the straight line from (0, 0), then the segments above; `qMin = pAtQmin =
 *   0` so that `Q = Σ x_k`, `P = Σ slope_k·x_k`. The line ends where it touches the curve: at
 *   the hull point of most power per water (P/Q). Without losses that is Q_best (at a fixed
 *   head, best efficiency is most P/Q); with losses the net head falls with Q, so P/Q peaks
 *   below Q_best, and a line ending at Q_best would pass *under* curve points (the basic
 *   model's Plant1 at both units' losses: P/Q 2.0256 MW per m3/s at the breakpoint 44.53 m3/s,
 *   2.0197 at Q_best = 51.43). The relaxed curve is therefore the concave hull of (0, 0) and
 *   the curve with binaries: the envelope of running the unit at any share of the time.
 */
import { turbineEfficiency, power, type Unit } from './generator.js';
import { netHead, type UnitLosses } from './plant.js';

export interface PqPoint {
  q: number;
  p: number;
}

export interface PqSegment {
  /** Discharge width of the segment (m3/s). */
  length: number;
  /** Power per discharge on the segment (MW per m3/s). */
  slope: number;
}

export interface PqForm {
  qMin: number;
  qBest: number;
  qMax: number;
  points: PqPoint[];
  segments: PqSegment[];
  pAtQmin: number;
}

export interface PqCurve {
  /** False when the unit cannot reach p_min (or the range is empty) at this head: do not run it. */
  feasible: boolean;
  grossHead: number;
  /** The raw breakpoints, before the hull. */
  breakpoints: PqPoint[];
  withBinaries: PqForm;
  withoutBinaries: PqForm;
}

export interface PqUnit extends Unit {
  pMin?: number;
  pMax?: number;
}

export interface PqOptions {
  nsegBelow?: number;
  nsegAbove?: number;
}

const Q_TOLERANCE = 1e-10;
/** Relative tolerance on f when solving f(q) = target. */
const F_TOLERANCE = 1e-13;
const MERGE_TOLERANCE = 1e-9;

/**
 * Discharge at which `f` reaches `target` on `[lo, hi]`, given `f(lo) < target <= f(hi)` and f
 * increasing: regula falsi with the Illinois step (a handful of evaluations where bisection
 * needs forty), falling back to bisection when an estimate leaves the bracket.
 */
export function bisect(f: (q: number) => number, target: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  let fa = f(a) - target;
  let fb = f(b) - target;
  if (fb <= 0) return b;
  if (fa >= 0) return a;
  let kept = 0; // which end stayed in the last step: -1 a, 1 b
  for (let k = 0; k < 200 && b - a > Q_TOLERANCE; k++) {
    let c = (a * fb - b * fa) / (fb - fa);
    if (!(c > a && c < b)) c = 0.5 * (a + b);
    const fc = f(c) - target;
    if (Math.abs(fc) <= F_TOLERANCE * Math.max(1, Math.abs(target))) return c;
    if (fc < 0) {
      a = c;
      fa = fc;
      if (kept === 1) fb /= 2;
      kept = 1;
    } else {
      b = c;
      fb = fc;
      if (kept === -1) fa /= 2;
      kept = -1;
    }
  }
  return 0.5 * (a + b);
}

/** Maximiser of `f` on `[lo, hi]` by golden-section search (f unimodal there), to `tolerance`. */
export function goldenMax(f: (q: number) => number, lo: number, hi: number, tolerance = MERGE_TOLERANCE): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return 0.5 * (a + b);
}

/**
 * Discharge in `[qLo, qHi]` maximising `η_turb(Q, headOf(Q))` (see the module comment).
 * With a constant `headOf` this is exactly a curve point or range end.
 */
export function bestEfficiencyOnCurve(
  unit: Unit,
  headOf: (q: number) => number,
  qLo: number,
  qHi: number,
): { q: number; efficiency: number } {
  const eta = (q: number) => turbineEfficiency(unit.turbine, q, headOf(q));
  const candidates = [qLo, ...unit.turbine.grid.filter((q) => q > qLo && q < qHi), qHi];
  let bestIndex = 0;
  let bestEta = eta(qLo);
  for (let i = 1; i < candidates.length; i++) {
    const value = eta(candidates[i]);
    if (value > bestEta) {
      bestEta = value;
      bestIndex = i;
    }
  }
  const left = candidates[Math.max(0, bestIndex - 1)];
  const right = candidates[Math.min(candidates.length - 1, bestIndex + 1)];
  if (right - left > MERGE_TOLERANCE) {
    const refined = goldenMax(eta, left, right);
    const refinedEta = eta(refined);
    if (refinedEta > bestEta + 1e-12) return { q: refined, efficiency: refinedEta };
  }
  return { q: candidates[bestIndex], efficiency: bestEta };
}

/** Upper concave hull of points sorted by q (collinear middle points dropped). */
export function concaveHull(points: readonly PqPoint[]): PqPoint[] {
  const hull: PqPoint[] = [];
  for (const point of points) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // b is dropped when it is on or below the chord a -> point.
      const cross = (b.q - a.q) * (point.p - a.p) - (b.p - a.p) * (point.q - a.q);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(point);
  }
  return hull;
}

/** Segments between consecutive points. */
export function segmentsOf(points: readonly PqPoint[]): PqSegment[] {
  const segments: PqSegment[] = [];
  for (let i = 1; i < points.length; i++) {
    const length = points[i].q - points[i - 1].q;
    segments.push({ length, slope: (points[i].p - points[i - 1].p) / length });
  }
  return segments;
}

/** Equally spaced discharges from `from` to `to` in `steps` steps, both ends included. */
function steps(from: number, to: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= count; i++) out.push(i === count ? to : from + ((to - from) * i) / count);
  return out;
}

const emptyForm = (): PqForm => ({ qMin: 0, qBest: 0, qMax: 0, points: [], segments: [], pAtQmin: 0 });

const infeasibleCurve = (grossHead: number): PqCurve => ({
  feasible: false,
  grossHead,
  breakpoints: [],
  withBinaries: emptyForm(),
  withoutBinaries: emptyForm(),
});

/** The PQ curve of one unit at one gross head (see the module comment for every definition). */
export function pqCurve(unit: PqUnit, grossHead: number, losses: UnitLosses, options: PqOptions = {}): PqCurve {
  const nsegBelow = Math.max(1, Math.round(options.nsegBelow ?? 3));
  const nsegAbove = Math.max(1, Math.round(options.nsegAbove ?? 3));
  const headOf = (q: number) => netHead(grossHead, losses, q);
  const powerOf = (q: number) => power(unit, q, headOf(q));
  const { qMin: turbineMin, qMax: turbineMax } = unit.turbine;
  const pMin = unit.pMin ?? 0;
  const pMax = unit.pMax ?? Infinity;
  const pAtTurbineMin = powerOf(turbineMin);
  const pAtTurbineMax = powerOf(turbineMax);
  if (pAtTurbineMax < pMin || !(pAtTurbineMax > 0)) return infeasibleCurve(grossHead);
  const qMin = pAtTurbineMin >= pMin ? turbineMin : bisect(powerOf, pMin, turbineMin, turbineMax);
  const qMax = pAtTurbineMax <= pMax ? turbineMax : bisect(powerOf, pMax, turbineMin, turbineMax);
  if (qMax < qMin) return infeasibleCurve(grossHead);
  const qBest = bestEfficiencyOnCurve(unit, headOf, qMin, qMax).q;

  const qs = [...steps(qMin, qBest, nsegBelow), ...steps(qBest, qMax, nsegAbove).slice(1)];
  const merged = qs.filter((q, i) => i === 0 || q - qs[i - 1] > MERGE_TOLERANCE);
  const breakpoints = merged.map((q) => ({ q, p: powerOf(q) }));

  const hull = concaveHull(breakpoints);
  const withBinaries: PqForm = {
    qMin,
    qBest,
    qMax,
    points: hull,
    segments: segmentsOf(hull),
    pAtQmin: hull[0].p,
  };

  const relaxedPoints = concaveHull([{ q: 0, p: 0 }, ...hull]);
  const withoutBinaries: PqForm = {
    qMin: 0,
    qBest,
    qMax: relaxedPoints[relaxedPoints.length - 1].q,
    points: relaxedPoints,
    segments: segmentsOf(relaxedPoints),
    pAtQmin: 0,
  };
  return { feasible: true, grossHead, breakpoints, withBinaries, withoutBinaries };
}

/** `pqCurve` for one unit over many gross heads (e.g. every step of the horizon). */
export function pqCurves(
  unit: PqUnit,
  grossHeads: ArrayLike<number>,
  losses: UnitLosses,
  options: PqOptions = {},
): PqCurve[] {
  return Array.from(grossHeads, (head) => pqCurve(unit, head, losses, options));
}
