import type { ConstraintFamily, ProblemContext } from './constraint-family.js';

/**
 * Head optimization (modelling.md): each term adds `coefficient · (V[step-1] - reference)` MW
 * to the power balance of its step, from the second step on (the storage before the first is
 * the fixed start).
 */
export const headTerms: ConstraintFamily = {
  name: 'head terms',
  add(ctx: ProblemContext) {
    const { index, steps } = ctx;
    for (const term of ctx.input.headTerms ?? []) {
      if (term.step < 1 || term.step >= steps.length) continue;
      const balance = ctx.powerBalance;
      balance.terms.add(term.step, index.storage[term.reservoir][term.step - 1], term.coefficient);
      balance.load[term.step] += term.coefficient * term.reference;
    }
  },
};
