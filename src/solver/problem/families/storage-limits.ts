import type { ConstraintFamily, ProblemContext, Terms } from './constraint-family.js';

/**
 * The input's storage limits as rows, `V[t] + below >= min` and `V[t] - above <= max`, the
 * violation a column at the limit's penalty per Mm3 when the limit is soft.
 */
export const storageLimits: ConstraintFamily = {
  name: 'storage limits',
  add(ctx: ProblemContext) {
    const { lp, system, input, index } = ctx;
    index.limitViolation = (input.storageLimits ?? []).map((limit) => {
      const name = `reservoir.${system.reservoirs[limit.reservoir].name}.${limit.attribute}`;
      const terms: Terms = [[index.storage[limit.reservoir][limit.step], 1]];
      const violation =
        limit.penalty === undefined
          ? undefined
          : lp.addColumn(`${name}_violation[${limit.step}]`, 0, Infinity, limit.penalty);
      if (violation !== undefined) terms.push([violation, limit.kind === 'min' ? 1 : -1]);
      if (limit.kind === 'min') lp.addRow(`${name}[${limit.step}]`, limit.volume, Infinity, terms);
      else lp.addRow(`${name}[${limit.step}]`, -Infinity, limit.volume, terms);
      return violation;
    });
  },
};
