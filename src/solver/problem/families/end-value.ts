import type { ConstraintFamily, ProblemContext } from './constraint-family.js';

/**
 * The end value of the water left, on the last storage columns (modelling.md, modelling-2.md §5):
 * `− WV_r · V_r[T]` for a global water value (energy values, or a one-point water-value table);
 * for a table of marginal values per volume segment, `V_r[T] = Σ v_j`, `0 ≤ v_j ≤ len_j`, value
 * `− Σ y_j·v_j` (y falls, so the segments fill in order).
 */
export const endValue: ConstraintFamily = {
  name: 'end value of water',
  add(ctx: ProblemContext) {
    const { lp, system, input, steps, index } = ctx;
    const last = steps.length - 1;
    system.reservoirs.forEach((reservoir, r) => {
      // A cut group values its reservoirs' water (cuts.ts).
      if (reservoir.cutGroup !== undefined && system.cutGroups?.length) return;
      const table = reservoir.endValueTable;
      if (table?.kind !== 'segments') {
        lp.addCost(index.storage[r][last], -input.waterValues[r]);
        return;
      }
      const columns = table.segments.map((segment, j) =>
        lp.addColumn(`reservoir.${reservoir.name}.end_value_segment${j}[${last}]`, 0, segment.length, -segment.value),
      );
      lp.addRow(`reservoir.${reservoir.name}.end_value_segments[${last}]`, 0, 0, [
        [index.storage[r][last], 1],
        ...columns.map((column): [number, number] => [column, -1]),
      ]);
    });
  },
};
