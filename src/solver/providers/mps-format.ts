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
  "'MARKER'",
  "'INTORG'",
  "'INTEND'",
  'SOS',
  'QUADOBJ',
  'QMATRIX',
]);

const MAX_NAME = 255;
const LONGEST_KEYWORD = Math.max(...[...KEYWORDS].map((keyword) => keyword.length));

/** Printable ASCII without spaces; `*` and `$` begin comments in some readers. */
export function isValidMpsName(name: string): boolean {
  const length = name.length;
  if (length === 0 || length > MAX_NAME || name[0] === '*' || name[0] === '$') return false;
  // A loop, not a regular expression: an LP has 100 000 names.
  for (let k = 0; k < length; k++) {
    const code = name.charCodeAt(k);
    if (code < 33 || code > 126) return false;
  }
  return length > LONGEST_KEYWORD || !KEYWORDS.has(name.toUpperCase());
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
  while (lp.rowNames?.includes(objective)) objective += '_';
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
  if (lo + r === up || up - r === lo) return r;
  for (const candidate of [neighbour(r, 1), neighbour(r, -1)]) {
    if (lo + candidate === up || up - candidate === lo) return candidate;
  }
  return r;
}

/** The LP as free MPS text (ends with a newline). Throws on an LP whose arrays do not fit together. */
export function toMps(lp: LinearProgram, options: MpsOptions = {}): string {
  return Buffer.from(toMpsWithNames(lp, options).bytes).toString('latin1');
}

/**
 * `toMps` as bytes (ASCII), and the names it used. Written straight into a buffer, names
 * copied from one encoding of each: a problem of 50 000 columns is tens of MB of text, which
 * joining lines as strings makes several times slower.
 */
export function toMpsWithNames(lp: LinearProgram, options: MpsOptions = {}): { bytes: Uint8Array; names: MpsNames } {
  const { numCols, numRows } = dimensions(lp);
  const names = mpsNames(lp);
  const columns = new NameTable(names.columns);
  const rows = new NameTable([...names.rows, names.objective]);
  const obj = numRows; // the objective's index in `rows`
  // Room for the lines of every entry, cost, row and bound (numbers at most 24 characters).
  const perEntry = columns.averageLength() + rows.averageLength() + 28;
  const out = new Bytes(perEntry * (lp.aIndex.length + 2 * numCols + 3 * numRows) + 1024);
  if (options.comment) for (const line of options.comment.split('\n')) out.line(`* ${printable(line)}`);
  // FREE on the NAME line is what makes CBC read the file as free format.
  out.line(`NAME ${printable(options.name ?? 'tarn').replace(/\s+/g, '_')} FREE`);
  if (lp.sense === 'max') out.line('OBJSENSE').line('    MAX');

  const kinds = Array.from({ length: numRows }, (_, i) => rowOf(lp.rowLower[i], lp.rowUpper[i]));
  out.line('ROWS').text(' N ').name(rows, obj).newline();
  for (let i = 0; i < numRows; i++) out.text(` ${kinds[i].type} `).name(rows, i).newline();

  out.line('COLUMNS');
  writeColumns(lp, columns, rows, obj, out);

  out.line('RHS');
  const offset = lp.offset ?? 0;
  if (offset !== 0) {
    out.text(' RHS ').name(rows, obj).number(-offset).newline();
  }
  let ranged = false;
  for (let i = 0; i < numRows; i++) {
    const row = kinds[i];
    if (row.rhs !== 0) {
      out
        .text(' RHS ')
        .name(rows, i)
        .number(row.rhs === Infinity ? 1e30 : row.rhs)
        .newline();
    }
    if (row.range !== undefined) ranged = true;
  }
  if (ranged) {
    out.line('RANGES');
    for (let i = 0; i < numRows; i++) {
      const { range } = kinds[i];
      if (range !== undefined) {
        out.text(' RNG ').name(rows, i).number(range).newline();
      }
    }
  }

  let bounded = false;
  for (let j = 0; j < numCols; j++) {
    for (const [type, value] of boundsOf(lp.colLower[j], lp.colUpper[j], isInteger(lp, j))) {
      if (!bounded) out.line('BOUNDS');
      bounded = true;
      out.text(` ${type} BND `).name(columns, j);
      if (value !== undefined) out.number(value);
      out.newline();
    }
  }
  out.line('ENDATA');
  return { bytes: out.done(), names };
}

