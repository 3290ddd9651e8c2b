import { describe, expect, it } from '@jest/globals';
import {
  EndValueTableError,
  marginalValue,
  stepIntegral,
  tableEndValue,
  tableMarginalAt,
  tableValueAt,
  waterValueTables,
} from './end-value.js';

describe('water-value tables (modelling-2.md §5)', () => {
  it('one point is a constant value: x and ref unused', () => {
    const value = tableEndValue({ ref: 7, x: [12], y: [5000] });
    expect(value).toEqual({ kind: 'constant', value: 5000 });
    expect(tableValueAt(value, 3)).toBe(15000);
    expect(tableMarginalAt(value, 100)).toBe(5000);
  });

  it('several points are marginal values per segment [x_j, x_{j+1}), from 0, the last open', () => {
    // x_0 = 2 reads as 0: the first segment is [0, 4).
    const value = tableEndValue({ ref: 0, x: [2, 4, 10], y: [30, 20, 5] });
    expect(value).toEqual({
      kind: 'segments',
      segments: [
        { from: 0, length: 4, value: 30 },
        { from: 4, length: 6, value: 20 },
        { from: 10, length: Infinity, value: 5 },
      ],
    });
  });

  it('the end value is the step integral: by hand at volumes inside each segment', () => {
    const { segments } = tableEndValue({ ref: 0, x: [0, 4, 10], y: [30, 20, 5] }) as {
      segments: Parameters<typeof stepIntegral>[0];
    };
    expect(stepIntegral(segments, 0)).toBe(0);
    expect(stepIntegral(segments, 3)).toBe(90); // 3·30
    expect(stepIntegral(segments, 4)).toBe(120);
    expect(stepIntegral(segments, 7)).toBe(180); // 4·30 + 3·20
    expect(stepIntegral(segments, 12)).toBe(250); // 120 + 6·20 + 2·5
    expect(marginalValue(segments, 3.99)).toBe(30);
    expect(marginalValue(segments, 4)).toBe(20);
    expect(marginalValue(segments, 50)).toBe(5);
  });

  it('equal neighbours are allowed; a rising y or x is refused with both values named', () => {
    expect(() => tableEndValue({ ref: 0, x: [0, 1, 2], y: [10, 10, 9] })).not.toThrow();
    expect(() => tableEndValue({ ref: 0, x: [0, 1, 2], y: [10, 9, 11] })).toThrow(
      /y must not rise .*y\[1\] = 9, y\[2\] = 11/,
    );
    expect(() => tableEndValue({ ref: 0, x: [0, 3, 2], y: [10, 9, 8] })).toThrow(/x must rise/);
    expect(() => tableEndValue({ ref: 0, x: [], y: [] })).toThrow(EndValueTableError);
  });

  it('reads an xy_array and a single xy', () => {
    expect(waterValueTables(undefined)).toEqual([]);
    expect(waterValueTables({ x: [0], y: [1] })).toEqual([{ ref: 0, x: [0], y: [1] }]);
    expect(
      waterValueTables([
        { ref: 1, x: [0], y: [1] },
        { ref: 2, x: [0], y: [2] },
      ]).map((t) => t.ref),
    ).toEqual([1, 2]);
  });
});
