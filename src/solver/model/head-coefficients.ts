/** Head optimization (modelling.md): the units' net heads and the LP's head terms. */
import { headCoefficients } from '../physics/head-optimization.js';
import type { Unit } from '../physics/generator.js';
import { grossHead, mainLossOf, penstockLossOf } from '../physics/plant.js';
import type { HydroSystem, PlantData } from '../problem/hydro-system.js';
import type { HeadTerm } from '../problem/iteration-input.js';
import { RUNNING, type Trajectory } from './trajectory.js';

/** Net head of each unit of a plant at the given unit flows (losses of the penstocks' and the plant's total flow). */
export function unitNetHeads(plant: PlantData, flows: number[], gross: number): number[] {
  const plantFlow = flows.reduce((sum, flow) => sum + flow, 0);
  const main = mainLossOf([plant.mainLoss]) * plantFlow ** 2;
  return plant.generators.map((generator) => {
    const penstockFlow = flows.reduce(
      (sum, flow, i) => sum + (plant.generators[i].penstock === generator.penstock ? flow : 0),
      0,
    );
    return gross - main - penstockLossOf(plant.penstockLoss, generator.penstock) * penstockFlow ** 2;
  });
}

/**
 * Head-optimization coefficients of every unit and step (modelling.md): MW per Mm3 of the
 * upstream (and, when its level sets the tailwater, downstream) storage before the step, at the
 * previous iteration's operating point; 0 for units that did not run there.
 */
export function unitHeadCoefficients(
  system: HydroSystem,
  units: Unit[][],
  levels: number[][],
  reservoirIndex: Map<string, number>,
  start: number[],
  previous: Trajectory,
): Array<Array<Array<{ upstream: number; downstream: number }>>> {
  return system.plants.map((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    const volumeBefore = (r: number, t: number) => (t === 0 ? start[r] : previous.storage[r][t - 1]);
    const perStep = system.steps.map((_, t) => {
      const flows = plant.generators.map((_, g) => previous.discharge[p][g][t]);
      const downLevel = down === undefined ? undefined : levels[down][t];
      const gross = grossHead(up === undefined ? 0 : levels[up][t], plant.outletLine, downLevel);
      const heads = unitNetHeads(plant, flows, gross);
      return plant.generators.map((_, g) => {
        if (up === undefined || flows[g] <= RUNNING) return { upstream: 0, downstream: 0 };
        const downstream =
          down === undefined
            ? undefined
            : {
                volHead: system.reservoirs[down].volHead,
                volume: volumeBefore(down, t),
                setsTailwater: downLevel! > plant.outletLine,
              };
        return headCoefficients(
          [{ unit: units[p][g], q: flows[g], head: heads[g] }],
          system.reservoirs[up].volHead,
          volumeBefore(up, t),
          downstream,
        );
      });
    });
    return plant.generators.map((_, g) => perStep.map((units) => units[g]));
  });
}

/** The LP's head terms: per plant and step, the units' coefficients summed per reservoir. */
export function headTerms(
  system: HydroSystem,
  reservoirIndex: Map<string, number>,
  headK: ReturnType<typeof unitHeadCoefficients>,
  previous: Trajectory,
): HeadTerm[] {
  const terms: HeadTerm[] = [];
  system.plants.forEach((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    for (let t = 1; t < system.steps.length; t++) {
      let kUp = 0;
      let kDown = 0;
      headK[p].forEach((unit) => {
        kUp += unit[t].upstream;
        kDown += unit[t].downstream;
      });
      if (up !== undefined && kUp !== 0) {
        terms.push({ step: t, reservoir: up, coefficient: kUp, reference: previous.storage[up][t - 1] });
      }
      if (down !== undefined && kDown !== 0) {
        terms.push({ step: t, reservoir: down, coefficient: -kDown, reference: previous.storage[down][t - 1] });
      }
    }
  });
  return terms;
}

/** Each unit's own head terms ([plant][generator]): its part of `headTerms`, step by step. */
export function unitHeadTerms(
  system: HydroSystem,
  reservoirIndex: Map<string, number>,
  headK: ReturnType<typeof unitHeadCoefficients>,
  previous: Trajectory,
): HeadTerm[][][] {
  return system.plants.map((plant, p) => {
    const up = plant.upstream === undefined ? undefined : reservoirIndex.get(plant.upstream);
    const down = plant.downstream === undefined ? undefined : reservoirIndex.get(plant.downstream);
    return plant.generators.map((_, g) => {
      const terms: HeadTerm[] = [];
      for (let t = 1; t < system.steps.length; t++) {
        const k = headK[p][g][t];
        if (up !== undefined && k.upstream !== 0) {
          terms.push({ step: t, reservoir: up, coefficient: k.upstream, reference: previous.storage[up][t - 1] });
        }
        if (down !== undefined && k.downstream !== 0) {
          terms.push({
            step: t,
            reservoir: down,
            coefficient: -k.downstream,
            reference: previous.storage[down][t - 1],
          });
        }
      }
      return terms;
    });
  });
}

/**
 * The head-optimization part of a unit's linear power at step t: its coefficients times the
 * change of the storage before the step from the previous iteration's (0 at the first step).
 */
export function linearHeadPower(
  system: HydroSystem,
  reservoirIndex: Map<string, number>,
  headK: ReturnType<typeof unitHeadCoefficients>,
  previous: Trajectory,
): (p: number, g: number, t: number, storage: number[][]) => number {
  return (p, g, t, storage) => {
    if (t === 0) return 0;
    const plant = system.plants[p];
    const k = headK[p][g][t];
    const delta = (name: string | undefined) => {
      const r = name === undefined ? undefined : reservoirIndex.get(name);
      return r === undefined ? 0 : storage[r][t - 1] - previous.storage[r][t - 1];
    };
    return k.upstream * delta(plant.upstream) - k.downstream * delta(plant.downstream);
  };
}
