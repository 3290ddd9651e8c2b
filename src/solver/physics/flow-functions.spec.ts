import { describe, expect, it } from '@jest/globals';
import {
  bracket,
  curvePoint,
  curvesPoint,
  GRAVITY,
  refForFlow,
  wettedArea,
  widthDepthPoint,
} from './flow-functions.js';
import { constantDelay, distributedPast, pastArrivals, waveDelay } from './delay.js';

const weir = [
  { ref: 0, x: [500, 507, 510], y: [0, 7, 19] },
  { ref: 1, x: [500, 507, 510], y: [0, 14, 38] },
];

describe('level → flow curves (functions_meter_m3s, up_head_flow_curve)', () => {
  it('interpolates one curve and gives its slope; extrapolates beyond the points', () => {
    expect(curvePoint(weir[0], 508)).toEqual({ flow: 11, slope: 4 });
    expect(curvePoint(weir[0], 511).flow).toBeCloseTo(23, 12);
  });

  it('a one-way flow is never negative; a two-way flow is', () => {
    const curve = { x: [-1, 0, 1], y: [-5, 0, 5] };
    expect(curvePoint(curve, -0.5)).toEqual({ flow: 0, slope: 0 });
    expect(curvePoint(curve, -0.5, true)).toEqual({ flow: -2.5, slope: 5 });
  });

  it('interpolates between the curves around the reference (a setting), clamped outside', () => {
    expect(bracket(weir, 0.25)).toEqual({ lo: weir[0], hi: weir[1], w: 0.25 });
    const half = curvesPoint(weir, 0.5, 508);
    expect(half.flow).toBeCloseTo((11 + 22) / 2, 12);
    expect(half.slope).toBeCloseTo((4 + 8) / 2, 12);
    expect(curvesPoint(weir, 3, 508).flow).toBeCloseTo(22, 12);
    // Without a reference: the first curve as given.
    expect(curvesPoint(weir, undefined, 508).flow).toBeCloseTo(11, 12);
  });

  it('finds the reference (gate position) that gives a flow', () => {
    expect(refForFlow(weir, 508, 16.5)).toBeCloseTo(0.5, 12);
    expect(refForFlow(weir, 508, 1)).toBe(0);
    expect(refForFlow(weir, 508, 100)).toBe(1);
  });

  it('the linearisation f(x⁰) + f′(x⁰)(x − x⁰) is exact within a segment', () => {
    const at = curvesPoint(weir, 0.5, 508);
    const there = curvesPoint(weir, 0.5, 509.5);
    expect(at.flow + at.slope * 1.5).toBeCloseTo(there.flow, 12);
  });
});

describe('width_depth_curve: q = sqrt(g·A(h)³/W(h))', () => {
  const rectangle = { x: [0, 10], y: [4, 4] };
  const trapezoid = { x: [0, 2], y: [2, 6] };

  it('the wetted area integrates the width', () => {
    expect(wettedArea(rectangle, 1.5)).toBeCloseTo(6, 12);
    expect(wettedArea(trapezoid, 2)).toBeCloseTo(8, 12);
    expect(wettedArea(trapezoid, 3)).toBeCloseTo(14, 12); // constant width beyond the last point
    expect(wettedArea(trapezoid, -1)).toBe(0);
  });

  it('a rectangle of width b: q = b·sqrt(g·h³), dq/dh = 1.5·b·sqrt(g·h)', () => {
    const { flow, slope } = widthDepthPoint(rectangle, 2);
    expect(flow).toBeCloseTo(4 * Math.sqrt(GRAVITY * 8), 9);
    expect(slope).toBeCloseTo(1.5 * 4 * Math.sqrt(GRAVITY * 2), 9);
  });

  it('the slope is the derivative (a varying width)', () => {
    const h = 1.3;
    const eps = 1e-6;
    const numeric = (widthDepthPoint(trapezoid, h + eps).flow - widthDepthPoint(trapezoid, h - eps).flow) / (2 * eps);
    expect(widthDepthPoint(trapezoid, h).slope).toBeCloseTo(numeric, 5);
  });

  it('a gate closes the area below its height: A(h) − A(h_g), nothing when h_g ≥ h', () => {
    const gated = widthDepthPoint(rectangle, 2, 0.5);
    expect(gated.flow).toBeCloseTo(Math.sqrt((GRAVITY * (4 * 1.5) ** 3) / 4), 9);
    expect(widthDepthPoint(rectangle, 2, 2).flow).toBe(0);
    expect(widthDepthPoint(rectangle, -1).flow).toBe(0);
  });
});

describe('distributed past upstream flow (rivers in series)', () => {
  const past = { x: [-3, -1], y: [6, 4] };

  it('what leaves before the start plus initial_downstream_flow is the whole past volume', () => {
    const kernel = constantDelay(1.5);
    const out = distributedPast(kernel, past, 1)!;
    expect(out.x).toEqual([-2, -1]);
    // 6 m3/s over [-3,-1) → [-1.5, 0.5): half of [-2,-1) (mean 3), all of [-1, 0); 4 m3/s → [0.5, 1.5)
    expect(out.y[0]).toBeCloseTo(3, 12);
    expect(out.y[1]).toBeCloseTo(6, 12);
    const before = out.y.reduce((s, y) => s + y, 0); // 1 h windows
    const after = pastArrivals(kernel, past, [1, 1, 1]).reduce((s, q) => s + q, 0);
    expect(before + after).toBeCloseTo(6 * 2 + 4 * 1, 12);
  });

  it('a wave conserves the past volume too', () => {
    const kernel = waveDelay([0.5, 1, 2], [0.5, 0.5, 0]);
    const out = distributedPast(kernel, past, 0.5)!;
    const before = out.y.reduce((s, y) => s + y * 0.5, 0);
    const after = pastArrivals(kernel, past, [1, 1, 1, 1]).reduce((s, q) => s + q, 0);
    expect(before + after).toBeCloseTo(16, 10);
  });

  it('nothing leaves before the start when the delay is longer than the past', () => {
    expect(distributedPast(constantDelay(4), past, 1)).toBeUndefined();
    expect(distributedPast(constantDelay(1), undefined, 1)).toBeUndefined();
  });
});
