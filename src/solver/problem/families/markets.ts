import type { ConstraintFamily, ProblemContext } from './constraint-family.js';

/**
 * Each market's sale and buy at every step (MW, up to `max_sale`/`max_buy`, at the step's
 * prices), and their part of the power balance, whose right-hand side starts as the markets'
 * total load.
 */
export const markets: ConstraintFamily = {
  name: 'markets',
  add(ctx: ProblemContext) {
    const { lp, system, steps, index } = ctx;
    index.sale = system.markets.map((m) =>
      steps.map((t) =>
        lp.addColumn(`market.${m.name}.sale[${t}]`, 0, m.maxSale[t], -m.salePrice[t] * system.steps[t].hours),
      ),
    );
    index.buy = system.markets.map((m) =>
      steps.map((t) =>
        lp.addColumn(`market.${m.name}.buy[${t}]`, 0, m.maxBuy[t], m.buyPrice[t] * system.steps[t].hours),
      ),
    );
    for (const t of steps) {
      const balance = ctx.powerBalance[t];
      index.sale.forEach((columns) => balance.terms.push([columns[t], -1]));
      index.buy.forEach((columns) => balance.terms.push([columns[t], 1]));
      balance.load += marketLoad(ctx, t);
    }
  },
};

/** MW: the markets' total load at step t. */
export function marketLoad(ctx: ProblemContext, t: number): number {
  return ctx.system.markets.reduce((sum, m) => sum + m.load[t], 0);
}
