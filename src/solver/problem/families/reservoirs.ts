import { type ConstraintFamily, type ProblemContext, volumePerFlow } from './constraint-family.js';
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
    index.storage = system.reservoirs.map((r) =>
      steps.map((t) => lp.addColumn(`reservoir.${r.name}.storage[${t}]`, 0, storageTop(r))),
    );
    index.overflow = system.reservoirs.map((r, i) =>
      steps.map((t) => lp.addColumn(`reservoir.${r.name}.overflow[${t}]`, 0, Infinity, overflowCost(ctx, i, t))),
    );
    system.reservoirs.forEach((_, r) =>
      steps.forEach((t) => {
        const terms = ctx.waterBalance[r][t];
        terms.push([index.storage[r][t], 1]);
        if (t > 0) terms.push([index.storage[r][t - 1], -1]);
        terms.push([index.overflow[r][t], volumePerFlow(ctx, t)]);
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
  const base = system.reservoirs[r].overflowCost?.[t] ?? globalCost;
  return base + system.globalSettings.overflowCostTimeFactor * hoursBefore;
}

function overflowCost(ctx: ProblemContext, r: number, t: number): number {
  // The spill gate's spill_cost_curve replaces the overflow cost (gate-functions.ts).
  if (spillCurveGate(ctx.system, r) !== undefined) return 0;
  return overflowCostPerMm3(ctx.system, r, t, ctx.input.overflowCost) * volumePerFlow(ctx, t);
}
