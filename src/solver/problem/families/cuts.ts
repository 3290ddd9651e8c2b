import type { ConstraintFamily, ProblemContext, Terms } from './constraint-family.js';

/**
 * Cut groups (modelling-2.md §5). Per group reservoir an end volume column
 * `e_i = V_iT + transit_i` (its last storage and the water still travelling to it); per price
 * level the objective weighs, the future income c (free, maximised with the level's weight)
 * under every cut of the level, `c − Σ_i a_ik·e_i ≤ K_k`. The reservoirs' own end values are
 * left out (end-value.ts).
 */
export const cuts: ConstraintFamily = {
  name: 'cut groups (future income)',
  add(ctx: ProblemContext) {
    const { lp, system, steps, index } = ctx;
    const groups = system.cutGroups;
    if (!groups?.length) return;
    const last = steps.length - 1;
    index.cutVolumes = groups.map((group) =>
      group.reservoirs.map((r) => {
        const name = `reservoir.${system.reservoirs[r].name}`;
        const e = lp.addColumn(`${name}.cut_end_volume[${last}]`, -Infinity, Infinity);
        const terms: Terms = [
          [e, 1],
          [index.storage[r][last], -1],
        ];
        for (const [column, volume] of ctx.transit[r]) terms.push([column, -volume]);
        lp.addRow(`${name}.cut_end_volume[${last}]`, 0, 0, terms);
        return e;
      }),
    );
    index.futureIncome = groups.map((group, g) =>
      group.weights.map(({ level, weight }) => {
        const name = `cut_group.${group.name}`;
        const c = lp.addColumn(`${name}.future_income${level}[${last}]`, -Infinity, Infinity, -weight);
        const { constant, coefficients } = group.levels[level];
        constant.forEach((k0, k) => {
          const terms: Terms = [[c, 1]];
          group.reservoirs.forEach((_, i) => {
            if (coefficients[i][k] !== 0) terms.push([index.cutVolumes![g][i], -coefficients[i][k]]);
          });
          lp.addRow(`${name}.cut${k}_level${level}[${last}]`, -Infinity, k0, terms);
        });
        return c;
      }),
    );
  },
};
