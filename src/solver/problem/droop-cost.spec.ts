import { describe, expect, it } from '@jest/globals';
import { droopCostAt, droopCostCurve } from './reserve-types.js';

const convex = { droopCostExponent: 2, droopRefValue: 4 };

describe('droopCostCurve / droopCostAt: the convex droop cost (droop_cost_exponent, droop_ref_value)', () => {
  it('is the linear cost·x without an exponent, a reference value or a cost', () => {
    expect(droopCostCurve(10, 1 / 12, 1, {})).toBeUndefined();
    expect(droopCostCurve(10, 1 / 12, 1, { droopCostExponent: 2 })).toBeUndefined();
    expect(droopCostCurve(0, 1 / 12, 1, convex)).toBeUndefined();
    expect(droopCostAt(10, 0.5, 1 / 12, 1, {})).toBeCloseTo(5, 12);
  });

  it('equals the linear cost at droop_ref_value and lies on cost·x_ref·(x/x_ref)^e at its breakpoints', () => {
    const curve = droopCostCurve(10, 1 / 12, 1, convex)!;
    expect(curve.x[0]).toBe(0);
    expect(curve.x).toContain(0.25);
    expect(droopCostAt(10, 0.25, 1 / 12, 1, convex)).toBeCloseTo(2.5, 12);
    expect(droopCostAt(10, 1, 1 / 12, 1, convex)).toBeCloseTo(10 * 0.25 * 16, 9);
    curve.x.forEach((x, k) => expect(curve.y[k]).toBeCloseTo(10 * 0.25 * (x / 0.25) ** 2, 9));
  });

  it('is convex: its slopes rise from breakpoint to breakpoint', () => {
    const { x, y } = droopCostCurve(10, 1 / 12, 1, { droopCostExponent: 1.5, droopRefValue: 6 })!;
    const slopes = x.slice(1).map((end, k) => (y[k + 1] - y[k]) / (end - x[k]));
    slopes.slice(1).forEach((slope, k) => expect(slope).toBeGreaterThan(slopes[k]));
  });
});
