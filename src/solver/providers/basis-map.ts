import type { LinearProgram } from './optimization-provider.js';

/** HiGHS basis status codes (`highs.constants.basisStatus`). */
export const BASIC = 1;
/** Nonbasic at whichever bound HiGHS finds right (it refines the status before solving). */
export const NONBASIC = 4;
const AT_LOWER = 0;
const AT_UPPER = 2;

/** A simplex basis with the names of the columns and rows it belongs to. */
export interface NamedBasis {
  colStatus: Int32Array;
  rowStatus: Int32Array;
  colNames: readonly string[];
  rowNames: readonly string[];
}

/**
 * `previous`'s basis carried over by name to `lp`, a problem of another size: the iteration after
 * a change of structure (commitments fixed, a segment more or less). A column or row of both
 * keeps its status; a new column is nonbasic and a new row's slack basic. Then statuses are
 * made to fit: a column nonbasic at a bound it no longer has becomes plain nonbasic, and the
 * number of basic entries is brought to the number of rows (turning nonbasic row slacks basic,
 * or basic columns nonbasic, from the last). The result is a start, not a promise: HiGHS repairs
 * a singular one. Undefined when either problem has no names.
 */
export function mappedBasis(
  previous: NamedBasis,
  lp: LinearProgram,
): { colStatus: Int32Array; rowStatus: Int32Array } | undefined {
  const { colNames, rowNames } = lp;
  if (!colNames || !rowNames) return undefined;
  const colStatus = carried(previous.colNames, previous.colStatus, colNames, NONBASIC);
  const rowStatus = carried(previous.rowNames, previous.rowStatus, rowNames, BASIC);
  unboundedToNonbasic(colStatus, lp.colLower, lp.colUpper);
  unboundedToNonbasic(rowStatus, lp.rowLower, lp.rowUpper);
  let excess = count(colStatus, BASIC) + count(rowStatus, BASIC) - rowStatus.length;
  for (let i = rowStatus.length - 1; i >= 0 && excess < 0; i--) {
    if (rowStatus[i] !== BASIC) {
      rowStatus[i] = BASIC;
      excess++;
    }
  }
  for (let j = colStatus.length - 1; j >= 0 && excess > 0; j--) {
    if (colStatus[j] === BASIC) {
      colStatus[j] = NONBASIC;
      excess--;
    }
  }
  return { colStatus, rowStatus };
}

function carried(
  names: readonly string[],
  statuses: Int32Array,
  wanted: readonly string[],
  otherwise: number,
): Int32Array {
  // The same names (a problem builder reuses its name lists): the statuses as they are.
  if (names === wanted) return Int32Array.from(statuses);
  const byName = new Map<string, number>();
  for (let k = 0; k < names.length; k++) byName.set(names[k], statuses[k]);
  const result = new Int32Array(wanted.length);
  for (let k = 0; k < wanted.length; k++) result[k] = byName.get(wanted[k]) ?? otherwise;
  return result;
}

function unboundedToNonbasic(
  statuses: Int32Array,
  lower: LinearProgram['colLower'],
  upper: LinearProgram['colUpper'],
): void {
  for (let k = 0; k < statuses.length; k++) {
    const status = statuses[k];
    if ((status === AT_LOWER && lower[k] === -Infinity) || (status === AT_UPPER && upper[k] === Infinity)) {
      statuses[k] = NONBASIC;
    }
  }
}

function count(statuses: Int32Array, status: number): number {
  let n = 0;
  for (let k = 0; k < statuses.length; k++) if (statuses[k] === status) n++;
  return n;
}
