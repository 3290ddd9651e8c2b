import type { LinearProgram } from '../providers/optimization-provider.js';

/** No `[step]` suffix on a name. */
const NO_STEP = -1;

/**
 * Builds a sparse linear program column by column and row by row, with names, then hands it
 * over in compressed sparse column form (what the providers take). Names make solver output
 * and conflicting-constraint reports readable in SHOP terms (`reservoir.Reservoir1.balance[3]`).
 *
 * Lean by design, since a run builds one problem per iteration: the columns, rows and matrix
 * entries go to typed arrays that grow by doubling and are kept across `reset()`, so a builder
 * reused for a run's iterations allocates next to nothing once it has grown. A name is kept
 * as its prefix and step (`column(prefix, t, ...)` names the column `prefix[t]`), and the
 * strings are made only when the names differ from the previous build's; otherwise the
 * previous build's name arrays are handed over again (they are read-only).
 */
export class LpBuilder {
  private cols = 0;
  private colLower = new Float64Array(64);
  private colUpper = new Float64Array(64);
  private colCost = new Float64Array(64);
  private integrality = new Int32Array(64);
  private colPrefix: string[] = [];
  private colStep: Int32Array = new Int32Array(64);
  private rows = 0;
  private rowLower = new Float64Array(64);
  private rowUpper = new Float64Array(64);
  private rowPrefix: string[] = [];
  private rowStep: Int32Array = new Int32Array(64);
  /** Matrix entries as triplets, in the order rows were added (so each column's rows ascend). */
  private entries = 0;
  private entryRow = new Int32Array(256);
  private entryCol = new Int32Array(256);
  private entryValue = new Float64Array(256);
  private count = new Int32Array(0);
  private sortedRow = new Int32Array(0);
  private sortedValue = new Float64Array(0);
  private sortedAt = new Int32Array(0);
  private slot = new Int32Array(0);
  /** The names made so far, by prefix and step. */
  private readonly madeNames = new Map<string, string[]>();
  /** The last sorted build's matrix layout, for builds whose triplets sit where its did. */
  private readonly layout = noLayout();
  /** The previous build's names, and whether this build's names are the same so far. */
  private previous?: NameParts;
  private sameColNames = true;
  private sameRowNames = true;
  offset = 0;

  get numCols(): number {
    return this.cols;
  }

  get numRows(): number {
    return this.rows;
  }

  get numIntegers(): number {
    let sum = 0;
    for (let j = 0; j < this.cols; j++) sum += this.integrality[j];
    return sum;
  }

  /** Starts a new problem, keeping the arrays (and the names of the last build, to reuse them). */
  reset(): void {
    this.cols = 0;
    this.rows = 0;
    this.entries = 0;
    this.offset = 0;
    this.sameColNames = this.sameRowNames = true;
  }

  addColumn(name: string, lower: number, upper: number, cost = 0, integer = false): number {
    return this.column(name, NO_STEP, lower, upper, cost, integer);
  }

  /** A column named `prefix[step]`. */
  column(prefix: string, step: number, lower: number, upper: number, cost = 0, integer = false): number {
    if (!(lower <= upper)) {
      throw new Error(`column ${nameOf(prefix, step)}: lower bound ${lower} above upper bound ${upper}`);
    }
    const j = this.cols;
    if (j === this.colLower.length) this.growColumns();
    this.colLower[j] = lower;
    this.colUpper[j] = upper;
    this.colCost[j] = cost;
    this.integrality[j] = integer ? 1 : 0;
    if (this.sameColNames) {
      const previous = this.previous;
      this.sameColNames =
        previous !== undefined && j < previous.cols && previous.colStep[j] === step && previous.colPrefix[j] === prefix;
    }
    this.colPrefix[j] = prefix;
    this.colStep[j] = step;
    this.cols = j + 1;
    return j;
  }

  addCost(column: number, cost: number): void {
    this.colCost[column] += cost;
  }

