import type { ConstraintFamily, ProblemContext } from './constraint-family.js';

/** The end value of the water left, `- Σ WV_r · V_r[T]`, on the last storage columns. */
export const endValue: ConstraintFamily = {
  name: 'end value of water',
  add(ctx: ProblemContext) {
    const { lp, system, input, steps, index } = ctx;
    system.reservoirs.forEach((_, r) => lp.addCost(index.storage[r][steps.length - 1], -input.waterValues[r]));
  },
};
