import { type ConstraintFamily, type ProblemContext, volumePerFlow, waterRow } from './constraint-family.js';

/**
 * Each reservoir's water balance at every step, from the terms the families before it added:
 * `V[t] - V[t-1] - k·(arrivals - releases) = k·inflow` (+ the start volume at t = 0),
 * k = 0.0036·Δt.
 */
export const reservoirBalance: ConstraintFamily = {
  name: 'reservoir water balance',
  add(ctx: ProblemContext) {
    const { lp, system, steps, input } = ctx;
    system.reservoirs.forEach((reservoir, r) => {
      const name = `reservoir.${reservoir.name}.balance`;
      for (const t of steps) {
        const start = t === 0 ? input.startVolumes[r] : 0;
        const rhs = volumePerFlow(ctx, t) * reservoir.inflow[t] + start;
        lp.row(name, t, rhs, rhs);
        ctx.waterBalance.writeTo(lp, waterRow(ctx, r, t));
      }
    });
  },
};
