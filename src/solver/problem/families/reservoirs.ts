import { type ConstraintFamily, type ProblemContext, volumePerFlow } from './constraint-family.js';
import { MM3_PER_M3S_HOUR } from '../../physics/reservoir.js';

/**
 * Each reservoir's storage at the end of every step (Mm3) and its overflow (m3/s, at
 * `overflow_cost` per Mm3), and their part of the reservoir's water balance:
 * `V[t] - V[t-1] + k·overflow[t]`, k = 0.0036·Δt.
 */
export const reservoirs: ConstraintFamily = {
  name: 'reservoir storage and overflow',
  add(ctx: ProblemContext) {
    const { lp, system, steps, input, index } = ctx;
    index.storage = system.reservoirs.map((r) =>
      steps.map((t) => lp.addColumn(`reservoir.${r.name}.storage[${t}]`, 0, r.maxVol)),
    );
    index.overflow = system.reservoirs.map((r) =>
      steps.map((t) => lp.addColumn(`reservoir.${r.name}.overflow[${t}]`, 0, Infinity)),
    );
    // Overflow cost, per Mm3 (overflow columns are in m3/s).
    system.reservoirs.forEach((_, r) =>
      steps.forEach((t) =>
        lp.addCost(index.overflow[r][t], input.overflowCost * MM3_PER_M3S_HOUR * system.steps[t].hours),
      ),
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
