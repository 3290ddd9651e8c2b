import { describe, expect, it } from '@jest/globals';
import { BASIC, mappedBasis, NONBASIC, type NamedBasis } from './basis-map.js';
import type { LinearProgram } from './optimization-provider.js';

/** A problem with only what `mappedBasis` reads: names and bounds. */
function shape(colNames: string[], rowNames: string[], colLower?: number[], colUpper?: number[]): LinearProgram {
  const n = colNames.length;
  const m = rowNames.length;
  return {
    sense: 'min',
    colCost: new Float64Array(n),
    colLower: colLower ?? new Array<number>(n).fill(0),
    colUpper: colUpper ?? new Array<number>(n).fill(10),
    colNames,
    rowLower: new Array<number>(m).fill(0),
    rowUpper: new Array<number>(m).fill(1),
    rowNames,
    aStart: new Int32Array(n + 1),
    aIndex: new Int32Array(0),
    aValue: new Float64Array(0),
  };
}

const basicCount = (b: { colStatus: Int32Array; rowStatus: Int32Array }) =>
  [...b.colStatus, ...b.rowStatus].filter((s) => s === BASIC).length;

const previous: NamedBasis = {
  colNames: ['q[0]', 'q[1]', 'u[0]', 'u[1]'],
  colStatus: Int32Array.from([BASIC, 0, BASIC, 2]),
  rowNames: ['balance[0]', 'balance[1]', 'pmin[0]'],
  rowStatus: Int32Array.from([0, BASIC, 2]),
};

describe('mappedBasis', () => {
  it('keeps the status of every column and row both problems have, by name, in the new order', () => {
    const lp = shape(['u[1]', 'q[1]', 'q[0]', 'u[0]'], ['pmin[0]', 'balance[1]', 'balance[0]']);
    expect(mappedBasis(previous, lp)).toEqual({
      colStatus: Int32Array.from([2, 0, BASIC, BASIC]),
      rowStatus: Int32Array.from([2, BASIC, 0]),
    });
  });

  it('makes a new column nonbasic and a new row basic, then balances basic entries against rows', () => {
    // Binaries gone (u), a new segment column and a new row: 2 rows → 3 basic wanted.
    const fewer = mappedBasis(previous, shape(['q[0]', 'q[1]', 'q[0].s2'], ['balance[0]', 'balance[1]', 'cap[0]']))!;
    expect(fewer.colStatus[2]).toBe(NONBASIC);
    expect(basicCount(fewer)).toBe(3);
    // Rows dropped while their columns stay basic: too many basic entries, the last columns give way.
    const more = mappedBasis(previous, shape(['q[0]', 'q[1]', 'u[0]', 'u[1]'], ['balance[1]']))!;
    expect(basicCount(more)).toBe(1);
    expect(Array.from(more.rowStatus)).toEqual([BASIC]);
    expect(Array.from(more.colStatus)).toEqual([NONBASIC, 0, NONBASIC, 2]);
  });

  it('turns a status at a bound the column no longer has into plain nonbasic', () => {
    const lp = shape(
      previous.colNames as string[],
      previous.rowNames as string[],
      [-Infinity, -Infinity, 0, 0],
      [10, 10, 1, Infinity],
    );
    expect(Array.from(mappedBasis(previous, lp)!.colStatus)).toEqual([BASIC, NONBASIC, BASIC, NONBASIC]);
  });

  it('needs names on both sides', () => {
    const { colNames: _c, rowNames: _r, ...unnamed } = shape(['q[0]'], ['balance[0]']);
    expect(mappedBasis(previous, unnamed)).toBeUndefined();
  });
});