/** Printable ASCII only (comments and the problem name may come from anywhere). */
const printable = (text: string): string => text.replace(/[^ -~]/g, '?');

/** Names (printable ASCII, as `isValidMpsName` or generated) encoded once, copied by index. */
class NameTable {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;

  constructor(names: readonly string[]) {
    this.bytes = Buffer.from(names.join(''), 'latin1');
    this.starts = new Int32Array(names.length + 1);
    for (let k = 0; k < names.length; k++) this.starts[k + 1] = this.starts[k] + names[k].length;
  }

  averageLength(): number {
    return Math.ceil(this.bytes.length / Math.max(1, this.starts.length - 1));
  }
}

/** A growing byte buffer for ASCII text. */
class Bytes {
  private buffer: Uint8Array;
  private at = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(capacity);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const larger = new Uint8Array(Math.max(2 * this.buffer.length, this.at + bytes));
    larger.set(this.buffer.subarray(0, this.at));
    this.buffer = larger;
  }

  text(text: string): this {
    this.room(text.length);
    const buffer = this.buffer;
    let at = this.at;
    for (let k = 0; k < text.length; k++) buffer[at++] = text.charCodeAt(k);
    this.at = at;
    return this;
  }

  name(table: NameTable, index: number): this {
    const start = table.starts[index];
    const end = table.starts[index + 1];
    this.room(end - start);
    const { bytes } = table;
    const buffer = this.buffer;
    let at = this.at;
    for (let k = start; k < end; k++) buffer[at++] = bytes[k];
    this.at = at;
    return this;
  }

  /** A space and the number, JavaScript's shortest exact decimal (1e30 is 1e+30, infinity to readers). */
  number(value: number): this {
    this.room(1);
    this.buffer[this.at++] = 32;
    // Integers (half of an LP's numbers: ±1, bounds, counts) without making a string; same digits as String().
    if (!Number.isInteger(value) || Math.abs(value) >= 1e15) return this.text(String(value));
    this.room(17);
    let rest = Math.abs(value);
    if (value < 0) this.buffer[this.at++] = 45;
    let digits = 1;
    for (let power = 10; power <= rest; power *= 10) digits++;
    const end = this.at + digits;
    for (let at = end - 1; at >= this.at; at--) {
      this.buffer[at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.at = end;
    return this;
  }

  newline(): this {
    this.room(1);
    this.buffer[this.at++] = 10;
    return this;
  }

  line(text: string): this {
    return this.text(text).newline();
  }

  done(): Uint8Array {
    return this.buffer.subarray(0, this.at);
  }
}

/** The COLUMNS section's lines, integer runs between markers. */
function writeColumns(lp: LinearProgram, columns: NameTable, rows: NameTable, obj: number, out: Bytes): void {
  let inIntegers = false;
  let markers = 0;
  const numCols = lp.colCost.length;
  for (let j = 0; j < numCols; j++) {
    const integer = isInteger(lp, j);
    if (integer !== inIntegers) {
      out.line(` MARKER${markers++} 'MARKER' ${integer ? "'INTORG'" : "'INTEND'"}`);
      inIntegers = integer;
    }
    const cost = lp.colCost[j];
    const start = lp.aStart[j];
    const end = lp.aStart[j + 1];
    if (cost !== 0 || start === end) {
      out.text(' ').name(columns, j).text(' ').name(rows, obj).number(cost).newline();
    }
    for (let k = start; k < end; k++) {
      out.text(' ').name(columns, j).text(' ').name(rows, lp.aIndex[k]).number(lp.aValue[k]).newline();
    }
  }
  if (inIntegers) out.line(` MARKER${markers} 'MARKER' 'INTEND'`);
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
