/**
 * Cut groups' results (modelling-2.md §5): `end_value` (cost-signed: −c at the end),
 * `binding_cut_up` / `binding_cut_down` (0-based; price-dependent: the binding cut of the level
 * above / below, −1 for the level below of standard cuts), and the group reservoirs'
 * `water_value_global_result` (the binding coefficient, negative as SHOP reports it). The last
 * state is the LP's (its end volumes count the water in transit); the states before are the
 * cuts evaluated at the storage then, for reading the trajectory.
 */
import type { Txy } from '../../shop/shop-json.js';
import { bindingCut, cutGroupValue } from '../physics/cuts.js';
import type { CutGroupData, HydroSystem } from '../problem/hydro-system.js';
import type { Trajectory } from './trajectory.js';

type Put = (objectType: string, objectName: string, attribute: string, value: unknown) => void;

/** Per reservoir of any cut group: the weighted binding coefficient at the volumes `volumes` ([reservoir]). */
function bindingCoefficients(
  group: CutGroupData,
  volumes: number[],
): { coefficient: number[]; up: number; down: number } {
  const at = group.reservoirs.map((r) => volumes[r]);
  const coefficient = group.reservoirs.map(() => 0);
  const binding = group.weights.map(({ level, weight }) => {
    const { cut } = bindingCut(group.levels[level], at);
    group.levels[level].coefficients.forEach((row, i) => (coefficient[i] += weight * row[cut]));
    return cut;
  });
  return binding.length === 2
    ? { coefficient, up: binding[1], down: binding[0] }
    : { coefficient, up: binding[0], down: -1 };
}

/** Reservoir index → the weighted binding coefficient at the start volumes (the value reservoirs above count). */
export function cutMarginalValues(system: HydroSystem, start: number[]): Map<number, number> {
  const values = new Map<number, number>();
  for (const group of system.cutGroups ?? []) {
    const { coefficient } = bindingCoefficients(group, start);
    group.reservoirs.forEach((r, i) => values.set(r, coefficient[i]));
  }
  return values;
}

/** What the groups' water is worth (currency, positive) at the start and at the end (the LP's c). */
export function cutGroupWorth(
  system: HydroSystem,
  start: number[],
  solution: Trajectory,
): { start: number; end: number } {
  let atStart = 0;
  let atEnd = 0;
  (system.cutGroups ?? []).forEach((group, g) => {
    atStart += cutGroupValue(
      group.levels,
      group.weights,
      group.reservoirs.map((r) => start[r]),
    );
    atEnd += group.weights.reduce((sum, { weight }, l) => sum + weight * (solution.futureIncome?.[g]?.[l] ?? 0), 0);
  });
  return { start: atStart, end: atEnd };
}

/** The cut groups' outputs over the state times (each step start and the end). */
export function cutGroupOutputs(
  put: Put,
  state: (values: number[]) => Txy,
  system: HydroSystem,
  start: number[],
  solution: Trajectory,
): void {
  (system.cutGroups ?? []).forEach((group, g) => {
    const states = [start, ...system.steps.map((_, t) => solution.storage.map((row) => row[t]))];
    const last = states.length - 1;
    // The end: the LP's end volumes (with the water in transit) and its future income.
    const endVolumes = [...states[last]];
    group.reservoirs.forEach((r, i) => (endVolumes[r] = solution.cutVolumes?.[g]?.[i] ?? endVolumes[r]));
    states[last] = endVolumes;
    const binding = states.map((volumes) => bindingCoefficients(group, volumes));
    const worth = states.map((volumes, s) =>
      s === last
        ? group.weights.reduce((sum, { weight }, l) => sum + weight * (solution.futureIncome?.[g]?.[l] ?? 0), 0)
        : cutGroupValue(
            group.levels,
            group.weights,
            group.reservoirs.map((r) => volumes[r]),
          ),
    );
    put('cut_group', group.name, 'end_value', state(worth.map((value) => -value)));
    put('cut_group', group.name, 'binding_cut_up', state(binding.map((b) => b.up)));
    put('cut_group', group.name, 'binding_cut_down', state(binding.map((b) => b.down)));
    group.reservoirs.forEach((r, i) => {
      const name = system.reservoirs[r].name;
      put('reservoir', name, 'water_value_global_result', state(binding.map((b) => -b.coefficient[i])));
    });
  });
}
