/**
 * Pumps across iterations (modelling-2.md §1): each iteration's pump curves at the previous
 * iteration's lift, the commitments incremental iterations keep, the pumps' head-optimization
 * terms, and the solution read back.
 */
import type { ShopModelJson } from '../../shop/shop-json.js';
import type { HeadCurve } from '../physics/generator.js';
import type { Log } from './optimizer.types.js';
import { grossHead, mainLossOf, penstockLossOf } from '../physics/plant.js';
import {
  preparePump,
  pumpConsumption,
  pumpCurve,
  selfConsistentPoint,
  upflowRange,
  type Pump,
} from '../physics/pump.js';
import { dLevelDVolume } from '../physics/reservoir.js';
import type { HydroSystem, PlantData } from '../problem/hydro-system.js';
import type { ColumnIndex, HeadTerm, PumpStep } from '../problem/iteration-input.js';
import type { SolveResult } from '../providers/optimization-provider.js';
import { RUNNING, type PumpTrajectory, type Trajectory } from './trajectory.js';

/** [plant][pump]: the pumps' efficiency data, prepared once per run. */
export function preparePumps(system: HydroSystem): Pump[][] {
  return system.plants.map((plant) =>
    (plant.pumps ?? []).map((pump) => preparePump(pump.turbEff as HeadCurve[], pump.genEff)),
  );
}

/** A WARNING for each pump that belongs to no plant (nothing reads it). */
export function warnAboutLonePumps(model: ShopModelJson, system: HydroSystem, log: Log): void {
  const inPlants = new Set(system.plants.flatMap((plant) => (plant.pumps ?? []).map((pump) => pump.name)));
  const lone = Object.keys(model.model.pump ?? {}).filter((name) => !inPlants.has(name));
  if (lone.length) log('WARNING', `pump ${lone.join(', ')}: connected to no plant; left out of the optimization`);
}

export const hasPumps = (system: HydroSystem) => system.plants.some((plant) => plant.pumps?.length);

/** Gross lift (m): `max(L_up, intake_line) − max(outlet_line, L_down)`. */
export function pumpGrossHead(
  plant: PlantData,
  levels: number[][],
  reservoirIndex: Map<string, number>,
  t: number,
  /** The pressure at the plant's tunnel intake, where a tunnel network feeds it (tunnel-state.ts). */
  upstreamLevel?: number,
): number {
  const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
  const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
  const level = upstreamLevel ?? (up === undefined ? 0 : levels[up][t]);
  const upper = Math.max(level, plant.intakeLine?.[t] ?? -Infinity);
  return grossHead(upper, plant.outletLine, down === undefined ? undefined : levels[down][t]);
}

/**
 * Lift losses (m) of pump k at the plant's pump upflows: `main_loss·Q_plant² +
 * penstock_loss[k]·Q_penstock²` (they add to the lift). Tarn: Q_plant is the pumps' total
 * upflow (a plant does not generate on a penstock it pumps on).
 */
export function liftLoss(plant: PlantData, upflows: readonly number[], k: number): number {
  const pumps = plant.pumps ?? [];
  const total = upflows.reduce((sum, q) => sum + q, 0);
  const penstock = pumps[k].penstock;
  const onPenstock = upflows.reduce((sum, q, i) => sum + (pumps[i].penstock === penstock ? q : 0), 0);
  return mainLossOf([plant.mainLoss]) * total ** 2 + penstockLossOf(plant.penstockLoss, penstock) * onPenstock ** 2;
}

/** The loss coefficient (m per (m3/s)²) of pump k running alone. */
const aloneLoss = (plant: PlantData, k: number) =>
  mainLossOf([plant.mainLoss]) + penstockLossOf(plant.penstockLoss, (plant.pumps ?? [])[k].penstock);

/** Whether pump k of plant p ran at t: upflow above `pump_turn_off_limit` × its minimum upflow there. */
export function pumpRan(system: HydroSystem, pumps: PumpTrajectory, p: number, k: number, t: number): boolean {
  const q = pumps.upflow[p][k][t];
  if (!(q > RUNNING)) return false;
  const minimum = pumps.curves[p][k][t].convex[0]?.q ?? 0;
  return q >= system.globalSettings.pumpTurnOffLimit * minimum - 1e-9;
}

