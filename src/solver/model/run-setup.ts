/** What each `start sim` run takes from its settings: delays in steps, storage limits, solve options. */
import type { SolverSettings } from '../../shop/solver-settings.js';
import { volumeBounds } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { StorageLimit } from '../problem/iteration-input.js';
import type { SolveOptions } from '../providers/optimization-provider.js';
import type { Log } from './optimizer.types.js';

/**
 * Plant and gate `time_delay` in steps, read in the unit `set time_delay_unit` gives (SHOP's
 * default: time steps). Hours and minutes are rounded to whole steps of the first step's
 * length; a delay that is not a whole number of steps is logged.
 */
export function withDelaysInSteps(system: HydroSystem, unit: SolverSettings['timeDelayUnit'], log: Log): HydroSystem {
  if (unit === 'time_step_length') return system;
  const stepHours = system.steps[0]?.hours ?? 1;
  const convert = (kind: string, name: string, delay: number) => {
    const steps = (unit === 'minute' ? delay / 60 : delay) / stepHours;
    if (Math.abs(steps - Math.round(steps)) > 1e-9) {
      log(
        'WARNING',
        `${kind} ${name}: time_delay ${delay} ${unit}s is ${steps} steps; rounded to ${Math.round(steps)}`,
      );
    }
    return Math.round(steps);
  };
  return {
    ...system,
    plants: system.plants.map((plant) => ({ ...plant, timeDelay: convert('plant', plant.name, plant.timeDelay) })),
    gates: system.gates.map((gate) => ({ ...gate, timeDelay: convert('gate', gate.name, gate.timeDelay) })),
  };
}

/** Storage limits of the horizon: the regulated range (lrl..hrl) and the min/max_vol_constr schedules. */
export function storageLimits(system: HydroSystem, settings: SolverSettings): StorageLimit[] {
  const gs = system.globalSettings;
  const soft = settings.penaltyFlags.reservoir !== false && gs.rsvPenaltyFlag;
  const limits: StorageLimit[] = [];
  system.reservoirs.forEach((reservoir, r) => {
    const range = volumeBounds({
      vol_head: reservoir.volHead,
      max_vol: reservoir.maxVol,
      lrl: reservoir.lrl,
      hrl: reservoir.hrl,
    });
    system.steps.forEach((_, t) => {
      // Levels outside lrl..hrl cost SHOP's hard-limit penalty, so a start outside them stays solvable.
      if (range.min > 1e-9) {
        limits.push({
          reservoir: r,
          step: t,
          kind: 'min',
          volume: range.min,
          attribute: 'lrl',
          penalty: gs.rsvHardLimitPenaltyCost,
        });
      }
      if (range.max < reservoir.maxVol - 1e-9) {
        limits.push({
          reservoir: r,
          step: t,
          kind: 'max',
          volume: range.max,
          attribute: 'hrl',
          penalty: gs.rsvHardLimitPenaltyCost,
        });
      }
      const penalty = soft ? gs.rsvPenaltyCost : undefined;
      const min = reservoir.minVolConstr?.[t];
      const max = reservoir.maxVolConstr?.[t];
      if (min !== undefined) {
        limits.push({ reservoir: r, step: t, kind: 'min', volume: min, attribute: 'min_vol_constr', penalty });
      }
      if (max !== undefined) {
        limits.push({ reservoir: r, step: t, kind: 'max', volume: max, attribute: 'max_vol_constr', penalty });
      }
    });
  });
  return limits;
}

export function solveOptions(settings: SolverSettings): SolveOptions {
  return {
    timeLimitSeconds: settings.timeLimitSeconds,
    mipRelGap: settings.mipGapRelative,
    mipAbsGap: settings.mipGapAbsolute,
    threads: settings.threads > 0 ? settings.threads : undefined,
    method: settings.method === 'baropt' ? 'ipm' : settings.method,
  };
}

/** currency per MWh of load not met, when the load is soft (`penalty flag /load` and `load_penalty_flag`). */
export function loadPenaltyOf(system: HydroSystem, settings: SolverSettings): number | undefined {
  const gs = system.globalSettings;
  return settings.penaltyFlags.load !== false && gs.loadPenaltyFlag ? gs.loadPenaltyCost : undefined;
}
