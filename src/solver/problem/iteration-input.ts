/**
 * What one iteration's problem is built from (`IterationInput`) and where its quantities end
 * up in the solution vector (`ColumnIndex`); see iteration-problem.ts.
 */
import type { HydroSystem } from './hydro-system.js';
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
}

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
}
