/**
 * What one iteration's problem is built from (`IterationInput`) and where its quantities end
 * up in the solution vector (`ColumnIndex`); see iteration-problem.ts.
 */
import type { HydroSystem } from './hydro-system.js';
import type { ReserveKey } from './reserve-types.js';
import type { WaterwayColumns, WaterwayPoint } from './waterways.js';

/**
 * A unit's power as a function of its discharge at one step: when on, discharge
 * `qMin + Σ x_k` with `0 <= x_k <= length_k` and power `pAtQmin + Σ slope_k·x_k`. The
 * relaxed form (no binaries) starts at the origin: qMin = pAtQmin = 0.
 */
export interface UnitCurve {
  qMin: number;
  pAtQmin: number;
  segments: Array<{ length: number; slope: number }>;
}

/**
 * A pump's consumption curve at one step (modelling-2.md §1), at the lift of the previous
 * iteration: when on (u), upflow `u·qMin + Σ x_k`, consumption `u·cAtQmin + Σ slope_k·x_k`,
 * `0 ≤ x_k ≤ length_k·u`.
 */
export interface PumpStep {
  qMin: number;
  cAtQmin: number;
  segments: Array<{ length: number; slope: number }>;
  /** u fixed (incremental commitment, committed_in, maintenance, level limits, no curve); undefined: decided. */
  fixed?: 0 | 1;
}

export interface IterationInput {
  system: HydroSystem;
  /** Mm3, per reservoir (same order as system.reservoirs). */
  startVolumes: number[];
  /** [plant][generator][step] */
  curves: UnitCurve[][][];
  /** [plant][step]: whether the plant's units are on/off decisions (binaries) at that step. */
  binaries: boolean[][];
  /** [plant][generator][step]: a fixed commitment (incremental iterations); undefined = free. */
  fixedCommitment?: Array<Array<Array<0 | 1>>>;
  /** currency per Mm3, per reservoir */
  waterValues: number[];
  /** currency per Mm3 of spilled/bypassed/overflowing water, so water is not wasted. */
  spillCost: number;
  bypassCost: number;
  overflowCost: number;
  /** Limits on storage at the end of a step, as rows: soft (a penalty per Mm3 below/above) or hard. */
  storageLimits?: StorageLimit[];
  /** currency per MWh of load not met; undefined: the load must be met (hard). */
  loadPenalty?: number;
  /** Head optimization: power terms added to each step's market balance (modelling.md). */
  headTerms?: HeadTerm[];
  /** Tunnel networks: where the head losses and levels are linearised (system.waterways). */
  waterways?: WaterwayPoint;
  /** [plant][pump][step]: the pumps' curves; absent without pumps. */
  pumps?: PumpStep[][][];
  /** Head optimization of pumps: consumption terms, as `headTerms` but subtracted from the power balance. */
  pumpHeadTerms?: HeadTerm[];
  /** currency per Mm3 released at each step that is still travelling at the end (vow_in_transit). */
  transitValues?: TransitValues;
  /** The previous iteration's storage ([reservoir][t]); river flow functions are linearised at it. */
  previousStorage?: number[][];
  /** The previous iteration's river upstream flows ([river][t]): picks flow-dependent delay curves. */
  previousRiverFlow?: number[][];
  /** The previous iteration's river gate heights ([river][t], m above upstream_elevation) where modelled. */
  previousRiverGate?: Array<number[] | undefined>;
  /** `set universal_overflow_mip`: true on, false off, undefined: the reservoirs' overflow_mip_flag. */
  universalOverflowMip?: boolean;
  /**
   * Head optimization, [plant][generator]: each unit's own head terms (its part of `headTerms`),
   * which its reserve rows add to its production (families/reserves.ts); only with reserves.
   */
  unitHeadTerms?: HeadTerm[][][];
}

/** [object][source step]: currency per Mm3 of water in transit at the end (model/delays.ts). */
export interface TransitValues {
  plants: number[][];
  gates: number[][];
  rivers: number[][];
}

/** A river's columns per step (families/rivers.ts). */
export interface RiverColumns {
  upstream: number[];
  downstream: number[];
  /** m3/s arriving downstream from past upstream flow (constant) */
  initialDownstream: number[];
  /** Share of each step's upstream flow still travelling at the end. */
  transit: number[];
  /** Release columns from the reservoirs feeding it, by reservoir index. */
  releases: Array<{ reservoir: number; columns: number[] }>;
  /** Violation columns (m3/s) per kind, where used: min_flow, max_flow, flow_schedule up/down, ramping. */
  penalties: Array<{ kind: RiverPenaltyKind; columns: Array<number | undefined>; cost: number[] }>;
  /** currency per m3/s and hour per flow_cost_curve segment column (cost already in the LP). */
  costCurve?: Array<{ columns: number[]; cost: number }>;
  /** The gate height column per step and its movement columns, where the gate is modelled (families/river-gates.ts). */
  gate?: RiverGateColumns;
}

export interface RiverGateColumns {
  /** m above upstream_elevation per step */
  height: number[];
  /** |Δheight| (m) per step, costed at gate_adjustment_cost; undefined where not costed */
  adjustment: Array<number | undefined>;
  /** m of movement beyond gate_ramping per step, costed at gate_ramping_penalty_cost */
  rampViolation: Array<number | undefined>;
}

