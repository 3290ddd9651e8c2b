import { describe, expect, it } from '@jest/globals';
import { bindingCut, cutGroupValue, cutValues, priceWeights, windowInflow, windowMean } from './cuts.js';

describe('cuts (modelling-2.md §5)', () => {
  // Two reservoirs, three cuts: K = (100, 50, 80), a = [[1, 3, 2], [0.5, 0.5, 1]].
  const level = {
    price: 0,
    constant: [100, 50, 80],
    coefficients: [
      [1, 3, 2],
      [0.5, 0.5, 1],
    ],
  };

  it('evaluates every cut and picks the lowest (0-based)', () => {
    // V = (10, 20): 100 + 10 + 10 = 120; 50 + 30 + 10 = 90; 80 + 20 + 20 = 120.
    expect(cutValues(level, [10, 20])).toEqual([120, 90, 120]);
    expect(bindingCut(level, [10, 20])).toEqual({ value: 90, cut: 1 });
    // V = (40, 0): 140, 170, 160.
    expect(bindingCut(level, [40, 0])).toEqual({ value: 140, cut: 0 });
  });

  it('weights the two levels around the mean price, or the nearest alone outside them', () => {
    const prices = [10, 20, 40];
    expect(priceWeights(prices, 15)).toEqual([
      { level: 0, weight: 0.5 },
      { level: 1, weight: 0.5 },
    ]);
    const w = priceWeights(prices, 25);
    expect(w.map((x) => x.level)).toEqual([1, 2]);
    expect(w[1].weight).toBeCloseTo(0.25, 12);
    expect(w[0].weight).toBeCloseTo(0.75, 12);
    expect(priceWeights(prices, 5)).toEqual([{ level: 0, weight: 1 }]);
    expect(priceWeights(prices, 50)).toEqual([{ level: 2, weight: 1 }]);
    expect(priceWeights(prices, 20)).toEqual([{ level: 1, weight: 1 }]);
    expect(priceWeights([30], 12)).toEqual([{ level: 0, weight: 1 }]);
  });

  it('the group value is Σ w·min_k cut_k', () => {
    const twice = {
      ...level,
      constant: level.constant.map((k) => 2 * k),
      coefficients: level.coefficients.map((row) => row.map((a) => 2 * a)),
    };
    const weights = [
      { level: 0, weight: 0.75 },
      { level: 1, weight: 0.25 },
    ];
    // min = 90 at level 0, 180 at level 1: 0.75·90 + 0.25·180 = 112.5.
    expect(cutGroupValue([level, twice], weights, [10, 20])).toBeCloseTo(112.5, 12);
  });

  it('means and inflows over the last 168 h, or the whole shorter horizon scaled to 168 h', () => {
    const hours = Array(200).fill(1);
    const values = hours.map((_, t) => (t < 32 ? 1000 : 10));
    expect(windowMean(hours, values)).toBe(10);
    // 72 h of 5 m3/s: 72·5·0.0036 Mm3, scaled by 168/72.
    expect(windowInflow(Array(72).fill(1), Array(72).fill(5))).toBeCloseTo(168 * 5 * 0.0036, 12);
    expect(windowMean([2, 2], [10, 20])).toBe(15);
  });
});
