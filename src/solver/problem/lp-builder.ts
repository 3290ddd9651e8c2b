import type { LinearProgram } from '../optimization-provider.js';

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
  /** Entries per column, as [row, value] pairs, in the order they were added. */
  private readonly entries: Array<Array<[number, number]>> = [];
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
    this.entries.push([]);
    return this.colNames.length - 1;
  }

  addCost(column: number, cost: number): void {
    this.colCost[column] += cost;
  }

  /** A row `lower <= Σ coef·x[col] <= upper`; repeated columns are summed; zeros dropped. */
  addRow(name: string, lower: number, upper: number, terms: Array<[column: number, coefficient: number]>): number {
    const row = this.rowNames.length;
    this.rowNames.push(name);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    const summed = new Map<number, number>();
    for (const [column, coefficient] of terms) {
      if (column < 0 || column >= this.colNames.length) throw new Error(`row ${name}: no column ${column}`);
      summed.set(column, (summed.get(column) ?? 0) + coefficient);
    }
    for (const [column, coefficient] of summed) if (coefficient !== 0) this.entries[column].push([row, coefficient]);
    return row;
  }

  columnName(column: number): string {
    return this.colNames[column];
  }

  rowName(row: number): string {
    return this.rowNames[row];
  }

  build(sense: LinearProgram['sense'] = 'min'): LinearProgram {
    const aStart = new Int32Array(this.numCols + 1);
    const nonZeros = this.entries.reduce((sum, column) => sum + column.length, 0);
    const aIndex = new Int32Array(nonZeros);
    const aValue = new Float64Array(nonZeros);
    let k = 0;
    this.entries.forEach((column, j) => {
      aStart[j] = k;
      for (const [row, value] of [...column].sort((a, b) => a[0] - b[0])) {
        aIndex[k] = row;
        aValue[k++] = value;
      }
    });
    aStart[this.numCols] = k;
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
      aIndex,
      aValue,
    };
  }
}
