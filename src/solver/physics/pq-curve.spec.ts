import { describe, expect, it } from '@jest/globals';
import { prepareTurbine } from './generator.js';
import { aloneLosses } from './plant.js';
import { bestEfficiencyOnCurve, bisect, concaveHull, goldenMax, pqCurve, pqCurves, segmentsOf } from './pq-curve.js';

// One head curve: 80 % at 10 m3/s, 90 % at 20, 85 % at 30; no losses, no generator curve, gross head 100 m.
// Then P(Q) = 9.81e-3 · Q · 100 · η(Q)/100 = 9.81e-3 · Q · η(Q):
//   P(10) = 9.81e-3·10·80 = 7.848;  P(20) = 9.81e-3·20·90 = 17.658;  P(30) = 9.81e-3·30·85 = 25.0155.
// Below Q_best P = 9.81e-3·Q·(70 + Q) is convex, so the hull drops the two inner points there;
// above it P(20 + 10k/3) = 9.81e-3·(20 + 10k/3)·(90 − 5k/3): k = 1: 9.81e-3·18550/9 = 20.2195,
// k = 2: 9.81e-3·20800/9 = 22.672, k = 3: 25.0155, with slopes (×3/10) 0.76845, 0.73575, 0.70305.
const unit = { turbine: prepareTurbine([{ ref: 100, x: [10, 20, 30], y: [80, 90, 85] }]) };
const noLoss = aloneLosses(0, 0);

const expectPoints = (actual: { q: number; p: number }[], expected: [number, number][]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((point, i) => {
    expect(point.q).toBeCloseTo(expected[i][0], 8);
    expect(point.p).toBeCloseTo(expected[i][1], 8);
  });
};
const expectSegments = (actual: { length: number; slope: number }[], expected: [number, number][]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((segment, i) => {
    expect(segment.length).toBeCloseTo(expected[i][0], 8);
    expect(segment.slope).toBeCloseTo(expected[i][1], 8);
  });
};

describe('pqCurve, hand-computed', () => {
  const curve = pqCurve(unit, 100, noLoss);

  it('spans the turbine range with Q_best at the best curve point', () => {
    expect(curve.feasible).toBe(true);
    expect(curve.withBinaries.qMin).toBe(10);
    expect(curve.withBinaries.qBest).toBe(20);
    expect(curve.withBinaries.qMax).toBe(30);
  });

  it('puts 3 equal steps below and above Q_best', () => {
    expectPoints(curve.breakpoints, [
      [10, 7.848],
      [40 / 3, 10.9], // 9.81e-3 · (40/3)·(250/3)
      [50 / 3, 9.81e-3 * (13000 / 9)],
      [20, 17.658],
      [70 / 3, 20.2195],
      [80 / 3, 22.672],
      [30, 25.0155],
    ]);
  });

  it('with binaries: the concave hull from Q_min', () => {
    const form = curve.withBinaries;
    expect(form.pAtQmin).toBeCloseTo(7.848, 10);
    expectPoints(form.points, [
      [10, 7.848],
      [20, 17.658],
      [70 / 3, 20.2195],
      [80 / 3, 22.672],
      [30, 25.0155],
    ]);
    expectSegments(form.segments, [
      [10, 0.981], // (17.658 − 7.848)/10
      [10 / 3, 0.76845],
      [10 / 3, 0.73575],
      [10 / 3, 0.70305],
    ]);
  });

  it('without binaries: the line from (0, 0) to Q_best (most P/Q without losses), then the segments above', () => {
    const form = curve.withoutBinaries;
    expect([form.qMin, form.pAtQmin, form.qBest, form.qMax]).toEqual([0, 0, 20, 30]);
    expectSegments(form.segments, [
      [20, 0.8829], // 17.658/20
      [10 / 3, 0.76845],
      [10 / 3, 0.73575],
      [10 / 3, 0.70305],
    ]);
  });

  it('honours nseg', () => {
    const coarse = pqCurve(unit, 100, noLoss, { nsegBelow: 1, nsegAbove: 2 });
    expect(coarse.breakpoints.map((b) => b.q)).toEqual([10, 20, 25, 30]);
  });
});

describe('pqCurve range from p_min and p_max', () => {
  it('finds Q at p_min and p_max by bisection', () => {
    // P(40/3) = 10.9 and P(80/3) = 22.672 (above), so those are Q_min and Q_max.
    const curve = pqCurve({ ...unit, pMin: 10.9, pMax: 22.672 }, 100, noLoss);
    const form = curve.withBinaries;
    expect(form.qMin).toBeCloseTo(40 / 3, 8);
    expect(form.qMax).toBeCloseTo(80 / 3, 8);
    expect(form.qBest).toBe(20);
    expect(form.pAtQmin).toBeCloseTo(10.9, 8);
    // Steps of (20 − 40/3)/3 = 20/9 below and (80/3 − 20)/3 = 20/9 above.
    const expected = [40 / 3, 140 / 9, 160 / 9, 20, 200 / 9, 220 / 9, 80 / 3];
    curve.breakpoints.forEach((b, i) => expect(b.q).toBeCloseTo(expected[i], 8));
  });

  it('is infeasible when p_min cannot be reached', () => {
    const curve = pqCurve({ ...unit, pMin: 30 }, 100, noLoss); // P(30) = 25.0155 < 30
    expect(curve.feasible).toBe(false);
    expect(curve.withBinaries.segments).toEqual([]);
  });

  it('vectorises over heads', () => {
    // Without losses and with one head curve, P scales with the head.
    const [a, b] = pqCurves(unit, [100, 50], noLoss);
    expect(b.withBinaries.pAtQmin).toBeCloseTo(a.withBinaries.pAtQmin / 2, 10);
  });
});

