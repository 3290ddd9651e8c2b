import { describe, expect, it } from '@jest/globals';
import { LpBuilder } from '../lp-builder.js';
import { SharedRows } from './constraint-family.js';

describe(SharedRows.name, () => {
  it("writes each row's terms in the order they were added, rows interleaved, past its initial size", () => {
    const lp = new LpBuilder();
    const columns = Array.from({ length: 3 }, (_, j) => lp.addColumn(`x${j}`, 0, 1));
    const shared = new SharedRows(3);
    for (let k = 0; k < 1500; k++) shared.add(k % 2, columns[k % 3], k + 1);
    shared.add(2, columns[2], 7);
    shared.add(2, columns[0], 5);
    // The sum of repeated terms shows their order: (0.1 + 0.2) + 0.3 differs from (0.3 + 0.2) + 0.1.
    for (const value of [0.1, 0.2, 0.3]) shared.add(2, columns[1], value);
    for (let row = 0; row < 4; row++) {
      lp.row('balance', row, 0, 0);
      if (row < 3) shared.writeTo(lp, row);
    }
    const built = lp.build();
    // Row 0 gets k = 0, 2, 4, ... (columns 0, 2, 1, 0, ...), row 1 k = 1, 3, 5, ...; each column sums its terms.
    const sum = (row: number, column: number) =>
      Array.from({ length: 1500 }, (_, k) => k).reduce(
        (total, k) => (k % 2 === row && k % 3 === column ? total + k + 1 : total),
        0,
      );
    const at = (row: number, column: number) => {
      for (let k = built.aStart[column]; k < built.aStart[column + 1]; k++) {
        if (built.aIndex[k] === row) return built.aValue[k];
      }
      return 0;
    };
    for (const row of [0, 1]) for (const column of [0, 1, 2]) expect(at(row, column)).toBe(sum(row, column));
    expect([at(2, 0), at(2, 1), at(2, 2), at(3, 0)]).toEqual([5, 0.1 + 0.2 + 0.3, 7, 0]);
    expect(at(2, 1)).not.toBe(0.3 + 0.2 + 0.1);
  });
});
