/** The objective of the last iteration, in SHOP's `objective` attributes. */
import { stepIntegral } from '../physics/end-value.js';
import { MM3_PER_M3S_HOUR } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { WaterwayCostPart } from '../problem/waterways.js';
import type { GateCosts } from './gate-results.js';
import type { ReserveCosts } from './reserve-results.js';

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
  /** Pumps (modelling-2.md §1): schedule deviations at the pump schedule penalty costs. */
  pump_schedule_penalty?: number;
  nonphysical_spill_cost: number;
  nonphysical_spill_volume: number;
  vow_in_transit: number;
  river_min_flow_penalty: number;
  river_max_flow_penalty: number;
  river_flow_penalty: number;
  river_flow_schedule_penalty: number;
  river_ramping_penalty: number;
  /** Rivers whose gate moves at a cost (families/river-gates.ts). */
  river_gate_adjustment_penalty?: number;
  /** Gate flow functions (modelling-2.md §3.2), when a gate has them or a discharge_fee. */
  gate_discharge_cost?: number;
  gate_slack_cost?: number;
  gate_ramping_penalty?: number;
  /** Soft gate min_flow/max_flow (min/max_q_penalty_*): in minor_penalties (Tarn; logged). */
  gate_q_constr_penalty?: number;
  /** Reserve capacity (modelling-2.md §4), when the model has reserve groups. */
  reserve_sale_buy?: number;
  reserve_oblig_value?: number;
  reserve_allocation_cost?: number;
  reserve_violation_penalty?: number;
  reserve_slack_cost?: number;
  reserve_schedule_penalty?: number;
  /** Reserve ramping (smooth reserve): no SHOP field; Tarn counts it in minor_penalties (logged). */
  reserve_ramping_cost?: number;
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
  /** Overflow (reservoirs.ts): its cost, split by whether the storage was at or above max_vol. */
  overflowCost: number;
  overflowVolume: number;
  /** Tunnel networks' costs; all of them count as minor penalties (tunnel flow penalties and gate adjustments have no SHOP field). */
  tunnels?: Record<WaterwayCostPart, number>;
  /** Pumps: schedule deviation costs (a minor penalty) and the plants' consumption fees (in total). */
  pumpSchedulePenalty?: number;
  consumptionFee?: number;
  nonphysicalSpillCost?: number;
  nonphysicalSpillVolume?: number;
  /** Cost-signed value of the water still travelling at the end (negative: worth something). */
  vowInTransit?: number;
  /** River costs and penalties by objective field (`river_min_flow_penalty`, ...). */
  river?: Partial<Record<RiverObjectiveField, number>>;
  /** Gate costs (gate-results.ts); Tarn sums them in minor_penalties (spill curves in gate_spill_cost). */
  gate?: GateCosts;
  /** Cut groups (cut-results.ts): their water's worth (currency, positive) at the start and at the end. */
  cutGroups?: { start: number; end: number };
  /** Reserve capacity (reserve-results.ts). */
  reserves?: ReserveCosts;
}

export type RiverObjectiveField =
  | 'river_min_flow_penalty'
  | 'river_max_flow_penalty'
  | 'river_flow_penalty'
  | 'river_flow_schedule_penalty'
  | 'river_ramping_penalty'
  | 'river_gate_adjustment_penalty';

/**
 * What `volume` Mm3 left in reservoir r at the end is worth (currency): its global water value
 * times the volume, or the step integral of its water-value table (modelling-2.md §5).
 */