  /** A row `lower <= Σ coef·x[col] <= upper`; repeated columns are summed; zeros dropped. */
  addRow(
    name: string,
    lower: number,
    upper: number,
    terms: ReadonlyArray<readonly [column: number, coefficient: number]>,
  ): number {
    for (let i = 0; i < terms.length; i++) this.checkColumn(name, NO_STEP, terms[i][0]);
    const row = this.row(name, NO_STEP, lower, upper);
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i];
      this.term(term[0], term[1]);
    }
    return row;
  }

  /** A row named `prefix[step]`, `lower <= ... <= upper`, whose terms `term()` adds next. */
  row(prefix: string, step: number, lower: number, upper: number): number {
    const i = this.rows;
    if (i === this.rowLower.length) this.growRows();
    this.rowLower[i] = lower;
    this.rowUpper[i] = upper;
    if (this.sameRowNames) {
      const previous = this.previous;
      this.sameRowNames =
        previous !== undefined && i < previous.rows && previous.rowStep[i] === step && previous.rowPrefix[i] === prefix;
    }
    this.rowPrefix[i] = prefix;
    this.rowStep[i] = step;
    this.rows = i + 1;
    return i;
  }

  /** `coefficient·x[column]` in the row added last; repeated columns are summed, zeros dropped. */
  term(column: number, coefficient: number): void {
    const row = this.rows - 1;
    if (!(column >= 0 && column < this.cols)) this.checkColumn(this.rowPrefix[row], this.rowStep[row], column);
    if (coefficient === 0) return;
    const k = this.entries;
    if (k === this.entryRow.length) this.growEntries();
    this.entryRow[k] = row;
    this.entryCol[k] = column;
    this.entryValue[k] = coefficient;
    this.entries = k + 1;
  }

  columnName(column: number): string {
    return nameOf(this.colPrefix[column], this.colStep[column]);
  }

  rowName(row: number): string {
    return nameOf(this.rowPrefix[row], this.rowStep[row]);
  }

  /**
   * The program in CSC form: a counting sort of the triplets by column, repeated (row, column)
   * pairs summed, zero sums dropped. When the triplets sit where the previous build's did (a
   * run's iterations change coefficients, not structure), the previous build's layout is
   * reused and only the values are placed.
   */
  build(sense: LinearProgram['sense'] = 'min'): LinearProgram {
    const matrix = this.reusableLayout() ?? this.sortedMatrix();
    const names = this.names();
    return {
      sense,
      offset: this.offset,
      colCost: this.colCost.slice(0, this.cols),
      colLower: this.colLower.slice(0, this.cols),
      colUpper: this.colUpper.slice(0, this.cols),
      colNames: names.colNames,
      integrality: this.integrality.slice(0, this.cols),
      rowLower: this.rowLower.slice(0, this.rows),
      rowUpper: this.rowUpper.slice(0, this.rows),
      rowNames: names.rowNames,
      ...matrix,
    };
  }

  /** The matrix on the previous build's layout, when the triplets are where they were and no sum is zero. */
  private reusableLayout(): Matrix | undefined {
    const layout = this.layout;
    const entries = this.entries;
    if (!layout.valid || layout.cols !== this.cols || layout.entries !== entries) return undefined;
    const { entryRow, entryCol, entryValue } = this;
    for (let k = 0; k < entries; k++) {
      if (entryRow[k] !== layout.entryRow[k] || entryCol[k] !== layout.entryCol[k]) return undefined;
    }
    const { place, nonzeros } = layout;
    const aValue = new Float64Array(nonzeros);
    // In triplet order, as the sort sums repeats.
    for (let k = 0; k < entries; k++) aValue[place[k]] += entryValue[k];
    for (let i = 0; i < nonzeros; i++) if (aValue[i] === 0) return undefined;
    return { aStart: layout.aStart.slice(0, this.cols + 1), aIndex: layout.aIndex.slice(0, nonzeros), aValue };
  }

  /** The matrix by sorting the triplets; keeps the layout for the next build when no sum was dropped. */
  private sortedMatrix(): Matrix {
    const numCols = this.cols;
    const entries = this.entries;
    const { entryRow, entryCol, entryValue } = this;
    // Scratch, kept for the next build: the column starts, the sorted entries, where they went.
    if (this.count.length < numCols + 1) this.count = new Int32Array(2 * (numCols + 1));
    if (this.sortedRow.length < entries) {
      this.sortedRow = new Int32Array(entryRow.length);
      this.sortedValue = new Float64Array(entryRow.length);
      this.sortedAt = new Int32Array(entryRow.length);
      this.slot = new Int32Array(entryRow.length);
    }
    const { count, sortedRow: rows, sortedValue: values, sortedAt, slot } = this;
    count.fill(0, 0, numCols + 1);
    for (let k = 0; k < entries; k++) count[entryCol[k] + 1]++;
    for (let j = 0; j < numCols; j++) count[j + 1] += count[j];
    // aStart serves as the next free place of each column while sorting, then gets its starts.
    const aStart = new Int32Array(numCols + 1);
    aStart.set(count.subarray(0, numCols));
    for (let k = 0; k < entries; k++) {
      const at = aStart[entryCol[k]]++;
      rows[at] = entryRow[k];
      values[at] = entryValue[k];
      sortedAt[k] = at;
    }
    // Within a column the rows ascend (rows are added in order); a repeat is the previous entry.
    // The compacted entries overwrite the sorted ones in place (they never run ahead).
    let k = 0;
    let dropped = false;
    for (let j = 0; j < numCols; j++) {
      const first = k;
      aStart[j] = first;
      for (let at = count[j]; at < count[j + 1]; at++) {
        if (k > first && rows[k - 1] === rows[at]) {
          values[k - 1] += values[at];
          slot[at] = k - 1;
        } else {
          rows[k] = rows[at];
          values[k] = values[at];
          slot[at] = k++;
        }
      }
      // Drop entries that summed to zero.
      let w = first;
      for (let r = first; r < k; r++) {
        if (values[r] === 0) continue;
        rows[w] = rows[r];
        values[w++] = values[r];
      }
      if (w < k) dropped = true;
      k = w;
    }
    aStart[numCols] = k;
    const aIndex = rows.slice(0, k);
    if (dropped) this.layout.valid = false;
    else this.keepLayout(aStart, aIndex);
    return { aStart, aIndex, aValue: values.slice(0, k) };
  }

  /** Keeps the layout of the triplets just sorted (in buffers kept across builds). */
  private keepLayout(aStart: Int32Array, aIndex: Int32Array): void {
    const layout = this.layout;
    const entries = this.entries;
    if (layout.entryRow.length < entries) {
      const size = this.entryRow.length;
      layout.entryRow = new Int32Array(size);
      layout.entryCol = new Int32Array(size);
      layout.place = new Int32Array(size);
      layout.aIndex = new Int32Array(size);
    }
    if (layout.aStart.length < aStart.length) layout.aStart = new Int32Array(this.colLower.length + 1);
    layout.entryRow.set(this.entryRow.subarray(0, entries));
    layout.entryCol.set(this.entryCol.subarray(0, entries));
    const { sortedAt, slot } = this;
    const place = layout.place;
    for (let e = 0; e < entries; e++) place[e] = slot[sortedAt[e]];
    layout.aStart.set(aStart);
    layout.aIndex.set(aIndex);
    layout.cols = this.cols;
    layout.entries = entries;
    layout.nonzeros = aIndex.length;
    layout.valid = true;
  }

  /** This build's names: the previous build's arrays where nothing changed, else new ones (kept for the next build). */
  private names(): { colNames: readonly string[]; rowNames: readonly string[] } {
    const previous = this.previous;
    const sameCols = this.sameColNames && previous !== undefined && previous.cols === this.cols;
    const sameRows = this.sameRowNames && previous !== undefined && previous.rows === this.rows;
    if (sameCols && sameRows) return previous;
    const colNames = sameCols ? previous.colNames : this.materialize(this.colPrefix, this.colStep, this.cols);
    const rowNames = sameRows ? previous.rowNames : this.materialize(this.rowPrefix, this.rowStep, this.rows);
    // Copies: the builder may go on from here (more rows, another build).
    this.previous = {
      cols: this.cols,
      rows: this.rows,
      colPrefix: this.colPrefix.slice(0, this.cols),
      colStep: this.colStep.slice(0, this.cols),
      rowPrefix: this.rowPrefix.slice(0, this.rows),
      rowStep: this.rowStep.slice(0, this.rows),
      colNames,
      rowNames,
    };
    return this.previous;
  }

  /** Names from prefixes and steps, made once per builder: after a change of structure most are the same again. */
  private materialize(prefix: readonly string[], step: Int32Array, count: number): string[] {
    const names = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      if (step[i] === NO_STEP) {
        names[i] = prefix[i];
        continue;
      }
      let byStep = this.madeNames.get(prefix[i]);
      if (!byStep) this.madeNames.set(prefix[i], (byStep = []));
      names[i] = byStep[step[i]] ??= nameOf(prefix[i], step[i]);
    }
    return names;
  }

  private checkColumn(prefix: string, step: number, column: number): void {
    if (!(column >= 0 && column < this.cols)) throw new Error(`row ${nameOf(prefix, step)}: no column ${column}`);
  }

  private growColumns(): void {
    const size = this.colLower.length * 2;
    this.colLower = grown(this.colLower, size);
    this.colUpper = grown(this.colUpper, size);
    this.colCost = grown(this.colCost, size);
    this.integrality = grown(this.integrality, size);
    this.colStep = grown(this.colStep, size);
  }

  private growRows(): void {
    const size = this.rowLower.length * 2;
    this.rowLower = grown(this.rowLower, size);
    this.rowUpper = grown(this.rowUpper, size);
    this.rowStep = grown(this.rowStep, size);
  }

  private growEntries(): void {
    const size = this.entryRow.length * 2;
    this.entryRow = grown(this.entryRow, size);
    this.entryCol = grown(this.entryCol, size);
    this.entryValue = grown(this.entryValue, size);
  }
}

