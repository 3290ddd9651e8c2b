import type { ConstraintFamily, ProblemContext } from './constraint-family.js';

/**
 * Each market's sale and buy at every step (MW, up to `max_sale`/`max_buy`, at the step's
 * prices), and their part of the power balance, whose right-hand side starts as the markets'
 * total load. A reserve market (`market_type` other than ENERGY) stays out of the power
 * balance: it trades in its reserve groups' rows (families/reserves.ts), and nothing where no
 * group is connected to it.
 */
export const markets: ConstraintFamily = {
  name: 'markets',
  add(ctx: ProblemContext) {
    const { lp, system, steps, index } = ctx;
    const trades = (m: number) =>
      !system.markets[m].reserveType || (system.reserves?.groups.some((g) => g.markets.includes(m)) ?? false);
    index.sale = system.markets.map((m, i) => {
      const name = `market.${m.name}.sale`;
      const open = trades(i);
      return steps.map((t) => lp.column(name, t, 0, open ? m.maxSale[t] : 0, -m.salePrice[t] * system.steps[t].hours));
    });
    index.buy = system.markets.map((m, i) => {
      const name = `market.${m.name}.buy`;
      const open = trades(i);
      return steps.map((t) => lp.column(name, t, 0, open ? m.maxBuy[t] : 0, m.buyPrice[t] * system.steps[t].hours));
    });
    for (const t of steps) {
      const balance = ctx.powerBalance;
      system.markets.forEach((m, i) => {
        if (m.reserveType) return;
        balance.terms.add(t, index.sale[i][t], -1);
        balance.terms.add(t, index.buy[i][t], 1);
      });
      balance.load[t] += marketLoad(ctx, t);
    }
  },
};

/** MW: the energy markets' total load at step t. */
export function marketLoad(ctx: ProblemContext, t: number): number {
  return ctx.system.markets.reduce((sum, m) => sum + (m.reserveType ? 0 : m.load[t]), 0);
}
