/** An iteration's solution as quantities per object and step, read back from the LP's columns. */
import { levelFromVolume } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { ColumnIndex, ReserveColumns } from '../problem/iteration-input.js';
import type { ReserveKey } from '../problem/reserve-types.js';
import type { SolveResult } from '../providers/optimization-provider.js';
import { readWaterwaySolution, type WaterwaySolution } from './tunnel-solution.js';
import type { PumpCurve } from '../physics/pump.js';
import { readRiverFlows, type RiverFlows } from './river-trajectory.js';
import { type GateFunctionFlows, readGateFunctions } from './gate-results.js';

/** m3/s: a unit whose discharge is above this runs. */
export const RUNNING = 1e-6;

export interface Trajectory {
  /** [reservoir][t]: storage after step t */
  storage: number[][];
  /** [plant][generator][t] */
  discharge: number[][][];
  solverPower: number[][][];
  gate: number[][];
  sale: number[][];
  buy: number[][];
  startups: number[][][];
  /** [reservoir][t], m3/s */
  overflow: number[][];
  /** Mm3 per storage limit (input order); 0 for hard ones */
  limitViolation: number[];
  /** [t], MW */
  loadShortfall: number[];
  /** [river] (river-trajectory.ts) */
  rivers: RiverFlows[];
  objective: number;
  /** Tunnel networks' flows and heads, when the system has waterways. */
  waterways?: WaterwaySolution;
  /** The pumps' part (pump-iteration.ts), when the model has pumps. */
  pumps?: PumpTrajectory;
  /** [gate]: slack and ramping violations of gates with flow functions (gate-results.ts). */
  gateFunctions?: Array<GateFunctionFlows | undefined>;
  /** [cut group][weighted level]: the future income c (families/cuts.ts). */
  futureIncome?: number[][];
  /** [cut group][reservoir of the group]: end volume with the water in transit (Mm3). */
  cutVolumes?: number[][];
  /** Reserve capacity (families/reserves.ts): the reserve columns' values, in their shape. */
  reserves?: ReserveTrajectory;
}

/**
 * The values of `ReserveColumns` (MW per key and step, inverse droops), in their shape; `pumpDroop`
 * is absent in a session's solutions from before pumps had droop.
 */
export type ReserveTrajectory = Omit<ReserveColumns, 'minimums' | 'pumpDroop'> &
  Partial<Pick<ReserveColumns, 'pumpDroop'>>;

function readReserves(columns: ReserveColumns, v: (column: number) => number): ReserveTrajectory {
  const perKey = <T, U>(record: Partial<Record<ReserveKey, T>>, f: (value: T) => U) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value as T)])) as Partial<
      Record<ReserveKey, U>
    >;
  const series = (record: Partial<Record<ReserveKey, number[]>>) => perKey(record, (cs: number[]) => cs.map(v));
  const deviations = (unit: Partial<Record<ReserveKey, Array<[number, number] | undefined>>>) =>
    perKey(unit, (steps: Array<[number, number] | undefined>) =>
      steps.map((pair) => (pair ? ([v(pair[0]), v(pair[1])] as [number, number]) : undefined)),
    );
  return {
    delivery: columns.delivery.map((plant) => plant.map(series)),
    pumpDelivery: columns.pumpDelivery.map((plant) => plant.map(series)),
    scheduleDeviation: columns.scheduleDeviation.map((plant) => plant.map(deviations)),
    pumpScheduleDeviation: columns.pumpScheduleDeviation.map((plant) => plant.map(deviations)),
    violation: columns.violation.map(series),
    slack: columns.slack.map(series),
    droop: columns.droop.map((plant) => plant.map((steps) => steps.map((c) => (c === undefined ? undefined : v(c))))),
    pumpDroop: columns.pumpDroop.map((plant) =>
      plant.map((steps) => steps.map((c) => (c === undefined ? undefined : v(c)))),
    ),
  };
}

/** [plant][pump][t] */
export interface PumpTrajectory {
  upflow: number[][][];
  /** The LP's consumption (with the head-optimization part) */
  consumption: number[][][];
  on: number[][][];
  /** The lift h⁰ the iteration's curves were built at */
  lifts: number[][][];
  curves: PumpCurve[][][];
}

/** Reservoir levels at the start of every step, from a storage trajectory. */
export function startLevels(system: HydroSystem, start: number[], storage: number[][] | undefined): number[][] {
  return system.reservoirs.map((reservoir, r) =>
    system.steps.map((_, t) => {
      const volume = t === 0 || !storage ? start[r] : storage[r][t - 1];
      return levelFromVolume(reservoir.volHead, volume);
    }),
  );
}

/**
 * The solution's trajectory. `headPart(p, g, t, storage)`: the head-optimization part of a
 * unit's linear power (0 without head optimization), added to its solver production.
 */
export function readTrajectory(
  index: ColumnIndex,
  result: SolveResult,
  headPart: (p: number, g: number, t: number, storage: number[][]) => number,
): Trajectory {
  const v = (column: number) => result.colValue[column];
  const storage = index.storage.map((columns) => columns.map(v));
  return {
    storage,
    discharge: index.unitDischarge.map((plant) => plant.map((columns) => columns.map(v))),
    solverPower: index.unitPower.map((plant, p) =>
      plant.map((columns, g) => columns.map((c, t) => v(c) + headPart(p, g, t, storage))),
    ),
    gate: index.gateDischarge.map((columns) => columns.map(v)),
    sale: index.sale.map((columns) => columns.map(v)),
    buy: index.buy.map((columns) => columns.map(v)),
    startups: index.startups.map((plant) => plant.map((columns) => columns.map((c) => (c === undefined ? 0 : v(c))))),
    overflow: index.overflow.map((columns) => columns.map(v)),
    limitViolation: index.limitViolation.map((c) => (c === undefined ? 0 : v(c))),
    loadShortfall: index.loadShortfall.map((c) => (c === undefined ? 0 : v(c))),
    rivers: readRiverFlows(index, result.colValue),
    gateFunctions: readGateFunctions(index, result.colValue, index.loadShortfall.length),
    objective: result.objective,
    ...(index.waterways ? { waterways: readWaterwaySolution(index.waterways, v) } : {}),
    ...(index.futureIncome ? { futureIncome: index.futureIncome.map((columns) => columns.map(v)) } : {}),
    ...(index.cutVolumes ? { cutVolumes: index.cutVolumes.map((columns) => columns.map(v)) } : {}),
    ...(index.reserves ? { reserves: readReserves(index.reserves, v) } : {}),
  };
}
