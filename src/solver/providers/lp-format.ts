/**
 * A `LinearProgram` as CPLEX LP text (the format HiGHS, CPLEX, Gurobi, CBC and GLPK read), for
 * people and other solvers to look at: `--minimal-infeasible-problem-file` is written with it.
 * Pure.
 *
 * - Names become legal LP identifiers that stay recognisable: `[` and `]` become `(` and `)`
 *   (`reservoir.Reservoir1.storage[3]` -> `reservoir.Reservoir1.storage(3)`), accents are
 *   dropped, other characters outside letters, digits and `_ . ( ) ~` become `_`, a name that
 *   could be read as a number or a keyword gets a leading `_`, and a name already taken gets
 *   `~2`, `~3`, ... Missing names are `x<j>` for columns and `r<i>` for rows.
 * - A ranged row (both bounds finite and different) is written as two rows, `<name>_lo` (>=)
 *   and `<name>_up` (<=): not every reader takes `lo <= expression <= up`. A free row is
 *   written `>= -inf`.
 * - Every bound that differs from the LP default [0, +inf) is written, both sides explicitly;
 *   integer columns with bounds [0, 1] are listed under Binaries, other integers under Generals.
 * - Long expressions wrap onto continuation lines (a line holds at least one term).
 */
import type { LinearProgram } from './optimization-provider.js';

export interface LpFormatOptions {
  /** Written at the top as `\` comment lines. */
  comment?: string;
  /** Width at which expressions wrap; default 80. */
  lineWidth?: number;
}

/** Words a reader may take for a section keyword or a bound at the start of a name. */
const RESERVED = new Set([
  'min',
  'max',
  'minimize',
  'maximize',
  'minimise',
  'maximise',
  'minimum',
  'maximum',
  'subject',
  'to',
  'st',
  's.t.',
  'such',
  'that',
  'bound',
  'bounds',
  'free',
  'inf',
  'infinity',
  'gen',
  'general',
  'generals',
  'bin',
  'binary',
  'binaries',
  'semi',
  'semis',
  'sos',
  'end',
]);

/** CPLEX allows 255 characters; room is kept for a uniqueness suffix. */
const MAX_NAME = 240;

export function legalLpName(name: string): string {
  let legal = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\[/g, '(')
    .replace(/\]/g, ')')
    .replace(/[^A-Za-z0-9_.()~]/g, '_');
  if (legal === '' || /^[0-9.]/.test(legal) || /^[eE][0-9]/.test(legal) || RESERVED.has(legal.toLowerCase())) {
    legal = `_${legal}`;
  }
  return legal.slice(0, MAX_NAME);
}

/** Legal and unique names within one namespace (columns, or rows). */
class Names {
  private readonly taken = new Set<string>();

  constructor(reserved: string[] = []) {
    reserved.forEach((name) => this.taken.add(name));
  }

