import { describe, expect, it } from '@jest/globals';
import { meanPoints, scenarioSeries } from './scenario-series.js';

const t0 = Date.UTC(2018, 0, 23);
const hour = 3_600_000;
const series = (...values: number[][]) => ({
  timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T01:00:00Z'],
  values,
});
const stacked = { type: 'line', stack: 'production', areaStyle: {}, step: 'start', showSymbol: false };
const withLimit = { type: 'line', markLine: { data: [{ name: 'max_vol', yAxis: 10 }] } };
const probabilities = {
  S1: { probability: 0.5 },
  S2: { probability: 0.25 },
  wet: { scenario_id: 3, probability: 0.25 },
};

describe('scenarioSeries', () => {
  it('draws a one-scenario series as it is, whatever the display', () => {
    for (const display of ['band', 'lines'] as const) {
      expect(
        scenarioSeries({ name: 'Plant1', value: series([1, 2]), style: stacked }, display, undefined, '#000'),
      ).toEqual([
        {
          name: 'Plant1',
          ...stacked,
          data: [
            [t0, 1],
            [t0 + hour, 2],
          ],
        },
      ]);
    }
  });

  it('draws several scenarios as the weighted mean and a min–max band of two stacked lines, unstacked from the others', () => {
    const drawn = scenarioSeries(
      { name: 'Plant1', value: series([1, 8], [5, 0], [3, 4]), style: stacked },
      'band',
      probabilities,
      '#abc',
    );
    expect(drawn.map((s) => [s.id, s.name])).toEqual([
      [undefined, 'Plant1 mean'],
      ['Plant1 min', 'Plant1 min–max'],
      ['Plant1 max', 'Plant1 min–max'],
    ]);
    const [mean, lower, upper] = drawn;
    expect(mean.data).toEqual([
      [t0, 2.5],
      [t0 + hour, 5],
    ]);
    expect(mean).toMatchObject({ type: 'line', step: 'start', color: '#abc' });
    expect(mean.stack).toBeUndefined();
    expect(mean.areaStyle).toBeUndefined();
    expect(lower.data).toEqual([
      [t0, 1],
      [t0 + hour, 0],
    ]);
    // The upper edge is the band's width on top of the lower one; its third value, the maximum, is what the tooltip shows.
    expect(upper.data).toEqual([
      [t0, 4, 5],
      [t0 + hour, 8, 8],
    ]);
    expect(lower.stack).toBe('Plant1 band');
    expect(upper.stack).toBe('Plant1 band');
    expect(upper.areaStyle).toBeDefined();
    expect(upper.encode).toEqual({ x: 0, y: 1, tooltip: 2 });
  });

  it('adjusts every scenario before the band: a negated series swaps its min and max', () => {
    const [, lower, upper] = scenarioSeries(
      {
        name: 'buy',
        value: series([1, 2], [3, 4]),
        style: { type: 'bar' },
        adjust: (points) => points.map(([t, v]) => [t, -v]),
      },
      'band',
      undefined,
      '#abc',
    );
    expect(lower.data).toEqual([
      [t0, -3],
      [t0 + hour, -4],
    ]);
    expect(upper.data).toEqual([
      [t0, 2, -1],
      [t0 + hour, 2, -2],
    ]);
  });

  it('draws several scenarios as lines named after the scenarios, unstacked, the limits on the first only', () => {
    const drawn = scenarioSeries(
      { name: 'Reservoir1', value: series([1, 2], [3, 4], [5, 6]), style: { ...withLimit, stack: 's' } },
      'lines',
      probabilities,
      '#abc',
    );
    expect(drawn.map((s) => s.name)).toEqual(['Reservoir1 S1', 'Reservoir1 S2', 'Reservoir1 wet']);
    expect(drawn[2].data).toEqual([
      [t0, 5],
      [t0 + hour, 6],
    ]);
    expect(drawn.map((s) => s.stack)).toEqual([undefined, undefined, undefined]);
    expect(drawn.map((s) => s.markLine)).toEqual([withLimit.markLine, undefined, undefined]);
  });
});

describe('meanPoints', () => {
  it('is the series for one scenario and the weighted mean for several', () => {
    expect(meanPoints(series([0, 1]), probabilities)).toEqual([
      [t0, 0],
      [t0 + hour, 1],
    ]);
    expect(meanPoints(series([1, 1], [0, 1], [0, 0]), probabilities)).toEqual([
      [t0, 0.5],
      [t0 + hour, 0.75],
    ]);
    expect(meanPoints(12, undefined)).toEqual([]);
  });
});