type Matrix = Pick<LinearProgram, 'aStart' | 'aIndex' | 'aValue'>;

/** Where the triplets of a build went in its matrix; `valid` when that build dropped no zero sum. */
interface Layout {
  valid: boolean;
  cols: number;
  entries: number;
  nonzeros: number;
  entryRow: Int32Array;
  entryCol: Int32Array;
  /** Triplet k's place in aIndex / aValue. */
  place: Int32Array;
  aStart: Int32Array;
  aIndex: Int32Array;
}

const noLayout = (): Layout => ({
  valid: false,
  cols: 0,
  entries: 0,
  nonzeros: 0,
  entryRow: new Int32Array(0),
  entryCol: new Int32Array(0),
  place: new Int32Array(0),
  aStart: new Int32Array(0),
  aIndex: new Int32Array(0),
});

interface NameParts {
  cols: number;
  rows: number;
  colPrefix: string[];
  colStep: Int32Array;
  rowPrefix: string[];
  rowStep: Int32Array;
  colNames: readonly string[];
  rowNames: readonly string[];
}

function nameOf(prefix: string, step: number): string {
  return step === NO_STEP ? prefix : `${prefix}[${step}]`;
}

function grown<T extends Float64Array | Int32Array>(array: T, size: number): T {
  const larger = new (array.constructor as new (length: number) => T)(size);
  larger.set(array);
  return larger;
}
