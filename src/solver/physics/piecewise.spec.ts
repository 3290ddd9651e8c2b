import { describe, expect, it } from '@jest/globals';
import {
  assertTable,
  interpolate,
  interpolateAll,
  inverseInterpolate,
  isStrictlyIncreasing,
  segmentIndex,
  slopeAt,
} from './piecewise.js';

// Two segments: slope 1 on [0, 10] (100 -> 110), slope 2 on [10, 20] (110 -> 130).
const table = { x: [0, 10, 20], y: [100, 110, 130] };

describe('segmentIndex', () => {
  it('finds the segment, choosing the right one at an interior breakpoint and the end ones outside', () => {
    expect([-5, 0, 5, 10, 15, 20, 25].map((v) => segmentIndex(table.x, v))).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(segmentIndex([3], 7)).toBe(0);
  });
});

describe('interpolate', () => {
  it('interpolates linearly inside the table', () => {
    expect(interpolate(table, 5, 'clamp')).toBeCloseTo(105, 12); // 100 + 5·1
    expect(interpolate(table, 15, 'clamp')).toBeCloseTo(120, 12); // 110 + 5·2
    expect(interpolate(table, 10, 'extrapolate')).toBe(110);
  });

  it('clamps to the end values', () => {
    expect(interpolate(table, -5, 'clamp')).toBe(100);
    expect(interpolate(table, 25, 'clamp')).toBe(130);
  });

  it('extrapolates the end segments', () => {
    expect(interpolate(table, -5, 'extrapolate')).toBeCloseTo(95, 12); // 100 − 5·1
    expect(interpolate(table, 25, 'extrapolate')).toBeCloseTo(140, 12); // 130 + 5·2
  });

  it('treats a one-point table as constant', () => {
    expect(interpolate({ x: [1], y: [7] }, 100, 'extrapolate')).toBe(7);
  });

  it('vectorises', () => {
    expect(Array.from(interpolateAll(table, [0, 5, 15, 25], 'extrapolate'))).toEqual([100, 105, 120, 140]);
  });
});

describe('inverseInterpolate', () => {
  it('inverts a strictly increasing table', () => {
    expect(inverseInterpolate(table, 120, 'clamp')).toBeCloseTo(15, 12); // 10 + (120 − 110)/2
    expect(inverseInterpolate(table, 105, 'clamp')).toBeCloseTo(5, 12);
    expect(inverseInterpolate(table, 140, 'extrapolate')).toBeCloseTo(25, 12);
    expect(inverseInterpolate(table, 95, 'extrapolate')).toBeCloseTo(-5, 12);
    expect(inverseInterpolate(table, 140, 'clamp')).toBe(20);
  });

  it('refuses a table whose y is not strictly increasing', () => {
    expect(() => inverseInterpolate({ x: [0, 1, 2], y: [0, 1, 1] }, 0.5, 'clamp')).toThrow(RangeError);
  });
});

describe('slopeAt', () => {
  it('gives the slope of the segment used, right-hand at a breakpoint', () => {
    expect(slopeAt(table, 5, 'clamp')).toBeCloseTo(1, 12);
    expect(slopeAt(table, 10, 'clamp')).toBeCloseTo(2, 12);
    expect(slopeAt(table, 25, 'extrapolate')).toBeCloseTo(2, 12);
    expect(slopeAt(table, -1, 'extrapolate')).toBeCloseTo(1, 12);
  });

  it('is 0 outside the table when clamping, and for a one-point table', () => {
    expect(slopeAt(table, -1, 'clamp')).toBe(0);
    expect(slopeAt(table, 20, 'clamp')).toBe(0);
    expect(slopeAt({ x: [1], y: [7] }, 1, 'extrapolate')).toBe(0);
  });
});

describe('table checks', () => {
  it('accepts a good table and rejects bad ones', () => {
    expect(() => assertTable(table)).not.toThrow();
    expect(() => assertTable({ x: [0, 2, 1], y: [0, 0, 0] })).toThrow('strictly ascending');
    expect(() => assertTable({ x: [0, 1], y: [0] })).toThrow('equal length');
    expect(() => assertTable({ x: [0, NaN], y: [0, 1] })).toThrow('not finite');
    expect(isStrictlyIncreasing([1, 2, 2])).toBe(false);
  });
});
