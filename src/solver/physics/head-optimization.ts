/**
 * Head-optimization coefficients (modelling.md §Head optimization).
 *
 * Using water lowers the head. From the third full iteration on, each step's power of plant p
 * gets the term `k_{p,t} · (V_up[t-1] − V⁰_up[t-1])` with
 *
 *   k_{p,t} = Σ_units ∂P/∂H(Q⁰, H⁰) · d(level)/dV(V⁰_up[t-1])
 *
 * over the units that ran at t in the previous iteration (MW per Mm3). When the downstream
 * reservoir's level sets the tailwater, the same sum times its d(level)/dV is *subtracted*
 * (a higher tailwater lowers the head). The plain derivative, unscaled.
 */
import { dPowerDHead, type Unit } from './generator.js';
import { dLevelDVolume } from './reservoir.js';
import type { Table } from './piecewise.js';

/** ∂P/∂H (MW/m) of a unit at discharge `q` and net head `head`; see `dPowerDHead`. */
export const dPdH = dPowerDHead;

/** A unit's operating point in the previous iteration. */
export interface UnitOperatingPoint {
  unit: Unit;
  /** Discharge (m3/s); units with q ≤ 0 did not run and contribute nothing. */
  q: number;
  /** Net head (m). */
  head: number;
}

/** Σ ∂P/∂H over the units that ran (MW per m). */
export function plantDPowerDHead(units: readonly UnitOperatingPoint[]): number {
  let sum = 0;
  for (const { unit, q, head } of units) if (q > 0) sum += dPowerDHead(unit, q, head);
  return sum;
}

/**
 * Coefficients of the head-optimization terms of one plant and step (MW per Mm3):
 * `upstream` multiplies `(V_up[t-1] − V⁰_up[t-1])` and is added to the plant's power;
 * `downstream` multiplies `(V_down[t-1] − V⁰_down[t-1])` and is subtracted — it is 0 unless the
 * downstream level set the tailwater (`downstreamSetsTailwater`).
 */
export function headCoefficients(
  units: readonly UnitOperatingPoint[],
  upstreamVolHead: Table,
  upstreamVolume: number,
  downstream?: { volHead: Table; volume: number; setsTailwater: boolean },
): { upstream: number; downstream: number } {
  const dPdHsum = plantDPowerDHead(units);
  const upstream = dPdHsum * dLevelDVolume(upstreamVolHead, upstreamVolume);
  const down =
    downstream && downstream.setsTailwater ? dPdHsum * dLevelDVolume(downstream.volHead, downstream.volume) : 0;
  return { upstream, downstream: down };
}
