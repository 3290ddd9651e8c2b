import { describe, expect, it } from '@jest/globals';
import {
  consumptionFromShaft,
  lowerConvexHull,
  preparePump,
  pumpConsumption,
  pumpCurve,
  pumpEfficiency,
  selfConsistentPoint,
  upflowRange,
} from './pump.js';

// basic_pump.yaml's P1P1: 40 m: 80 m3/s at 87 %; 50 m: 70 at 86 %; 60 m: 60 at 85 %; motor 100 %.
const P1P1 = preparePump(
  [
    { ref: 40, x: [80], y: [87] },
    { ref: 50, x: [70], y: [86] },
    { ref: 60, x: [60], y: [85] },
  ],
  { x: [0, 50], y: [100, 100] },
);

describe('pump physics (modelling-2.md §1)', () => {
  it('a fixed-speed pump has one operating point per lift, interpolated and clamped by lift', () => {
    expect(P1P1.binary).toBe(true);
    expect(upflowRange(P1P1, 49).min).toBeCloseTo(71, 12);
    expect(pumpEfficiency(P1P1, 71, 49)).toBeCloseTo(86.1, 12);
    expect(upflowRange(P1P1, 30).min).toBe(80);
    expect(upflowRange(P1P1, 70).min).toBe(60);
    expect(pumpEfficiency(P1P1, 55, 70)).toBe(85);
  });

  it('consumes 9.81e-3·q·h/(η_p·η_m): 39.639 MW at the gross head 49 m without losses', () => {
    expect(pumpConsumption(P1P1, 71, 49)).toBeCloseTo((9.81e-3 * 71 * 49) / 0.861, 9);
    expect(pumpConsumption(P1P1, 71, 49)).toBeCloseTo(39.639, 3);
    expect(pumpConsumption(P1P1, 0, 49)).toBe(0);
  });

  it('the reference point: start levels 92/43 m, outlet_line 40, losses 0.0003·q²', () => {
    // gross = max(92, intake) − max(40, 43) = 49 m; main_loss 0.0002 + penstock_loss 0.0001.
    const point = selfConsistentPoint(P1P1, 92 - Math.max(40, 43), 0.0002 + 0.0001);
    expect(point.q).toBeCloseTo(69.549, 3);
    expect(point.lift).toBeCloseTo(50.451, 3);
    expect(point.efficiency).toBeCloseTo(85.955, 3);
    expect(point.consumption).toBeCloseTo(40.046, 3);
    expect(point.lift).toBeCloseTo(49 + 0.0003 * point.q ** 2, 9);
  });

  it('the motor efficiency is a fixed point in the consumption', () => {
    const motor = { x: [0, 100], y: [90, 100] };
    const c = consumptionFromShaft(45, motor);
    expect(c * (90 + 0.1 * c)).toBeCloseTo(45 * 100, 6);
  });

  it('a fixed-speed pump curve is its point; without binaries the line from the origin', () => {
    const curve = pumpCurve(P1P1, 49, 40, 40, false);
    expect(curve.feasible).toBe(true);
    expect(curve.qMin).toBeCloseTo(71, 9);
    expect(curve.cAtQmin).toBeCloseTo(39.639, 3);
    expect(curve.segments).toEqual([]);
    expect(curve.final[0]).toEqual({ q: 0, c: 0 });
  });

  it('a variable-speed pump: points between min and max upflow, cut to [p_min, p_max], lower convex hull', () => {
    const pump = preparePump([
      { ref: 40, x: [20, 30, 40, 50], y: [70, 85, 86, 80] },
      { ref: 60, x: [10, 20, 30, 40], y: [70, 85, 86, 80] },
    ]);
    expect(pump.binary).toBe(false);
    const lift = 50;
    const range = upflowRange(pump, lift);
    expect(range).toEqual({ min: 15, max: 45 });
    const curve = pumpCurve(pump, lift, 0, 1000, true);
    expect(curve.original[0].q).toBe(15);
    expect(curve.original[curve.original.length - 1].q).toBe(45);
    for (const p of curve.original) expect(p.c).toBeCloseTo(pumpConsumption(pump, p.q, lift), 12);
    // Convex: non-decreasing slopes; the hull lies on or below every original point.
    const slopes = curve.segments.map((s) => s.slope);
    slopes.forEach((s, k) => k > 0 && expect(s).toBeGreaterThanOrEqual(slopes[k - 1] - 1e-12));
    expect(curve.qMin).toBe(15);
    // Without binaries: the hull of the origin and the convex points.
    const relaxed = pumpCurve(pump, lift, 0, 1000, false);
    expect(relaxed.qMin).toBe(0);
    expect(relaxed.cAtQmin).toBe(0);
    expect(relaxed.final[0]).toEqual({ q: 0, c: 0 });
    // Cut at p_max: the last point consumes p_max.
    const capped = pumpCurve(pump, lift, 0, 10, true);
    expect(capped.convex[capped.convex.length - 1].c).toBeCloseTo(10, 9);
    expect(pumpCurve(pump, lift, 1000, 2000, true).feasible).toBe(false);
  });

  it('lower convex hull drops points above the chords', () => {
    expect(
      lowerConvexHull([
        { q: 0, c: 0 },
        { q: 1, c: 2 },
        { q: 2, c: 2 },
        { q: 3, c: 5 },
      ]),
    ).toEqual([
      { q: 0, c: 0 },
      { q: 2, c: 2 },
      { q: 3, c: 5 },
    ]);
  });
});
