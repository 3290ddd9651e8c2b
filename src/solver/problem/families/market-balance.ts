import type { ConstraintFamily, ProblemContext } from './constraint-family.js';
import { marketLoad } from './markets.js';

/**
 * The power balance of every step, one row over all markets, from the terms the families
 * before it added: `Σ production + head terms - Σ sale + Σ buy (+ load not met) = Σ load`.
 * Where the load is soft (a load penalty), a column for the load not met, at the penalty per
 * MWh. No rows without markets.
 */
export const marketBalance: ConstraintFamily = {
  name: 'market balance',
  add(ctx: ProblemContext) {
    const { lp, system, input, steps, index } = ctx;
    if (!system.markets.length) return;
    const { terms, load } = ctx.powerBalance;
    for (const t of steps) {
      if (input.loadPenalty !== undefined && marketLoad(ctx, t) > 0) {
        const shortfall = lp.addColumn(
          `market.load_penalty[${t}]`,
          0,
          Infinity,
          input.loadPenalty * system.steps[t].hours,
        );
        index.loadShortfall[t] = shortfall;
        terms.add(t, shortfall, 1);
      }
      lp.row('market.balance', t, load[t], load[t]);
      terms.writeTo(lp, t);
    }
  },
};
