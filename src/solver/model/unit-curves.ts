/**
 * Each unit's piecewise-linear power curve at every step, at the head of the previous
 * iteration's storage (modelling.md). Identical generators at the same head and losses share
 * one curve, computed once per iteration.
 */
import type { SolverSettings } from '../../shop/solver-settings.js';
import type { Unit } from '../physics/generator.js';
import { grossHead, plantUnitLosses } from '../physics/plant.js';
import { pqCurve } from '../physics/pq-curve.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { UnitCurve } from '../problem/iteration-input.js';

/** A unit that cannot run (not committed, or no feasible curve at this head). */
export const NO_CURVE: UnitCurve = Object.freeze({ qMin: 0, pAtQmin: 0, segments: [] }) as unknown as UnitCurve;

/** [plant][generator]: generators with the same efficiency curves and limits get the same key. */
export function unitKeys(system: HydroSystem): number[][] {
  const unitKeyOf = new Map<string, number>();
  return system.plants.map((plant) =>
    plant.generators.map((g) => {
      const data = JSON.stringify([g.turbEff, g.genEff, g.pMin, g.pMax]);
      if (!unitKeyOf.has(data)) unitKeyOf.set(data, unitKeyOf.size);
      return unitKeyOf.get(data)!;
    }),
  );
}

export interface CurveInputs {
  system: HydroSystem;
  units: Unit[][];
  unitKeys: number[][];
  /** [reservoir][t]: levels at the start of each step */
  levels: number[][];
  reservoirIndex: Map<string, number>;
  /** [plant][t] */
  binaries: boolean[][];
  settings: SolverSettings;
  incremental: boolean;
  /** Incremental iterations: whether the unit ran in the last full iteration. */
  committed: (p: number, g: number, t: number) => boolean;
  /** [plant][t]: the head at a plant's intake / outlet where a tunnel network feeds it (replaces the reservoir level). */
  upstreamLevels?: Array<number[] | undefined>;
  downstreamLevels?: Array<number[] | undefined>;
  /** [plant][t] s²/m⁵ added to main_loss: a tunnel network's loss on the plant's flow. */
  networkLoss?: Array<number[] | undefined>;
}

/** [plant][generator][step] */
export function unitCurves(inputs: CurveInputs): UnitCurve[][][] {
  const { system, units, unitKeys, levels, reservoirIndex, binaries, settings, incremental, committed } = inputs;
  // Units with the same curves (identical generators) at the same head share one PQ curve.
  const curveCache = new CurveCache();
  return system.plants.map((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    const penstocks = plant.generators.map((u) => u.penstock);
    const pqUnits = plant.generators.map((generator, g) => ({
      ...units[p][g],
      pMin: generator.pMin,
      pMax: generator.pMax,
    }));
    const perStep = system.steps.map((_, t): UnitCurve[] => {
      const counted = plant.generators.map((_, i) => !incremental || committed(p, i, t));
      const mainLoss = plant.mainLoss + (inputs.networkLoss?.[p]?.[t] ?? 0);
      const losses = plantUnitLosses(penstocks, plant.penstockLoss, [mainLoss], counted);
      const head = grossHead(
        inputs.upstreamLevels?.[p]?.[t] ?? (up === undefined ? 0 : levels[up][t]),
        plant.outletLine,
        inputs.downstreamLevels?.[p]?.[t] ?? (down === undefined ? undefined : levels[down][t]),
      );
      const nsegBelow = binaries[p][t] ? settings.mipNsegDown : settings.nsegDown;
      const nsegAbove = binaries[p][t] ? settings.mipNsegUp : settings.nsegUp;
      const withBinaries = binaries[p][t] || incremental;
      return plant.generators.map((_, g): UnitCurve => {
        if (incremental && !committed(p, g, t)) return NO_CURVE;
        const l = losses[g];
        const key: CurveKey = [unitKeys[p][g], head, l.penstockLoss, l.mainLoss, l.unitsOnPenstock, l.unitsInPlant];
        key.push(nsegBelow, nsegAbove, withBinaries ? 1 : 0);
        let unitCurve = curveCache.get(key);
        if (!unitCurve) {
          const curve = pqCurve(pqUnits[g], head, l, {
            nsegBelow,
            nsegAbove,
          });
          const form = withBinaries ? curve.withBinaries : curve.withoutBinaries;
          unitCurve = curve.feasible ? { qMin: form.qMin, pAtQmin: form.pAtQmin, segments: form.segments } : NO_CURVE;
          curveCache.set(key, unitCurve);
        }
        return unitCurve;
      });
    });
    return plant.generators.map((_, g) => perStep.map((step) => step[g]));
  });
}

/** What makes two units' curves the same: unit key, head, losses, segment counts, binaries. */
type CurveKey = number[];

/**
 * The iteration's curves by key, looked up by head first; keys compare as their text would
 * (the same numbers, NaN equal to NaN), without making the text.
 */
class CurveCache {
  private readonly byHead = new Map<number, Array<{ key: CurveKey; curve: UnitCurve }>>();

  get(key: CurveKey): UnitCurve | undefined {
    return this.byHead.get(key[1])?.find((entry) => sameKey(entry.key, key))?.curve;
  }

  set(key: CurveKey, curve: UnitCurve): void {
    const entries = this.byHead.get(key[1]);
    if (entries) entries.push({ key, curve });
    else this.byHead.set(key[1], [{ key, curve }]);
  }
}

function sameKey(a: CurveKey, b: CurveKey): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
