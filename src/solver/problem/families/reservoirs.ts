import { type ConstraintFamily, type ProblemContext, volumePerFlow, waterRow } from './constraint-family.js';
import { storageTop } from './overflow.js';
import type { HydroSystem } from '../hydro-system.js';
import { spillGateOf } from './gates.js';

/** The spill gate carrying reservoir r's overflow when it has a spill_cost_curve. */
export function spillCurveGate(system: HydroSystem, r: number): number | undefined {
  for (const [gate, reservoir] of spillGateOf({ system })) {
    if (reservoir === r && system.gates[gate].functions?.spillCostCurve) return gate;
  }
  return undefined;
}

/**
 * Each reservoir's storage at the end of every step (Mm3) and its overflow (m3/s), and their
 * part of the reservoir's water balance: `V[t] - V[t-1] + k·overflow[t]`, k = 0.0036·Δt. With
 * `flow_descr` the storage may rise above max_vol up to the top of vol_head and the overflow is
 * forced by the level (overflow.ts); the overflow costs the overflow cost per Mm3 and leaves
 * through the reservoir's spill gate (gates.ts), else out of the system.
 */
export const reservoirs: ConstraintFamily = {
  name: 'reservoir storage and overflow',
  add(ctx: ProblemContext) {
    const { lp, system, steps, index } = ctx;
    index.storage = system.reservoirs.map((r) => {
      const name = `reservoir.${r.name}.storage`;
      const top = storageTop(r);
      return steps.map((t) => lp.column(name, t, 0, top));
    });
    const hoursBefore = hoursBeforeSteps(system);
    const globalCost = ctx.input.overflowCost ?? system.globalSettings.overflowCost;
    index.overflow = system.reservoirs.map((r, i) => {
      const name = `reservoir.${r.name}.overflow`;
      // The spill gate's spill_cost_curve replaces the overflow cost (gate-functions.ts).
      const curve = spillCurveGate(system, i) !== undefined;
      return steps.map((t) => {
        const cost = curve ? 0 : overflowCostAt(system, i, t, hoursBefore[t], globalCost);
        return lp.column(name, t, 0, Infinity, curve ? 0 : cost * volumePerFlow(ctx, t));
      });
    });
    system.reservoirs.forEach((_, r) =>
      steps.forEach((t) => {
        const row = waterRow(ctx, r, t);
        ctx.waterBalance.add(row, index.storage[r][t], 1);
        if (t > 0) ctx.waterBalance.add(row, index.storage[r][t - 1], -1);
        ctx.waterBalance.add(row, index.overflow[r][t], volumePerFlow(ctx, t));
      }),
    );
  },
};

/**
 * Currency per m3/s of overflow over step t: the reservoir's `overflow_cost` where active, else
 * the global one, plus `overflow_cost_time_factor` × hours since the start, per Mm3.
 */
export function overflowCostPerMm3(
  system: HydroSystem,
  r: number,
  t: number,
  globalCost = system.globalSettings.overflowCost,
): number {
  const hoursBefore = system.steps.slice(0, t).reduce((sum, step) => sum + step.hours, 0);
  return overflowCostAt(system, r, t, hoursBefore, globalCost);
}

/** Hours since the start at the start of each step. */
function hoursBeforeSteps(system: HydroSystem): number[] {
  let sum = 0;
  return system.steps.map((step) => {
    const before = sum;
    sum += step.hours;
    return before;
  });
}

function overflowCostAt(system: HydroSystem, r: number, t: number, hoursBefore: number, globalCost: number): number {
  const base = system.reservoirs[r].overflowCost?.[t] ?? globalCost;
  return base + system.globalSettings.overflowCostTimeFactor * hoursBefore;
}
