/**
 * Energy conversion factors and end-of-horizon water values (modelling.md §Water values).
 *
 * ECF_r (MWh/Mm3) is the energy 1 Mm3 from reservoir r makes through the plant directly below
 * it, at the best-efficiency point of that plant's first generator running alone, at start
 * levels:
 *
 *   ECF = 9.81 · H_b · (η_turb(Q_b, H_b)/100) · (η_gen(P_b)/100) / 3.6
 *   H_b = start level of r − max(outlet_line, start level downstream) − (main_loss + penstock_loss[k]) · Q_b²
 *
 * Units: 1 Mm3 falling H m at efficiency η gives 1e9 kg · 9.81 · H · η J = 9.81e9·H·η J, and
 * 1 MWh = 3.6e9 J, so the efficiencies enter as *fractions* (percent / 100).
 *
 * Interpretation that reproduces the spec's numbers (583.0006 for Reservoir1, 205.2249 for
 * Reservoir2 of the basic model):
 * - the unit runs alone: one unit on its penstock and in the plant, so the loss is
 *   `(main_loss + penstock_loss[k])·Q²` with k the unit's own penstock;
 * - Q_b maximises `η_turb(Q, H_net(Q))` over the turbine's whole discharge range (not limited by
 *   p_min / p_max), with η_turb interpolated linearly between the head curves at H_net (and
 *   clamped outside their heads) — `bestEfficiencyOnCurve`. On the basic model that is the curve
 *   point 51.43 m3/s for Plant1_Generator1 (H_b = 228 − 0.001·51.43² = 225.35496 m,
 *   η_turb = 94.93698 %) and 220.95 m3/s for Plant2_Generator1 (H_b = 84 − 0.0001·220.95² =
 *   79.11811 m, η_turb = 95.1892 %, the only curve). Taking Q_b as the fixed point "best at
 *   H_b(Q_b)" gives the same points there;
 * - P_b = P(Q_b, H_b) with the generator fixed point, η_gen at P_b (100 % on the basic model);
 * - "first generator" = the first generator connected to the plant, in the order the model
 *   lists them (Plant1_Generator1, Plant2_Generator1);
 * - the downstream start level counts only when the plant discharges into a reservoir.
 */
import { generatorEfficiency, power, turbineEfficiency, type Unit } from './generator.js';
import { aloneLosses, grossHead, netHead } from './plant.js';
import { bestEfficiencyOnCurve } from './pq-curve.js';

/** 1 MWh = 3.6 GJ; 1 Mm3 over H m at efficiency η gives 9.81·H·η GJ. */
const GJ_PER_MWH = 3.6;

export interface EcfInput {
  /** Start level of the reservoir (m). */
  upstreamLevel: number;
  /** Start level of the reservoir the plant discharges into; absent for the sea. */
  downstreamLevel?: number;
  outletLine: number;
  mainLoss: number;
  /** `penstock_loss` of the first generator's penstock. */
  penstockLoss: number;
  /** The plant's first generator. */
  unit: Unit;
}

export interface EcfResult {
  /** MWh per Mm3. */
  ecf: number;
  qBest: number;
  /** Net head at Q_b (m). */
  headBest: number;
  /** η_turb(Q_b, H_b), percent. */
  turbineEfficiency: number;
  /** P_b (MW). */
  powerBest: number;
  /** η_gen(P_b), percent. */
  generatorEfficiency: number;
}

/** The energy conversion factor of a reservoir through the plant below it (see the module comment). */
export function energyConversionFactor(input: EcfInput): EcfResult {
  const { unit } = input;
  const gross = grossHead(input.upstreamLevel, input.outletLine, input.downstreamLevel);
  const losses = aloneLosses(input.penstockLoss, input.mainLoss);
  const headOf = (q: number) => netHead(gross, losses, q);
  const qBest = bestEfficiencyOnCurve(unit, headOf, unit.turbine.qMin, unit.turbine.qMax).q;
  const headBest = headOf(qBest);
  const etaTurb = turbineEfficiency(unit.turbine, qBest, headBest);
  const powerBest = power(unit, qBest, headBest);
  const etaGen = generatorEfficiency(unit.genEff, powerBest);
  const ecf = headBest > 0 ? (9.81 * headBest * (etaTurb / 100) * (etaGen / 100)) / GJ_PER_MWH : 0;
  return {
    ecf,
    qBest,
    headBest,
    turbineEfficiency: etaTurb,
    powerBest,
    generatorEfficiency: etaGen,
  };
}

/** One reservoir of a cascade, for water values. */
export interface WaterValueNode {
  name: string;
  /** currency/MWh; 0 when absent. */
  energyValueInput?: number;
  /** MWh/Mm3; 0 when the reservoir has no plant below it. */
  ecf?: number;
  /** The reservoir r's plant discharges into; absent for the sea. */
  downstream?: string;
  /**
   * A value per Mm3 that replaces the computed one (a water-value table's, modelling-2.md §5:
   * its marginal value at the start volume); reservoirs above add it as their downstream value.
   */
  fixedValue?: number;
}

/**
 * Water values (currency/Mm3) over a cascade: `WV_r = energy_value_input_r · ECF_r + WV_down(r)`,
 * the sea being 0 (SHOP output `calc_global_water_value`), or a node's fixed value. Computed downstream first; throws on a
 * cycle or on an unknown downstream name.
 */
export function waterValues(nodes: readonly WaterValueNode[]): Map<string, number> {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const values = new Map<string, number>();
  const visiting = new Set<string>();
  const valueOf = (name: string): number => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const node = byName.get(name);
    if (!node) throw new RangeError(`water values: unknown reservoir ${name}`);
    if (node.fixedValue !== undefined) {
      values.set(name, node.fixedValue);
      return node.fixedValue;
    }
    if (visiting.has(name)) throw new RangeError(`water values: cycle through ${name}`);
    visiting.add(name);
    const down = node.downstream === undefined ? 0 : valueOf(node.downstream);
    visiting.delete(name);
    const value = (node.energyValueInput ?? 0) * (node.ecf ?? 0) + down;
    values.set(name, value);
    return value;
  };
  for (const node of nodes) valueOf(node.name);
  return values;
}
