/** What each `start sim` run takes from its settings: storage limits, solve options, the load penalty. */
import type { SolverSettings } from '../../shop/solver-settings.js';
import { volumeBounds } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { StorageLimit } from '../problem/iteration-input.js';
import type { SolveOptions } from '../providers/optimization-provider.js';

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
