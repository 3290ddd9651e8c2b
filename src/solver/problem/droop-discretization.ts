/**
 * Discrete droop (modelling-2.md §4): `set droop_discretization_limit d`. Before the next
 * iteration each unit whose droop result is below d is fixed to the largest legal droop not
 * above it. Legal: the unit's `discrete_droop_values`, else the integers; only those within
 * [droop_min, droop_max] (so a fixed droop always stays in the unit's range). With no legal
 * value there, the unit stays free. Per unit and step, as the droop result is a series.
 *
 * The rule is applied to the previous iteration's droop results each time: a droop fixed
 * once is its own result in the next iteration, and the largest legal droop not above a legal
 * droop is itself, so fixings made at a smaller d hold at every larger d (Tarn).
 */
import type { HydroSystem } from './hydro-system.js';
import type { UnitReserveData } from './reserve-types.js';

/** Relative slack when comparing a droop result with a legal value (1/x read back from the LP). */
const EPSILON = 1e-9;

/**
 * The droop a unit's `result` is fixed to under limit `limit`, or undefined when it stays
 * free: the result is not below the limit, or no legal value in [min, max] is at or below it.
 */
export function discreteDroop(
  result: number,
  limit: number,
  range: { min: number; max: number; values?: readonly number[] },
): number | undefined {
  if (!(limit > 0) || !Number.isFinite(result) || result >= limit) return undefined;
  const { min, max, values } = range;
  const top = Math.min(result * (1 + EPSILON), max * (1 + EPSILON));
  let best: number | undefined;
  if (values && values.length) {
    for (const v of values) {
      if (v <= top && v >= min * (1 - EPSILON) && (best === undefined || v > best)) best = v;
    }
  } else {
    const n = Math.floor(top);
    if (n >= min * (1 - EPSILON) && n > 0) best = n;
  }
  return best;
}

/**
 * The system with the droops `set droop_discretization_limit` fixes, from the previous
 * iteration's inverse droops x ([plant][generator][t], undefined where a unit offered no FCR,
 * droop result 1/x). A unit's own `fixed_droop` stays as it is.
 */
export function withDiscreteDroops(
  system: HydroSystem,
  inverseDroops: ReadonlyArray<ReadonlyArray<ReadonlyArray<number | undefined>>> | undefined,
): HydroSystem {
  const reserves = system.reserves;
  const limit = reserves?.droopDiscretizationLimit ?? 0;
  if (!reserves || !(limit > 0) || !inverseDroops) return system;
  let changed = false;
  const units = reserves.units.map((plant, p) =>
    plant.map((data, g): UnitReserveData => {
      const xs = inverseDroops[p]?.[g];
      if (!xs) return data;
      let fixedDroop: Array<number | undefined> | undefined;
      xs.forEach((x, t) => {
        if (data.fixedDroop?.[t] !== undefined || x === undefined || !(x > 0)) return;
        const droop = discreteDroop(1 / x, limit, {
          min: data.droopMin[t],
          max: data.droopMax[t],
          values: data.discreteDroopValues,
        });
        if (droop === undefined) return;
        fixedDroop ??= system.steps.map((_, s) => data.fixedDroop?.[s]);
        fixedDroop[t] = droop;
      });
      if (!fixedDroop) return data;
      changed = true;
      return { ...data, fixedDroop };
    }),
  );
  return changed ? { ...system, reserves: { ...reserves, units } } : system;
}
