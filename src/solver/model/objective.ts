/** The objective of the last iteration, in SHOP's `objective` attributes. */
import { MM3_PER_M3S_HOUR } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { WaterwayCostPart } from '../problem/waterways.js';

/** Small costs so that water is not spilled or bypassed when a plant could use it (currency/Mm3). */
export const SPILL_COST = 0.01 / MM3_PER_M3S_HOUR;
export const BYPASS_COST = 0.01 / MM3_PER_M3S_HOUR;

export interface ObjectiveBreakdown {
  grand_total: number;
  total: number;
  market_sale_buy: number;
  startup_costs: number;
  rsv_end_value: number;
  rsv_end_value_relative: number;
  sum_penalties: number;
  major_penalties: number;
  minor_penalties: number;
  rsv_penalty: number;
  rsv_hard_limit_penalty: number;
  load_penalty: number;
  gate_spill_cost: number;
  bypass_cost: number;
  physical_spill_cost: number;
  physical_spill_volume: number;
  /** Tunnel networks only (modelling-2.md, common rules): parts of minor_penalties. */
  creek_spill_cost?: number;
  junction_slack_cost?: number;
}

/** The objective's parts, each summed over the horizon from the recomputed results. */
export interface ObjectiveParts {
  marketSaleBuy: number;
  startupCosts: number;
  spill: number;
  bypass: number;
  rsvPenalty: number;
  rsvHardLimitPenalty: number;
  loadPenalty: number;
  overflowCost: number;
  overflowVolume: number;
  /** Tunnel networks' costs; all of them count as minor penalties (tunnel flow penalties and gate adjustments have no SHOP field). */
  waterways?: Record<WaterwayCostPart, number>;
}

/** The breakdown, with the end value of the water left (`end`: Mm3 per reservoir at the end). */
export function objectiveBreakdown(
  system: HydroSystem,
  waterValues: number[],
  start: number[],
  end: number[],
  parts: ObjectiveParts,
): ObjectiveBreakdown {
  const { marketSaleBuy, startupCosts, spill, bypass, rsvPenalty, rsvHardLimitPenalty, loadPenalty } = parts;
  const { overflowCost, overflowVolume } = parts;
  const rsvEndValue = -system.reservoirs.reduce((sum, _, r) => sum + waterValues[r] * end[r], 0);
  const rsvEndValueRelative = system.reservoirs.reduce((sum, _, r) => sum + waterValues[r] * (start[r] - end[r]), 0);
  const major = rsvPenalty + rsvHardLimitPenalty + loadPenalty + overflowCost;
  const waterways = parts.waterways;
  const minor = spill + bypass + (waterways ? Object.values(waterways).reduce((sum, cost) => sum + cost, 0) : 0);
  const penalties = major + minor;
  const total = marketSaleBuy + startupCosts + penalties;
  return {
    grand_total: total + rsvEndValue,
    total,
    market_sale_buy: marketSaleBuy,
    startup_costs: startupCosts,
    rsv_end_value: rsvEndValue,
    rsv_end_value_relative: rsvEndValueRelative,
    sum_penalties: penalties,
    major_penalties: major,
    minor_penalties: minor,
    rsv_penalty: rsvPenalty,
    rsv_hard_limit_penalty: rsvHardLimitPenalty,
    load_penalty: loadPenalty,
    gate_spill_cost: spill,
    bypass_cost: bypass,
    physical_spill_cost: overflowCost,
    physical_spill_volume: overflowVolume,
    ...(waterways
      ? { creek_spill_cost: waterways.creek_spill_cost, junction_slack_cost: waterways.junction_slack_cost }
      : {}),
  };
}