export type RiverPenaltyKind =
  'min_flow' | 'max_flow' | 'flow_schedule_up' | 'flow_schedule_down' | 'ramping_up' | 'ramping_down';

export interface StorageLimit {
  reservoir: number;
  step: number;
  kind: 'min' | 'max';
  /** Mm3 */
  volume: number;
  /** The SHOP attribute the limit comes from (`min_vol_constr`, `lrl`, ...): names the row. */
  attribute: string;
  /** currency per Mm3 of violation; undefined: hard. */
  penalty?: number;
}

/**
 * `coefficient · (V_reservoir[step-1] − reference)` MW added to the power of step `step` (≥ 1:
 * the storage before step 0 is the fixed start). Negative coefficients for a downstream
 * reservoir whose level sets the tailwater.
 */
export interface HeadTerm {
  step: number;
  reservoir: number;
  /** MW per Mm3 */
  coefficient: number;
  /** Mm3: the previous iteration's storage */
  reference: number;
}

/** Where each quantity is in the solution vector, to read results back. */
export interface ColumnIndex {
  storage: number[][]; // [reservoir][t]
  overflow: number[][]; // [reservoir][t]
  unitDischarge: number[][][]; // [plant][generator][t]
  unitPower: number[][][]; // [plant][generator][t]
  unitOn: Array<Array<Array<number | undefined>>>; // binary columns where used
  gateDischarge: number[][]; // [gate][t]
  sale: number[][]; // [market][t]
  buy: number[][]; // [market][t]
  startups: Array<Array<Array<number | undefined>>>;
  /** The violation column of each soft storage limit (same order as the input's). */
  limitViolation: Array<number | undefined>;
  /** [t]: MW of load not met, where the load is soft */
  loadShortfall: Array<number | undefined>;
  /** Tunnel networks' columns (the tunnels family), when the system has waterways. */
  waterways?: WaterwayColumns;
  /** [river] (families/rivers.ts) */
  rivers?: RiverColumns[];
  /** [plant][pump]: the pumps' columns per step (families/pumps.ts). */
  pumps?: PumpColumns[][];
  /** [gate]: flow-function columns where a gate has them (families/gate-functions.ts). */
  gateFunctions?: Array<GateFunctionColumns | undefined>;
  /** [cut group][weighted level]: the future income c of each level the objective weighs (families/cuts.ts). */
  futureIncome?: number[][];
  /** [cut group][reservoir of the group]: its end volume with the water in transit (families/cuts.ts). */
  cutVolumes?: number[][];
  /** Reserve capacity (families/reserves.ts), when the system has reserve groups. */
  reserves?: ReserveColumns;
}

/** The reserve columns (modelling-2.md §4), per key (`fcr_n_up`, ...) and step. */
export interface ReserveColumns {
  /** [plant][generator]: each unit's delivery, for the keys it offers. */
  delivery: Array<Array<Partial<Record<ReserveKey, number[]>>>>;
  /** [plant][pump]: each pump's delivery, for the keys it offers. */
  pumpDelivery: Array<Array<Partial<Record<ReserveKey, number[]>>>>;
  /** [plant][pump]: [above, below] its schedule, where it has one. */
  pumpScheduleDeviation: Array<Array<Partial<Record<ReserveKey, Array<[number, number] | undefined>>>>>;
  /** [plant][generator]: [above, below] its schedule, where it has one. */
  scheduleDeviation: Array<Array<Partial<Record<ReserveKey, Array<[number, number] | undefined>>>>>;
  /** [group]: the obligation not met and the delivery above it, for the keys the group has obligations for. */
  violation: Array<Partial<Record<ReserveKey, number[]>>>;
  slack: Array<Partial<Record<ReserveKey, number[]>>>;
  /** [plant][generator][t]: the inverse droop x of a unit offering FCR. */
  droop: Array<Array<Array<number | undefined>>>;
  /** [plant][pump][t]: the same for pumps. */
  pumpDroop: Array<Array<Array<number | undefined>>>;
  /** Each `<key>_min` of a unit at a step: its binary v, the delivery it holds at 0 or ≥ min (model/minimum-deliveries.ts). */
  minimums: MinimumDelivery[];
}

export interface MinimumDelivery {
  on: number;
  delivery: number;
  /** MW */
  min: number;
}

/** A gate's slack, ramping-violation and spill-cost-curve columns (families/gate-functions.ts). */
export interface GateFunctionColumns {
  /** [step, column] m3/s of slack, each at GATE_SLACK_COST per Mm3 */
  slack: Array<[step: number, column: number]>;
  /** [step, column, currency per m3/s] */
  ramp: Array<[step: number, column: number, cost: number]>;
  spillCurve?: Array<{ columns: number[]; cost: number }>;
  /** [step, column, currency per m3/s, kind]: flow below min_flow / above max_flow where soft */
  qPenalty?: Array<[step: number, column: number, cost: number, kind: 'min' | 'max']>;
}

export interface PumpColumns {
  upflow: number[];
  consumption: number[];
  on: number[];
}