describe('Q_best along a curve with losses', () => {
  it('is interior when the net head falls with Q', () => {
    // η(Q, H) = 79 + 0.1·Q + 0.1·H on Q ∈ [10, 30], H ∈ [0, 100]; H(Q) = 80 − 0.025·Q²,
    // so η(Q) = 87 + 0.1·Q − 0.0025·Q², maximal at Q = 20 (not a curve point) with η = 88.
    const sloped = {
      turbine: prepareTurbine([
        { ref: 0, x: [10, 30], y: [79 + 1, 79 + 3] },
        { ref: 100, x: [10, 30], y: [89 + 1, 89 + 3] },
      ]),
    };
    const headOf = (q: number) => 80 - 0.025 * q * q;
    const best = bestEfficiencyOnCurve(sloped, headOf, 10, 30);
    // A flat maximum: 1e-14 in η is 2e-6 m3/s in Q, so golden section stops a few 1e-6 away.
    expect(best.q).toBeCloseTo(20, 4);
    expect(best.efficiency).toBeCloseTo(88, 10);
    expect(pqCurve(sloped, 80, aloneLosses(0.025, 0)).withBinaries.qBest).toBeCloseTo(20, 4);
  });
});

describe('pqCurve without binaries, with losses', () => {
  // The basic model's Plant1 generator (one of its three head curves is enough here) at 228 m of
  // gross head, both units of its penstock counted: loss 0.001·(2Q)².
  const x = [28.12, 30.45, 32.78, 35.11, 37.45, 39.78, 42.11, 44.44, 46.77, 49.1, 51.43, 53.76, 56.1, 58.83];
  const y = [87.5908, 88.7725, 89.8497, 90.8355, 91.7435, 92.5871, 93.3798, 94.1096, 94.6777, 94.9712, 95.0813];
  const plant1 = {
    turbine: prepareTurbine([{ ref: 230, x, y: [...y, 94.8998, 94.5101, 94.0181] }]),
    pMin: 60,
    pMax: 120,
  };
  const losses = { penstockLoss: 0.001, mainLoss: 0, unitsOnPenstock: 2, unitsInPlant: 2 };
  const curve = pqCurve(plant1, 228, losses);
  const relaxed = curve.withoutBinaries;
  const powerAt = (q: number) => {
    let p = 0;
    let from = 0;
    for (const segment of relaxed.segments) {
      p += segment.slope * Math.max(0, Math.min(segment.length, q - from));
      from += segment.length;
    }
    return p;
  };

  it('keeps Q_best at the best turbine efficiency for the breakpoints', () => {
    expect(curve.withBinaries.qBest).toBe(51.43);
  });

  it('starts with the line to the point of most power per water, below Q_best', () => {
    const ratios = curve.withBinaries.points.map((point) => point.p / point.q);
    const best = curve.withBinaries.points[ratios.indexOf(Math.max(...ratios))];
    expect(best.q).toBeLessThan(51.43);
    expect(relaxed.points[1]).toEqual(best);
    expect(relaxed.segments[0].slope).toBeCloseTo(best.p / best.q, 12);
  });

  it('has no curve point above it: the envelope of running the unit part of the time', () => {
    for (const point of curve.breakpoints) expect(point.p).toBeLessThanOrEqual(powerAt(point.q) + 1e-9);
    expect(relaxed.qMax).toBeCloseTo(curve.withBinaries.qMax, 12);
  });
});

describe('helpers', () => {
  it('bisects and maximises', () => {
    expect(bisect((q) => q * q, 2, 0, 2)).toBeCloseTo(Math.SQRT2, 9);
    expect(goldenMax((q) => -((q - 1.5) ** 2), 0, 4)).toBeCloseTo(1.5, 8);
  });

  it('takes the upper concave hull and its segments', () => {
    // (1, 0.5) lies below the chord (0,0)–(2,2); (3, 2.5) is kept (slope 0.5 after slope 1).
    const hull = concaveHull([
      { q: 0, p: 0 },
      { q: 1, p: 0.5 },
      { q: 2, p: 2 },
      { q: 3, p: 2.5 },
    ]);
    expect(hull).toEqual([
      { q: 0, p: 0 },
      { q: 2, p: 2 },
      { q: 3, p: 2.5 },
    ]);
    expect(segmentsOf(hull)).toEqual([
      { length: 2, slope: 1 },
      { length: 1, slope: 0.5 },
    ]);
  });
});
