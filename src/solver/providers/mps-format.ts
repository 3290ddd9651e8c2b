/**
 * A `LinearProgram` as free-format MPS, the file HiGHS (`highs --model_file x.mps`) and CBC
 * (`cbc x.mps -solve`) both read, for solving Tarn's problems outside Tarn. Pure.
 *
 * - Columns are written in the LP's order and rows in theirs, so a solution of the file maps
 *   back by index. Every column appears in COLUMNS, one with neither cost nor entries as a zero
 *   cost, so that none is dropped.
 * - Names are the LP's where they are valid MPS names (printable ASCII without spaces, not
 *   starting with `*` or `$`, at most 255 characters, not an MPS keyword, and not taken by an
 *   earlier column, or row); otherwise `x<j>` for columns and `r<i>` for rows (with `_` added
 *   while that is taken). The objective row is `obj` (or `obj_`, ...).
 * - The objective constant is the RHS of the objective row, negated: HiGHS and CBC both read
 *   the objective as `Σ c·x − RHS(obj)`.
 * - A maximization gets `OBJSENSE MAX`. HiGHS honours it; CBC 2.10 ignores it (it says so when
 *   reading) and needs `-max` on its command line.
 * - Rows: equal bounds E, only a lower G, only an upper L, both (different) G with a RANGES
 *   entry `upper − lower` (or L where that reads back exactly and G does not), neither L with
 *   RHS 1e+30 (kept so that row indices stay aligned).
 * - Bounds: the MPS default [0, +inf) is left out for continuous columns; integer columns get
 *   theirs always (some readers give an integer column without bounds an upper bound of 1):
 *   `BV` for [0, 1], else explicitly. `FX` for equal bounds, `FR` for none, `MI` for no lower.
 *   An upper bound comes before the lower one, since a negative `UP` on a column whose lower
 *   bound is still 0 makes readers set the lower bound to −inf.
 * - Integer columns stand between `MARKER INTORG` / `MARKER INTEND` lines.
 * - Numbers are JavaScript's shortest exact decimal (they read back to the same double).
 */
import { type LinearProgram, dimensions } from './optimization-provider.js';

export interface MpsOptions {
  /** The NAME of the problem (spaces become `_`); default `tarn`. */
  name?: string;
  /** Written at the top as `*` comment lines. */
  comment?: string;
}

/** What the writer did with the LP's names: how many it had to replace. */
export interface MpsNames {
  objective: string;
  columns: string[];
  rows: string[];
  /** Columns and rows whose LP name was missing, invalid or a repeat. */
  generatedColumns: number;
  generatedRows: number;
}

const KEYWORDS = new Set([
  'NAME',
  'ROWS',
  'COLUMNS',
  'RHS',
  'RANGES',
  'BOUNDS',
  'ENDATA',
  'OBJSENSE',
  'OBJSENS',
  'MARKER',
  'SOS',
  'QUADOBJ',
  'QMATRIX',
]);

const MAX_NAME = 255;

/** Printable ASCII without spaces; `*` and `$` begin comments in some readers. */
export function isValidMpsName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_NAME &&
    /^[!-~]+$/.test(name) &&
    name[0] !== '*' &&
    name[0] !== '$' &&
    !KEYWORDS.has(name.toUpperCase())
  );
}

/** The LP's names where valid and unique in their namespace, else `<prefix><index>` made unique. */
function chooseNames(
  count: number,
  given: readonly string[] | undefined,
  prefix: string,
  reserved: string[],
): { names: string[]; generated: number } {
  const taken = new Set(reserved);
  const names: string[] = new Array<string>(count);
  const missing: number[] = [];
  for (let k = 0; k < count; k++) {
    const name = given?.[k];
    if (name !== undefined && isValidMpsName(name) && !taken.has(name)) {
      names[k] = name;
      taken.add(name);
    } else {
      missing.push(k);
    }
  }
  for (const k of missing) {
    let name = `${prefix}${k}`;
    while (taken.has(name)) name += '_';
    names[k] = name;
    taken.add(name);
  }
  return { names, generated: missing.length };
}

/** The names the file uses, by the rules above. */
export function mpsNames(lp: LinearProgram): MpsNames {
  const { numCols, numRows } = dimensions(lp);
  let objective = 'obj';
  // The objective is a row too: it must not take a row's name.
  const rowNames = new Set(lp.rowNames ?? []);
  while (rowNames.has(objective)) objective += '_';
  const columns = chooseNames(numCols, lp.colNames, 'x', []);
  const rows = chooseNames(numRows, lp.rowNames, 'r', [objective]);
  return {
    objective,
    columns: columns.names,
    rows: rows.names,
    generatedColumns: columns.generated,
    generatedRows: rows.generated,
  };
}

const num = (value: number): string => String(value);

const scratch = new DataView(new ArrayBuffer(8));
/** The neighbouring double of a positive finite `value`, one unit in the last place up or down. */
function neighbour(value: number, step: 1 | -1): number {
  scratch.setFloat64(0, value);
  scratch.setBigUint64(0, scratch.getBigUint64(0) + BigInt(step));
  return scratch.getFloat64(0);
}

