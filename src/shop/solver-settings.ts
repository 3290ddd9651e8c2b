/** The solver settings that SHOP commands set (`set code`, `set mipgap`, ...), and their defaults. */

export type CodeMode = 'full' | 'incremental';

export type LpMethod = 'primal' | 'dual' | 'baropt';

export type TimeDelayUnit = 'hour' | 'minute' | 'time_step_length';

export interface SolverSettings {
  code: CodeMode;
  headOptimization: boolean;
  /** `set pump_head_optimization /on`: pumps join head optimization (SHOP's default: off). */
  pumpHeadOptimization?: boolean;
  mipGapRelative: number;
  mipGapAbsolute?: number;
  /** Per iteration, as SHOP's `set timelimit`. */
  timeLimitSeconds: number;
  /** -1: all threads. */
  threads: number;
  method: LpMethod;
  /** `set universal_mip`: undefined is SHOP's /not_set (plants' mip_flag decide). */
  universalMip?: boolean;
  /** `set universal_overflow_mip`: undefined is /not_set (reservoirs' overflow_mip_flag decide). */
  universalOverflowMip?: boolean;
  nsegUp: number;
  nsegDown: number;
  mipNsegUp: number;
  mipNsegDown: number;
  /** `penalty flag` switches by target (`reservoir`, `load`, `plant`, ...). */
  penaltyFlags: Record<string, boolean>;
  timeDelayUnit: TimeDelayUnit;
  /** `set reserve_penalty_cost` (currency/MW): over global_settings' reserve_group_penalty_cost. */
  reservePenaltyCost?: number;
  /** `set reserve_slack_cost` (currency/MW): over reserve_group_slack_cost. */
  reserveSlackCost?: number;
  /** `set reserve_schedule_penalty_cost` (currency/MW): over reserve_schedule_penalty_cost. */
  reserveSchedulePenaltyCost?: number;
  /** `set reserve_ramping_cost` (currency/MW): over gen_reserve_ramping_cost. */
  reserveRampingCost?: number;
  /** `set reserve_min_capacity` (fraction of p_max): over gen_reserve_min_free_cap_factor. */
  reserveMinCapacity?: number;
  /** `set fcr_n_equality_flag /on|/off`: over the global setting. */
  fcrNEquality?: boolean;
  /** `set fcr_n_band` / `set fcr_d_band` (Hz): over the global settings. */
  fcrNBand?: number;
  fcrDBand?: number;
  /**
   * `set droop_discretization_limit d`: before each iteration, a unit whose droop result is
   * below d is fixed to the largest legal droop not above it (problem/droop-discretization.ts).
   */
  droopDiscretizationLimit?: number;
  /** `set droop_cost_exponent` (> 1) / `set droop_ref_value`: the convex droop cost, over the global settings. */
  droopCostExponent?: number;
  droopRefValue?: number;
  /**
   * `set com_dec_period t` (modelling-2.md §6): production is the same in every scenario in the
   * first t steps (t is the last step of the common period, counted from 1).
   */
  commonDecisionSteps?: number;
}

/** SHOP's defaults (the command pages' "if not set"). */
export const DEFAULT_SETTINGS: Readonly<SolverSettings> = Object.freeze({
  code: 'full',
  headOptimization: true,
  mipGapRelative: 1e-4,
  timeLimitSeconds: 900,
  threads: -1,
  method: 'dual',
  nsegUp: 3,
  nsegDown: 3,
  mipNsegUp: 3,
  mipNsegDown: 3,
  penaltyFlags: Object.freeze({ reservoir: true, load: true, powerlimit: true, discharge: true, plant: false }),
  timeDelayUnit: 'time_step_length',
}) as SolverSettings;