  take(raw: string): string {
    const base = legalLpName(raw);
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}~${k}`;
    this.taken.add(name);
    return name;
  }
}

function number(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value === 0 ? 0 : value); // no "-0"
}

/** `3 x`, `- x`, `+ 2.5 y` ...: the first term has no `+`. */
function terms(entries: Array<[coefficient: number, name: string]>): string[] {
  return entries.map(([coefficient, name], k) => {
    const magnitude = Math.abs(coefficient);
    const body = magnitude === 1 ? name : `${number(magnitude)} ${name}`;
    if (coefficient < 0) return `- ${body}`;
    return k === 0 ? body : `+ ${body}`;
  });
}

/** `head piece piece ...`, wrapped at `width` onto lines indented by two spaces. */
function wrap(head: string, pieces: string[], width: number): string[] {
  const lines: string[] = [];
  let line = head;
  let count = 0; // pieces on the current line
  for (const piece of pieces) {
    if (count > 0 && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = `  ${piece}`;
    } else {
      line = `${line} ${piece}`;
    }
    count++;
  }
  lines.push(line);
  return lines;
}

export function toLpFormat(lp: LinearProgram, options: LpFormatOptions = {}): string {
  const width = options.lineWidth ?? 80;
  const numCols = lp.colCost.length;
  const numRows = lp.rowLower.length;
  const out: string[] = [];
  if (options.comment) out.push(...options.comment.split('\n').map((line) => `\\ ${line}`));

  const columnNames = new Names();
  const colName = Array.from({ length: numCols }, (_, j) => columnNames.take(lp.colNames?.[j] ?? `x${j}`));
  const rowNames = new Names(['obj']);
  const used = new Uint8Array(numCols); // whether a column occurs in the objective or a row

  // Rows from the CSC arrays.
  const rows: Array<Array<[number, string]>> = Array.from({ length: numRows }, () => []);
  for (let j = 0; j < numCols; j++) {
    for (let k = lp.aStart[j]; k < lp.aStart[j + 1]; k++) {
      rows[lp.aIndex[k]].push([lp.aValue[k], colName[j]]);
      used[j] = 1;
    }
  }

  out.push(lp.sense === 'max' ? 'Maximize' : 'Minimize');
  const objective: Array<[number, string]> = [];
  for (let j = 0; j < numCols; j++) {
    if (lp.colCost[j] !== 0) {
      objective.push([lp.colCost[j], colName[j]]);
      used[j] = 1;
    }
  }
  const pieces = terms(objective);
  const offset = lp.offset ?? 0;
  if (offset !== 0) {
    const magnitude = number(Math.abs(offset));
    pieces.push(offset < 0 ? `- ${magnitude}` : pieces.length ? `+ ${magnitude}` : magnitude);
  }
  out.push(...wrap(' obj:', pieces, width));

  out.push('Subject To');
  // An empty row still needs a term: `0 <column>`, with a fixed column of its own when there is none.
  let zeroColumn: string | undefined;
  const emptyTerm = (): [number, string] => [0, colName[0] ?? (zeroColumn ??= columnNames.take('zero'))];
  for (let i = 0; i < numRows; i++) {
    const lower = lp.rowLower[i];
    const upper = lp.rowUpper[i];
    const name = lp.rowNames?.[i] ?? `r${i}`;
    const expression = terms(rows[i].length ? rows[i] : [emptyTerm()]);
    const row = (rowName: string, relation: string) =>
      out.push(...wrap(` ${rowNames.take(rowName)}:`, [...expression, relation], width));
    if (lower === upper) row(name, `= ${number(lower)}`);
    else if (lower === -Infinity && upper === Infinity) row(name, '>= -inf');
    else if (upper === Infinity) row(name, `>= ${number(lower)}`);
    else if (lower === -Infinity) row(name, `<= ${number(upper)}`);
    else {
      row(`${name}_lo`, `>= ${number(lower)}`);
      row(`${name}_up`, `<= ${number(upper)}`);
    }
  }

  const bounds: string[] = [];
  const generals: string[] = [];
  const binaries: string[] = [];
  for (let j = 0; j < numCols; j++) {
    const lower = lp.colLower[j];
    const upper = lp.colUpper[j];
    const name = colName[j];
    const integer = lp.integrality !== undefined && lp.integrality[j] !== 0;
    if (integer && lower === 0 && upper === 1) {
      binaries.push(name);
      continue;
    }
    if (integer) generals.push(name);
    if (lower === upper) bounds.push(` ${name} = ${number(lower)}`);
    else if (lower === -Infinity && upper === Infinity) bounds.push(` ${name} free`);
    else if (upper === Infinity) {
      // The default [0, inf) is written only to declare a column that occurs nowhere else.
      if (lower !== 0 || !used[j]) bounds.push(` ${name} >= ${number(lower)}`);
    } else bounds.push(` ${number(lower)} <= ${name} <= ${number(upper)}`);
  }
  if (zeroColumn !== undefined) bounds.push(` ${zeroColumn} = 0`);
  if (bounds.length) out.push('Bounds', ...bounds);
  if (generals.length) out.push('Generals', ...wrap('', generals, width));
  if (binaries.length) out.push('Binaries', ...wrap('', binaries, width));
  out.push('End', '');
  return out.join('\n');
}