/**
 * R of a ranged row, read back as [lo, lo + R] from a G row (or [up − R, up] from an L row):
 * `up − lo` rounded, or a neighbour of it, so that the reader's sum gives the bound exactly
 * when some R can.
 */
function rangeOf(lo: number, up: number): number {
  const r = up - lo;
  for (const candidate of [r, neighbour(r, 1), neighbour(r, -1)]) {
    if (lo + candidate === up || up - candidate === lo) return candidate;
  }
  return r;
}

/** The LP as free MPS text (ends with a newline). Throws on an LP whose arrays do not fit together. */
export function toMps(lp: LinearProgram, options: MpsOptions = {}): string {
  return toMpsWithNames(lp, options).text;
}

/** `toMps` and the names it used. */
export function toMpsWithNames(lp: LinearProgram, options: MpsOptions = {}): { text: string; names: MpsNames } {
  const { numCols, numRows } = dimensions(lp);
  const names = mpsNames(lp);
  const { objective: obj, columns, rows } = names;
  const out: string[] = [];
  if (options.comment) for (const line of options.comment.split('\n')) out.push(`* ${line}`);
  // FREE on the NAME line is what makes CBC read the file as free format.
  out.push(`NAME ${(options.name ?? 'tarn').replace(/\s+/g, '_')} FREE`);
  if (lp.sense === 'max') out.push('OBJSENSE', '    MAX');

  out.push('ROWS', ` N ${obj}`);
  const rhs: string[] = [];
  const ranges: string[] = [];
  const offset = lp.offset ?? 0;
  if (offset !== 0) rhs.push(` RHS ${obj} ${num(-offset)}`);
  for (let i = 0; i < numRows; i++) {
    const row = rowOf(lp.rowLower[i], lp.rowUpper[i]);
    out.push(` ${row.type} ${rows[i]}`);
    if (row.rhs !== 0) rhs.push(` RHS ${rows[i]} ${row.rhs === Infinity ? '1e+30' : num(row.rhs)}`);
    if (row.range !== undefined) ranges.push(` RNG ${rows[i]} ${num(row.range)}`);
  }

  out.push('COLUMNS');
  writeColumns(lp, names, out);

  out.push('RHS', ...rhs);
  if (ranges.length > 0) out.push('RANGES', ...ranges);

  const bounds: string[] = [];
  for (let j = 0; j < numCols; j++) {
    for (const [type, value] of boundsOf(lp.colLower[j], lp.colUpper[j], isInteger(lp, j))) {
      bounds.push(value === undefined ? ` ${type} BND ${columns[j]}` : ` ${type} BND ${columns[j]} ${num(value)}`);
    }
  }
  if (bounds.length > 0) out.push('BOUNDS', ...bounds);
  out.push('ENDATA', '');
  return { text: out.join('\n'), names };
}

/** The COLUMNS section's lines, integer runs between markers. */
function writeColumns(lp: LinearProgram, { objective: obj, columns, rows }: MpsNames, out: string[]): void {
  let inIntegers = false;
  let markers = 0;
  for (let j = 0; j < columns.length; j++) {
    const integer = isInteger(lp, j);
    if (integer !== inIntegers) {
      out.push(` MARKER${markers++} 'MARKER' ${integer ? "'INTORG'" : "'INTEND'"}`);
      inIntegers = integer;
    }
    const name = columns[j];
    const cost = lp.colCost[j];
    const start = lp.aStart[j];
    const end = lp.aStart[j + 1];
    if (cost !== 0 || start === end) out.push(` ${name} ${obj} ${num(cost)}`);
    for (let k = start; k < end; k++) out.push(` ${name} ${rows[lp.aIndex[k]]} ${num(lp.aValue[k])}`);
  }
  if (inIntegers) out.push(` MARKER${markers} 'MARKER' 'INTEND'`);
}

const isInteger = (lp: LinearProgram, j: number): boolean => lp.integrality !== undefined && lp.integrality[j] !== 0;

/** A row's type, RHS (0 is the default, +Infinity for a free row) and range. */
function rowOf(lo: number, up: number): { type: 'E' | 'L' | 'G'; rhs: number; range?: number } {
  if (lo === up) return { type: 'E', rhs: lo };
  if (lo === -Infinity) return { type: 'L', rhs: up };
  if (up === Infinity) return { type: 'G', rhs: lo };
  const range = rangeOf(lo, up);
  return lo + range !== up && up - range === lo ? { type: 'L', rhs: up, range } : { type: 'G', rhs: lo, range };
}

/** A column's bound lines as [type, value]; none for the default [0, +inf) of a continuous column. */
function boundsOf(lo: number, up: number, integer: boolean): Array<[string, number?]> {
  if (lo === up) return [['FX', lo]];
  if (lo === -Infinity && up === Infinity) return [['FR']];
  if (integer && lo === 0 && up === 1) return [['BV']];
  const lines: Array<[string, number?]> = [];
  if (up !== Infinity) lines.push(['UP', up]);
  else if (integer) lines.push(['PL']);
  if (lo === -Infinity) lines.push(['MI']);
  else if (lo !== 0 || integer || up < 0) lines.push(['LO', lo]);
  return lines;
}
