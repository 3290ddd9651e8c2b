import type { LinearProgram } from '../../src/solver/providers/optimization-provider.js';

const INF = Infinity;

/** Dense rows [lower, coefficients, upper] to CSC. */
export function csc(rows: Array<[number, number[], number]>, numCols: number) {
  const aStart = [0];
  const aIndex: number[] = [];
  const aValue: number[] = [];
  for (let j = 0; j < numCols; j++) {
    rows.forEach(([, coefficients], i) => {
      if (coefficients[j]) {
        aIndex.push(i);
        aValue.push(coefficients[j]);
      }
    });
    aStart.push(aIndex.length);
  }
  return { rowLower: rows.map(([lo]) => lo), rowUpper: rows.map(([, , up]) => up), aStart, aIndex, aValue };
}

/**
 * min 2x − y + 0.5 z[0] − w + v + 3 over x >= 0, y <= 10 (free below), z[0] binary, w integer
 * in [0, 5], v = 3; x + y >= 1, x − 2 z[0] <= 4, y + z[0] = 2, 1 <= x + z[0] <= 5.
 * With z = 0: y = 2, x >= 1, objective 2 − 2 − 5 + 3 + 3 = 1; with z = 1: y = 1, x >= 0,
 * objective −1 + 0.5 − 5 + 3 + 3 = 0.5. So x = 0, y = 1, z = 1, w = 5, v = 3, objective 0.5.
 */
export const TINY: LinearProgram = {
  sense: 'min',
  offset: 3,
  colCost: [2, -1, 0.5, -1, 1],
  colLower: [0, -INF, 0, 0, 3],
  colUpper: [INF, 10, 1, 5, 3],
  colNames: ['x', 'y', 'z[0]', 'w', 'v'],
  integrality: [0, 0, 1, 1, 0],
  rowNames: ['c1', 'c2', 'bal[1]', 'rng'],
  ...csc(
    [
      [1, [1, 1, 0, 0, 0], INF],
      [-INF, [1, 0, -2, 0, 0], 4],
      [2, [0, 1, 1, 0, 0], 2],
      [1, [1, 0, 1, 0, 0], 5],
    ],
    5,
  ),
};