export function waterLeftValue(system: HydroSystem, waterValues: number[], r: number, volume: number): number {
  const table = system.reservoirs[r].endValueTable;
  return table?.kind === 'segments' ? stepIntegral(table.segments, volume) : waterValues[r] * volume;
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
  const { overflowCost, overflowVolume, nonphysicalSpillCost = 0, nonphysicalSpillVolume = 0 } = parts;
  const vowInTransit = parts.vowInTransit ?? 0;
  const river = (field: RiverObjectiveField) => parts.river?.[field] ?? 0;
  const riverPenalties =
    river('river_min_flow_penalty') +
    river('river_max_flow_penalty') +
    river('river_flow_penalty') +
    river('river_flow_schedule_penalty') +
    river('river_ramping_penalty') +
    river('river_gate_adjustment_penalty');
  const worth = (r: number, volume: number) => waterLeftValue(system, waterValues, r, volume);
  const cuts = parts.cutGroups ?? { start: 0, end: 0 };
  const rsvEndValue = -system.reservoirs.reduce((sum, _, r) => sum + worth(r, end[r]), 0) - cuts.end;
  const rsvEndValueRelative =
    system.reservoirs.reduce((sum, _, r) => sum + worth(r, start[r]) - worth(r, end[r]), 0) + cuts.start - cuts.end;
  const tunnels = parts.tunnels;
  const tunnelCosts = tunnels ? Object.values(tunnels).reduce((sum, cost) => sum + cost, 0) : 0;
  const major = rsvPenalty + rsvHardLimitPenalty + loadPenalty;
  const pumpSchedulePenalty = parts.pumpSchedulePenalty ?? 0;
  // Overflow is spill through the spill gates: gate_spill_cost, a minor penalty, split into
  // physical (storage at or above max_vol) and nonphysical spill. River penalties: Tarn's group.
  const gate = parts.gate;
  const gateSpill = spill + overflowCost + nonphysicalSpillCost + (gate?.spillCurve ?? 0);
  const gateCosts = gate ? gate.discharge + gate.slack + gate.ramping + (gate.qConstr ?? 0) : 0;
  // Reserves (modelling-2.md, common rules): violation, slack, schedule and (Tarn) ramping
  // penalties are minor penalties; the units' reserve costs (reserve_allocation_cost) count in total (Tarn).
  const reserves = parts.reserves;
  const { penalties: reservePenalties, cost: reserveCost } = reserveTotals(reserves);
  const minor = gateSpill + bypass + riverPenalties + pumpSchedulePenalty + gateCosts + tunnelCosts + reservePenalties;
  const penalties = major + minor;
  // Tarn: the consumption fee has no field of its own in SHOP's objective; it counts in total.
  const total = marketSaleBuy + startupCosts + penalties + (parts.consumptionFee ?? 0) + vowInTransit + reserveCost;
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
    gate_spill_cost: gateSpill,
    bypass_cost: bypass,
    physical_spill_cost: overflowCost,
    physical_spill_volume: overflowVolume,
    ...(tunnels
      ? { creek_spill_cost: tunnels.creek_spill_cost, junction_slack_cost: tunnels.junction_slack_cost }
      : {}),
    ...(parts.pumpSchedulePenalty !== undefined ? { pump_schedule_penalty: pumpSchedulePenalty } : {}),
    nonphysical_spill_cost: nonphysicalSpillCost,
    nonphysical_spill_volume: nonphysicalSpillVolume,
    vow_in_transit: vowInTransit,
    river_min_flow_penalty: river('river_min_flow_penalty'),
    river_max_flow_penalty: river('river_max_flow_penalty'),
    river_flow_penalty: river('river_flow_penalty'),
    river_flow_schedule_penalty: river('river_flow_schedule_penalty'),
    river_ramping_penalty: river('river_ramping_penalty'),
    ...(parts.river?.river_gate_adjustment_penalty !== undefined
      ? { river_gate_adjustment_penalty: river('river_gate_adjustment_penalty') }
      : {}),
    ...(gate
      ? { gate_discharge_cost: gate.discharge, gate_slack_cost: gate.slack, gate_ramping_penalty: gate.ramping }
      : {}),
    ...(gate?.qConstr !== undefined ? { gate_q_constr_penalty: gate.qConstr } : {}),
    ...reserveFields(reserves),
  };
}

/** The objective's reserve fields (modelling-2.md §4), when the model has reserve groups. */
function reserveFields(reserves: ReserveCosts | undefined): Partial<ObjectiveBreakdown> {
  if (!reserves) return {};
  return {
    reserve_sale_buy: reserves.saleBuy,
    reserve_oblig_value: reserves.obligValue,
    reserve_allocation_cost: reserves.allocationCost,
    reserve_violation_penalty: reserves.violationPenalty,
    reserve_slack_cost: reserves.slackCost,
    reserve_schedule_penalty: reserves.schedulePenalty,
    reserve_ramping_cost: reserves.rampingCost,
  };
}

/** The reserves' penalties (minor) and their allocation cost (in total), 0 without reserves. */
function reserveTotals(reserves: ReserveCosts | undefined): { penalties: number; cost: number } {
  if (!reserves) return { penalties: 0, cost: 0 };
  return {
    penalties: reserves.violationPenalty + reserves.slackCost + reserves.schedulePenalty + reserves.rampingCost,
    // total sums reserve_sale_buy and reserve_oblig_value (common rules) and, Tarn, the allocation cost.
    cost: reserves.allocationCost + reserves.saleBuy + reserves.obligValue,
  };
}
