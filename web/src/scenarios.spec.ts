import { describe, expect, it } from '@jest/globals';
import { isTxy, scenarioBand, scenarioCount, scenarioNames, scenarioPoints, scenarioWeights } from './scenarios.js';

describe('scenarioBand', () => {
  it('gives each step the lowest and highest scenario and their plain mean', () => {
    const band = scenarioBand([
      [1, 5, 3],
      [4, 2, 3],
      [7, 2, 9],
    ]);
    expect(band.min).toEqual([1, 2, 3]);
    expect(band.max).toEqual([7, 5, 9]);
    expect(band.mean).toEqual([4, 3, 5]);
  });

  it('weights the mean by the scenarios’ probabilities', () => {
    const band = scenarioBand(
      [
        [10, 0],
        [20, 4],
      ],
      [0.75, 0.25],
    );
    expect(band.mean).toEqual([12.5, 1]);
    expect(band.min).toEqual([10, 0]);
    expect(band.max).toEqual([20, 4]);
  });

  it('is the series itself for one scenario', () => {
    expect(scenarioBand([[3, -1, 2]])).toEqual({ min: [3, -1, 2], max: [3, -1, 2], mean: [3, -1, 2] });
  });

  it('leaves out missing and non-finite values, and gives a step without any value NaN', () => {
    const band = scenarioBand(
      [
        [1, NaN, 2],
        [3, Infinity],
      ],
      [0.5, 0.5],
    );
    expect(band.min).toEqual([1, NaN, 2]);
    expect(band.max).toEqual([3, NaN, 2]);
    // Step 2: only the first scenario has a value; its weight alone counts.
    expect(band.mean).toEqual([2, NaN, 2]);
  });

  it('falls back to the middle of the band when the scenarios there have no probability', () => {
    expect(scenarioBand([[2], [6]], [0, 0]).mean).toEqual([4]);
  });
});

describe('scenarioWeights', () => {
  const txy = (value: number) => ({
    timestamps: ['2018-01-23T00:00:00Z', '2018-01-24T00:00:00Z'],
    values: [[1, value]],
  });

  it('takes scenario i+1’s probability (a txy’s last value, or a number), scaled to sum 1', () => {
    const weights = scenarioWeights(
      {
        S1: { scenario_id: 1, probability: txy(2) },
        later: { scenario_id: 3, probability: 1 },
        S2: { probability: 1 },
      },
      3,
    );
    expect(weights).toEqual([0.5, 0.25, 0.25]);
  });

  it('gives no weights (a plain mean) when a scenario has no probability or one is negative', () => {
    expect(scenarioWeights({ S1: { probability: 0.5 }, S2: { probability: 0.5 } }, 3)).toBeUndefined();
    expect(scenarioWeights({ S1: { probability: 1.5 }, S2: { probability: -0.5 } }, 2)).toBeUndefined();
    expect(scenarioWeights({ S1: { probability: 0 }, S2: { probability: 0 } }, 2)).toBeUndefined();
    expect(scenarioWeights(undefined, 2)).toBeUndefined();
  });
});

describe('scenarioNames', () => {
  it('names scenario i+1 after its scenario object, else S<i+1>', () => {
    expect(scenarioNames({ wet: { scenario_id: 2 }, S1: {} }, 3)).toEqual(['S1', 'wet', 'S3']);
  });
});

describe('series', () => {
  const series = {
    timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T01:00:00Z'],
    values: [
      [1, 2],
      [3, 4],
    ],
  };

  it('counts the scenarios of a txy, and none of anything else', () => {
    expect(isTxy(series)).toBe(true);
    expect(scenarioCount(series)).toBe(2);
    expect(scenarioCount(39.99)).toBe(0);
    expect(scenarioCount({ timestamps: [] })).toBe(0);
  });

  it('gives each scenario its points at the timestamps', () => {
    const t0 = Date.UTC(2018, 0, 23);
    expect(scenarioPoints(series)).toEqual([
      [
        [t0, 1],
        [t0 + 3_600_000, 2],
      ],
      [
        [t0, 3],
        [t0 + 3_600_000, 4],
      ],
    ]);
  });
});
