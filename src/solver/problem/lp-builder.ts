import type { LinearProgram } from '../providers/optimization-provider.js';

/**
 * Builds a sparse linear program column by column and row by row, with names, then hands it
 * over in compressed sparse column form (what the providers take). Names make solver output
 * and conflicting-constraint reports readable in SHOP terms (`reservoir.Reservoir1.balance[3]`).
 */
export class LpBuilder {
  private readonly colNames: string[] = [];
  private readonly colLower: number[] = [];
  private readonly colUpper: number[] = [];
  private readonly colCost: number[] = [];
  private readonly integrality: number[] = [];
  private readonly rowNames: string[] = [];
  private readonly rowLower: number[] = [];
  private readonly rowUpper: number[] = [];
  /** Matrix entries as triplets, in the order rows were added (so each column's rows ascend). */
  private readonly entryRow: number[] = [];
  private readonly entryCol: number[] = [];
  private readonly entryValue: number[] = [];
  offset = 0;

  get numCols(): number {
    return this.colNames.length;
  }

  get numRows(): number {
    return this.rowNames.length;
  }

  get numIntegers(): number {
    return this.integrality.reduce((sum, flag) => sum + flag, 0);
  }

  addColumn(name: string, lower: number, upper: number, cost = 0, integer = false): number {
    if (!(lower <= upper)) throw new Error(`column ${name}: lower bound ${lower} above upper bound ${upper}`);
    this.colNames.push(name);
    this.colLower.push(lower);
    this.colUpper.push(upper);
    this.colCost.push(cost);
    this.integrality.push(integer ? 1 : 0);
    return this.colNames.length - 1;
  }

  addCost(column: number, cost: number): void {
    this.colCost[column] += cost;
  }

  /** A row `lower <= Σ coef·x[col] <= upper`; repeated columns are summed; zeros dropped. */
  addRow(name: string, lower: number, upper: number, terms: Array<[column: number, coefficient: number]>): number {
    const row = this.rowNames.length;
    const numCols = this.colNames.length;
    for (let i = 0; i < terms.length; i++) {
      const column = terms[i][0];
      if (!(column >= 0 && column < numCols)) throw new Error(`row ${name}: no column ${column}`);
    }
    this.rowNames.push(name);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i];
      if (term[1] === 0) continue;
      this.entryRow.push(row);
      this.entryCol.push(term[0]);
      this.entryValue.push(term[1]);
    }
    return row;
  }

  columnName(column: number): string {
    return this.colNames[column];
  }

  rowName(row: number): string {
    return this.rowNames[row];
  }

  /** The program in CSC form: a counting sort of the triplets by column, repeated (row, column) pairs summed. */
  build(sense: LinearProgram['sense'] = 'min'): LinearProgram {
    const numCols = this.numCols;
    const count = new Int32Array(numCols + 1);
    for (const column of this.entryCol) count[column + 1]++;
    for (let j = 0; j < numCols; j++) count[j + 1] += count[j];
    const next = count.slice(0, numCols);
    const rows = new Int32Array(this.entryCol.length);
    const values = new Float64Array(this.entryCol.length);
    for (let k = 0; k < this.entryCol.length; k++) {
      const at = next[this.entryCol[k]]++;
      rows[at] = this.entryRow[k];
      values[at] = this.entryValue[k];
    }
    // Within a column the rows ascend (rows are added in order); a repeat is the previous entry.
    const aStart = new Int32Array(numCols + 1);
    const aIndex = new Int32Array(rows.length);
    const aValue = new Float64Array(rows.length);
    let k = 0;
    for (let j = 0; j < numCols; j++) {
      aStart[j] = k;
      for (let at = count[j]; at < count[j + 1]; at++) {
        if (k > aStart[j] && aIndex[k - 1] === rows[at]) aValue[k - 1] += values[at];
        else {
          aIndex[k] = rows[at];
          aValue[k++] = values[at];
        }
      }
      // Drop entries that summed to zero.
      let w = aStart[j];
      for (let r = aStart[j]; r < k; r++) {
        if (aValue[r] === 0) continue;
        aIndex[w] = aIndex[r];
        aValue[w++] = aValue[r];
      }
      k = w;
    }
    aStart[numCols] = k;
    return {
      sense,
      offset: this.offset,
      colCost: Float64Array.from(this.colCost),
      colLower: Float64Array.from(this.colLower),
      colUpper: Float64Array.from(this.colUpper),
      colNames: [...this.colNames],
      integrality: Int32Array.from(this.integrality),
      rowLower: Float64Array.from(this.rowLower),
      rowUpper: Float64Array.from(this.rowUpper),
      rowNames: [...this.rowNames],
      aStart,
      aIndex: aIndex.slice(0, k),
      aValue: aValue.slice(0, k),
    };
  }
}
