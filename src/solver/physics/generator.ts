/**
 * Generator physics (modelling.md §generator): turbine and generator efficiency and the power
 * a unit makes from water.
 *
 * `P(Q, H) = 9.81e-3 · Q · H · η_turb(Q, H)/100 · η_gen(P)/100` with Q in m3/s, H the net head
 * in m, P in MW and efficiencies in percent (ρ = 1000 kg/m3, g = 9.81 m/s2).
 *
 * Efficiencies are *clamped* outside their tables: outside the head range of `turb_eff_curves`
 * the nearest head curve is used; within a curve, discharges outside it take the end value; the
 * same for `gen_eff_curve` against power.
 */
import { interpolate, slopeAt, type Table } from './piecewise.js';

/** One turbine efficiency curve: efficiency (%) vs discharge (m3/s) at net head `ref` (m). */
export interface HeadCurve extends Table {
  readonly ref: number;
}

/** MW per (m3/s · m) at 100 % efficiency: ρ·g/1e6 = 1000·9.81/1e6. */
export const MW_PER_M3S_M = 9.81e-3;

/**
 * `turb_eff_curves` prepared once for many evaluations: curves sorted by head, and the union of
 * their discharge points (`grid`), between which η_turb is linear in Q at any fixed head.
 */
export interface Turbine {
  readonly curves: readonly HeadCurve[];
  readonly heads: readonly number[];
  /** All discharge points of all curves, ascending, without duplicates. */
  readonly grid: readonly number[];
  /** Smallest discharge of any curve: the turbine minimum. */
  readonly qMin: number;
  /** Largest discharge of any curve: the turbine maximum. */
  readonly qMax: number;
}

/** Sorts and indexes `turb_eff_curves` (throws on an empty list or duplicate heads). */
export function prepareTurbine(curves: readonly HeadCurve[]): Turbine {
  if (curves.length === 0) throw new RangeError('turb_eff_curves is empty');
  const sorted = [...curves].sort((a, b) => a.ref - b.ref);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].ref === sorted[i - 1].ref) throw new RangeError(`turb_eff_curves: head ${sorted[i].ref} twice`);
  }
  const grid = [...new Set(sorted.flatMap((c) => Array.from(c.x)))].sort((a, b) => a - b);
  return {
    curves: sorted,
    heads: sorted.map((c) => c.ref),
    grid,
    qMin: grid[0],
    qMax: grid[grid.length - 1],
  };
}

/** Index of the lower head curve and the weight of the upper one at net head `head` (clamped). */
function headBracket(turbine: Turbine, head: number): { lo: number; weight: number; dWeightDHead: number } {
  const { heads } = turbine;
  const n = heads.length;
  if (n === 1 || head <= heads[0]) return { lo: 0, weight: 0, dWeightDHead: 0 };
  if (head >= heads[n - 1]) return { lo: n - 2, weight: 1, dWeightDHead: 0 };
  let lo = 0;
  while (heads[lo + 1] <= head) lo++;
  const span = heads[lo + 1] - heads[lo];
  return { lo, weight: (head - heads[lo]) / span, dWeightDHead: 1 / span };
}

/**
 * η_turb (%) at discharge `q` and net head `head`: each head curve interpolated in Q (clamped),
 * then linearly between the two curves whose heads bracket `head` (clamped to the head range).
 */
export function turbineEfficiency(turbine: Turbine, q: number, head: number): number {
  // headBracket's arithmetic, without its object: the PQ curves call this most of all.
  const { heads, curves } = turbine;
  const n = heads.length;
  if (n === 1 || head <= heads[0]) return interpolate(curves[0], q, 'clamp');
  let lo = n - 2;
  let weight = 1;
  if (head < heads[n - 1]) {
    lo = 0;
    while (heads[lo + 1] <= head) lo++;
    weight = (head - heads[lo]) / (heads[lo + 1] - heads[lo]);
  }
  const low = interpolate(curves[lo], q, 'clamp');
  if (weight === 0) return low;
  return low + weight * (interpolate(curves[lo + 1], q, 'clamp') - low);
}

/** ∂η_turb/∂H (% per m) at fixed Q: 0 outside the head range and for a single curve. */
export function turbineEfficiencyDHead(turbine: Turbine, q: number, head: number): number {
  const { lo, dWeightDHead } = headBracket(turbine, head);
  if (dWeightDHead === 0) return 0;
  return (interpolate(turbine.curves[lo + 1], q, 'clamp') - interpolate(turbine.curves[lo], q, 'clamp')) * dWeightDHead;
}

/**
 * Discharge of best turbine efficiency at a *fixed* net head, within `[qLo, qHi]` (default: the
 * turbine range). At fixed head η_turb is piecewise linear in Q with kinks only at `grid`, so
 * the maximum is at a grid point or an end of the range: this is exact. Ties go to the smallest Q.
 */