export interface PumpIterationArgs {
  system: HydroSystem;
  pumps: Pump[][];
  /** [reservoir][t]: levels at the start of each step (previous iteration's storage) */
  levels: number[][];
  reservoirIndex: Map<string, number>;
  /** [plant][t] */
  binaries: boolean[][];
  incremental: boolean;
  previous?: Trajectory;
  lastFull?: Trajectory;
  /** [plant][t]: the intake pressure of plants fed by a tunnel network. */
  upstreamLevels?: Array<number[] | undefined>;
}

export interface PumpIteration {
  steps: PumpStep[][][];
  /** [plant][pump][t]: the lift h⁰ the curves were built at */
  lifts: number[][][];
  curves: ReturnType<typeof pumpCurve>[][][];
}

/**
 * The pumps' curves at h⁰ and their fixed commitments. h⁰: iteration 1 the gross head at the
 * start levels (the curve point at gross head); later the gross head at the previous
 * iteration's levels plus the losses at its upflows where the pump ran, and the self-consistent
 * point of the pump running alone where it did not (Tarn: the head it would meet if it ran).
 * u is fixed to 0 in maintenance, where `upstream_max`/`downstream_min` are broken by the
 * start-of-step levels, or where no point of the curve is feasible; to `committed_in` where
 * its flag is set; in incremental iterations to the last full iteration's commitment (a pump
 * that ran there, unless a generator on its penstock ran too — generation wins, Tarn).
 */
export function pumpIteration(args: PumpIterationArgs): PumpIteration {
  const { system, pumps, levels, reservoirIndex, binaries, incremental, previous } = args;
  const lifts: number[][][] = [];
  const curves: PumpIteration['curves'] = [];
  const steps = system.plants.map((plant, p) => {
    lifts.push([]);
    curves.push([]);
    return (plant.pumps ?? []).map((pump, k) => {
      const liftRow: number[] = [];
      const curveRow: PumpIteration['curves'][number][number] = [];
      const stepRow = system.steps.map((_, t): PumpStep => {
        const gross = pumpGrossHead(plant, levels, reservoirIndex, t, args.upstreamLevels?.[p]?.[t]);
        let lift = gross;
        if (previous?.pumps) {
          const flows = (plant.pumps ?? []).map((_, i) => previous.pumps!.upflow[p][i][t]);
          lift =
            flows[k] > RUNNING
              ? gross + liftLoss(plant, flows, k)
              : selfConsistentPoint(pumps[p][k], gross, aloneLoss(plant, k)).lift;
        }
        const withBinaries = binaries[p][t] || incremental;
        const curve = pumpCurve(pumps[p][k], lift, pump.pMin, pump.pMax, withBinaries);
        liftRow.push(lift);
        curveRow.push(curve);
        const fixed = fixedCommitment(args, p, k, t, curve.feasible);
        return {
          qMin: curve.qMin,
          cAtQmin: curve.cAtQmin,
          segments: curve.segments,
          ...(fixed !== undefined ? { fixed } : {}),
        };
      });
      lifts[p].push(liftRow);
      curves[p].push(curveRow);
      return stepRow;
    });
  });
  return { steps, lifts, curves };
}

/** Where u is fixed at step t (see pumpIteration); undefined: decided by the LP. */
function fixedCommitment(
  args: PumpIterationArgs,
  p: number,
  k: number,
  t: number,
  feasible: boolean,
): 0 | 1 | undefined {
  const { system, levels, reservoirIndex, incremental, lastFull } = args;
  const plant = system.plants[p];
  const pump = plant.pumps![k];
  const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
  const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
  const upperMax = pump.upstreamMax?.[t];
  const lowerMin = pump.downstreamMin?.[t];
  if (
    pump.maintenance[t] ||
    !feasible ||
    (upperMax !== undefined && up !== undefined && levels[up][t] > upperMax) ||
    (lowerMin !== undefined && down !== undefined && levels[down][t] < lowerMin)
  ) {
    return 0;
  }
  if (pump.committedIn[t] !== undefined) return pump.committedIn[t];
  if (!incremental || !lastFull?.pumps) return undefined;
  const generating = plant.generators.some(
    (g, i) => g.penstock === pump.penstock && lastFull.discharge[p][i][t] > RUNNING,
  );
  return !generating && pumpRan(system, lastFull.pumps, p, k, t) ? 1 : 0;
}

