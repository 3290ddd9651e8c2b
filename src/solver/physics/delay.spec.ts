import { describe, expect, it } from '@jest/globals';
import {
  constantDelay,
  delayMatrix,
  NO_DELAY,
  pastArrivals,
  shapedDelay,
  share,
  spread,
  stepWindows,
  waveAtFlow,
  waveDelay,
} from './delay.js';

const hourly = (n: number) => stepWindows(Array.from({ length: n }, () => 1));

describe('constant delay (overlap rule)', () => {
  it('τ = 3.2 h at hourly steps: 80 % of step 0 in step 3, 20 % in step 4', () => {
    const { arrivals, transit } = spread(constantDelay(3.2), { a: 0, b: 1 }, hourly(8));
    expect(arrivals.map(([t]) => t)).toEqual([3, 4]);
    expect(arrivals[0][1]).toBeCloseTo(0.8, 12);
    expect(arrivals[1][1]).toBeCloseTo(0.2, 12);
    expect(transit).toBe(0);
  });

  it('no delay and whole-step delays are exact shares of 1', () => {
    expect(spread(NO_DELAY, { a: 2, b: 3 }, hourly(5)).arrivals).toEqual([[2, 1]]);
    expect(spread(constantDelay(2), { a: 0, b: 1 }, hourly(5)).arrivals).toEqual([[2, 1]]);
  });

  it('leaves what arrives after the horizon in transit', () => {
    const { arrivals, transit } = spread(constantDelay(3.2), { a: 0, b: 1 }, hourly(4));
    expect(arrivals).toEqual([[3, expect.closeTo(0.8, 12)]]);
    expect(transit).toBeCloseTo(0.2, 12);
  });

  it('spreads a long step over shorter ones in proportion to time', () => {
    // 2 h step shifted by 0.5 h over 15-minute steps: each quarter hour gets 1/8.
    const steps = stepWindows([2, ...Array.from({ length: 12 }, () => 0.25)]);
    const { arrivals } = spread(constantDelay(2.5), steps[0], steps);
    expect(arrivals.map(([t]) => t)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [, alpha] of arrivals) expect(alpha).toBeCloseTo(1 / 8, 12);
  });
});

describe('wave delay (box-by-box convolution)', () => {
  const wave = waveDelay([2.5, 3, 3.5, 4], [0.25, 0.5, 0.25, 0]);
  const quarter = stepWindows(Array.from({ length: 40 }, () => 0.25));

  it('at 15-minute steps the water of step 0 arrives between 2.5 h and 4.25 h, shares summing to 1', () => {
    const { arrivals, transit } = spread(wave, quarter[0], quarter);
    const first = arrivals[0][0];
    const last = arrivals[arrivals.length - 1][0];
    expect(quarter[first].a).toBeGreaterThanOrEqual(2.5);
    expect(quarter[last].b).toBeLessThanOrEqual(5);
    expect(arrivals.reduce((s, [, alpha]) => s + alpha, 0)).toBeCloseTo(1, 12);
    expect(transit).toBe(0);
  });

  it('every release of the horizon arrives between 2.5 h and 5 h later', () => {
    quarter.slice(0, 4).forEach((source) => {
      const { arrivals } = spread(wave, source, quarter);
      for (const [t] of arrivals) {
        expect(quarter[t].b).toBeGreaterThan(source.a + 2.5);
        expect(quarter[t].a).toBeLessThan(source.b + 4);
      }
      expect(arrivals.reduce((s, [, alpha]) => s + alpha, 0)).toBeCloseTo(1, 12);
    });
  });

  it('matches a fine numerical convolution', () => {
    const source = { a: 0, b: 0.25 };
    const target = quarter[11]; // [2.75, 3)
    const n = 2000;
    let numeric = 0;
    for (let i = 0; i < n; i++) {
      const z = source.a + ((i + 0.5) / n) * (source.b - source.a);
      // share of water entering at z leaving within the target: ∫ density over [a_t − z, b_t − z)
      for (const box of wave.boxes) {
        const overlap = Math.min(box.to, target.b - z) - Math.max(box.from, target.a - z);
        if (overlap > 0) numeric += (box.weight * overlap) / (box.to - box.from) / n;
      }
    }
    expect(share(wave, source, target)).toBeCloseTo(numeric, 6);
  });

  it('rescales shares to sum 1', () => {
    const doubled = waveDelay([1, 2, 3], [2, 2, 0]);
    expect(doubled.boxes.map((b) => b.weight)).toEqual([0.5, 0.5]);
  });

  it('interpolates curves between the reference flows that bracket the flow', () => {
    const curves = [
      { ref: 10, x: [1, 2, 3], y: [1, 0, 0] },
      { ref: 20, x: [1, 2, 3], y: [0, 1, 0] },
    ];
    const mid = waveAtFlow(curves, 15);
    expect(mid.y[0]).toBeCloseTo(0.5, 12);
    expect(mid.y[1]).toBeCloseTo(0.5, 12);
    expect(waveAtFlow(curves, undefined).y).toEqual([1, 0, 0]);
    expect(waveAtFlow(curves, 50).y).toEqual([0, 1, 0]);
  });
});

describe('shape_discharge', () => {
  it('sends each normalised share its own delay later', () => {
    const shape = shapedDelay([1, 2.5], [3, 1]);
    const { arrivals } = spread(shape, { a: 0, b: 1 }, hourly(6));
    // 75 % one hour later (step 1); 25 % 2.5 h later: half in step 2, half in step 3.
    expect(arrivals).toEqual([
      [1, 0.75],
      [2, expect.closeTo(0.125, 12)],
      [3, expect.closeTo(0.125, 12)],
    ]);
  });
});

describe('delay matrix and past flow', () => {
  it('lists the arrivals per target step and the share in transit per source step', () => {
    const { byTarget, transit } = delayMatrix(constantDelay(3.2), [1, 1, 1, 1, 1]);
    expect(byTarget[3]).toEqual([[0, expect.closeTo(0.8, 12)]]);
    expect(byTarget[4].map(([s]) => s)).toEqual([0, 1]);
    expect(transit[0]).toBe(0);
    expect(transit[4]).toBeCloseTo(1, 12);
    expect(transit[1]).toBeCloseTo(0.2, 12);
  });

  it('pushes past upstream flow through the delay into the first steps', () => {
    // 10 m3/s from 2 h before the start, τ = 3.2 h: arrives in [1.2, 3.2).
    const flows = pastArrivals(constantDelay(3.2), { x: [-2], y: [10] }, [1, 1, 1, 1]);
    expect(flows[0]).toBeCloseTo(0, 12);
    expect(flows[1]).toBeCloseTo(8, 12);
    expect(flows[2]).toBeCloseTo(10, 12);
    expect(flows[3]).toBeCloseTo(2, 12);
  });
});