export function bestEfficiencyDischarge(
  turbine: Turbine,
  head: number,
  qLo = turbine.qMin,
  qHi = turbine.qMax,
): { q: number; efficiency: number } {
  let best = { q: qLo, efficiency: turbineEfficiency(turbine, qLo, head) };
  const consider = (q: number) => {
    const efficiency = turbineEfficiency(turbine, q, head);
    if (efficiency > best.efficiency) best = { q, efficiency };
  };
  for (const q of turbine.grid) if (q > qLo && q < qHi) consider(q);
  consider(qHi);
  return best;
}

/** η_gen (%) at power `p` (MW), clamped; no curve means 100 %. */
export function generatorEfficiency(genEff: Table | undefined, p: number): number {
  return genEff ? interpolate(genEff, p, 'clamp') : 100;
}

/**
 * Power P (MW) from `shaft` power (MW, = 9.81e-3·Q·H·η_turb/100), i.e. the solution of
 * `P = shaft · η_gen(P)/100`.
 *
 * Exact, not iterated: η_gen is piecewise linear (clamped), so on each of its pieces
 * `η_gen(P) = a + b·P` and `P = shaft·a/(100 − shaft·b)`; the answer is the candidate that lies
 * in its own piece (the smallest one if several do — physically `shaft·b < 100` and there is
 * exactly one). If none does (a malformed curve), falls back to 50 fixed-point iterations from
 * η_gen at the shaft power. Result accurate to rounding (~1e-12 relative).
 */
export function powerFromShaft(shaft: number, genEff: Table | undefined): number {
  if (!(shaft > 0)) return 0;
  if (!genEff || genEff.x.length === 1) return (shaft * generatorEfficiency(genEff, 0)) / 100;
  const { x, y } = genEff;
  const n = x.length;
  // Pieces: (-inf, x0] constant y0; [x_i, x_{i+1}] linear; [x_{n-1}, inf) constant y_{n-1}.
  // The answer is the smallest positive fixed point over the pieces (no arrays: this is hot).
  let best = Infinity;
  const constantLow = (shaft * y[0]) / 100;
  if (constantLow <= x[0] && constantLow > 0) best = constantLow;
  for (let i = 0; i < n - 1; i++) {
    const b = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
    const a = y[i] - b * x[i];
    const denominator = 100 - shaft * b;
    if (denominator <= 0) continue;
    const p = (shaft * a) / denominator;
    const tolerance = 1e-12 * Math.max(1, Math.abs(p));
    if (p >= x[i] - tolerance && p <= x[i + 1] + tolerance && p > 0 && p < best) best = p;
  }
  const constantHigh = (shaft * y[n - 1]) / 100;
  if (constantHigh >= x[n - 1] && constantHigh > 0 && constantHigh < best) best = constantHigh;
  if (best < Infinity) return best;
  let p = (shaft * generatorEfficiency(genEff, shaft)) / 100;
  for (let k = 0; k < 50; k++) p = (shaft * generatorEfficiency(genEff, p)) / 100;
  return p;
}

/** A unit's efficiency data, prepared. */
export interface Unit {
  readonly turbine: Turbine;
  readonly genEff?: Table;
}

/** Shaft (turbine output) power, MW: 9.81e-3 · Q · H · η_turb(Q, H)/100; 0 for Q ≤ 0 or H ≤ 0. */
export function shaftPower(turbine: Turbine, q: number, head: number): number {
  if (!(q > 0) || !(head > 0)) return 0;
  return (MW_PER_M3S_M * q * head * turbineEfficiency(turbine, q, head)) / 100;
}

/** Electric power P (MW) of a unit at discharge `q` (m3/s) and net head `head` (m). */
export function power(unit: Unit, q: number, head: number): number {
  return powerFromShaft(shaftPower(unit.turbine, q, head), unit.genEff);
}

/**
 * ∂P/∂H (MW per m) at fixed discharge, analytic. With s = 9.81e-3·Q·(H·η_t)/100 the shaft power
 * and P = s·η_g(P)/100: `∂P/∂H = ∂s/∂H · (η_g/100) / (1 − s·η_g'(P)/100)`, where
 * `∂s/∂H = 9.81e-3·Q·(η_t + H·∂η_t/∂H)/100`. Uses the right derivative at breakpoints.
 */
export function dPowerDHead(unit: Unit, q: number, head: number): number {
  if (!(q > 0) || !(head > 0)) return 0;
  const { turbine, genEff } = unit;
  const etaT = turbineEfficiency(turbine, q, head);
  const dShaft = (MW_PER_M3S_M * q * (etaT + head * turbineEfficiencyDHead(turbine, q, head))) / 100;
  const shaft = (MW_PER_M3S_M * q * head * etaT) / 100;
  const p = powerFromShaft(shaft, genEff);
  const etaG = generatorEfficiency(genEff, p);
  const dEtaG = genEff ? slopeAt(genEff, p, 'clamp') : 0;
  return (dShaft * etaG) / 100 / (1 - (shaft * dEtaG) / 100);
}