/** The pumps' part of the solution. */
export function readPumpTrajectory(
  index: ColumnIndex,
  result: SolveResult,
  iteration: PumpIteration,
  headPart: (p: number, k: number, t: number, storage: number[][]) => number,
  storage: number[][],
): PumpTrajectory | undefined {
  if (!index.pumps) return undefined;
  const v = (column: number) => result.colValue[column];
  return {
    upflow: index.pumps.map((plant) => plant.map((c) => c.upflow.map(v))),
    consumption: index.pumps.map((plant, p) =>
      plant.map((c, k) => c.consumption.map((column, t) => v(column) + headPart(p, k, t, storage))),
    ),
    on: index.pumps.map((plant) => plant.map((c) => c.on.map(v))),
    lifts: iteration.lifts,
    curves: iteration.curves,
  };
}

/**
 * Head optimization of pumps (after `set pump_head_optimization /on`): for each pump that ran
 * at t in the previous iteration, its consumption moves with the storage before the step by
 * `∂c/∂h · dL/dV` (MW per Mm3; ∂c/∂h by a central difference, the upflow following the lift for
 * a fixed-speed pump), + for the upper reservoir when its level sets the lift (above
 * `intake_line`), − for the lower one when its level sets the tailwater. Tarn keeps the upflow
 * at Q(h⁰) in the water balance.
 */
export function pumpHeadTerms(
  system: HydroSystem,
  pumps: Pump[][],
  levels: number[][],
  reservoirIndex: Map<string, number>,
  previous: Trajectory,
  start: number[],
): { terms: HeadTerm[]; part: (p: number, k: number, t: number, storage: number[][]) => number } {
  const terms: HeadTerm[] = [];
  const parts = new Map<string, Array<{ reservoir: number; coefficient: number; reference: number }>>();
  const volumeBefore = (r: number, t: number) => (t === 0 ? start[r] : previous.storage[r][t - 1]);
  system.plants.forEach((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    (plant.pumps ?? []).forEach((_, k) => {
      for (let t = 1; t < system.steps.length; t++) {
        const q = previous.pumps?.upflow[p][k][t] ?? 0;
        if (!(q > RUNNING)) continue;
        const pump = pumps[p][k];
        const h = previous.pumps!.lifts[p][k][t];
        const at = (lift: number) => pumpConsumption(pump, pump.binary ? upflowRange(pump, lift).min : q, lift);
        const dCdH = (at(h + 0.01) - at(h - 0.01)) / 0.02;
        const list: Array<{ reservoir: number; coefficient: number; reference: number }> = [];
        if (up !== undefined && levels[up][t] >= (plant.intakeLine?.[t] ?? -Infinity)) {
          const coefficient = dCdH * dLevelDVolume(system.reservoirs[up].volHead, volumeBefore(up, t));
          list.push({ reservoir: up, coefficient, reference: previous.storage[up][t - 1] });
        }
        if (down !== undefined && levels[down][t] > plant.outletLine) {
          const coefficient = -dCdH * dLevelDVolume(system.reservoirs[down].volHead, volumeBefore(down, t));
          list.push({ reservoir: down, coefficient, reference: previous.storage[down][t - 1] });
        }
        list.forEach((term) => terms.push({ step: t, ...term }));
        parts.set(`${p}|${k}|${t}`, list);
      }
    });
  });
  const part = (p: number, k: number, t: number, storage: number[][]) =>
    (parts.get(`${p}|${k}|${t}`) ?? []).reduce(
      (sum, term) => sum + term.coefficient * (storage[term.reservoir][t - 1] - term.reference),
      0,
    );
  return { terms, part };
}
