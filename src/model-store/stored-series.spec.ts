import { describe, expect, it } from '@jest/globals';
import { SeriesCompactor, SeriesExpander } from './stored-series.js';

const hourly = (count: number, from = Date.UTC(2018, 0, 23)) =>
  Array.from({ length: count }, (_, i) => `${new Date(from + i * 3_600_000).toISOString().slice(0, 19)}Z`);

/** What a value reads back as after a jsonb round trip (keys ordered by length, as PostgreSQL does). */
const stored = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ),
  ) as unknown;

describe('stored series', () => {
  it('keeps regular canonical timestamps as runs, read back exactly as stored whole', () => {
    const timestamps = [...hourly(48), ...hourly(24, Date.UTC(2018, 0, 25))];
    const series = { name: 'x', values: [timestamps.map((_, i) => i * 1.5)], timestamps };
    const compact = new SeriesCompactor().compact('txy', series);
    expect(compact).toEqual({
      name: 'x',
      values: series.values,
      timestamp_runs: [['2018-01-23T00:00:00Z', 3_600_000, 72]],
    });
    expect(JSON.stringify(new SeriesExpander().expand(stored(compact)))).toBe(JSON.stringify(stored(series)));
  });

  it('keeps runs of different steps, one after the other', () => {
    const daily = Array.from(
      { length: 10 },
      (_, i) => `${new Date(Date.UTC(2018, 0, 26) + i * 86_400_000).toISOString().slice(0, 19)}Z`,
    );
    const timestamps = [...hourly(72), ...daily];
    const compact = new SeriesCompactor().compact('txy', { values: [[]], timestamps }) as { timestamp_runs: unknown };
    // Greedy: the first daily timestamp is an hour after the last hourly one.
    expect(compact.timestamp_runs).toEqual([
      ['2018-01-23T00:00:00Z', 3_600_000, 73],
      ['2018-01-27T00:00:00Z', 86_400_000, 9],
    ]);
    expect(new SeriesExpander().expand(stored(compact))).toEqual({ values: [[]], timestamps });
  });

  it('stores whole what runs would not give back exactly, or would not shorten', () => {
    const compactor = new SeriesCompactor();
    const withMillis = hourly(24).map((t) => t.replace('Z', '.000Z'));
    const offset = hourly(24).map((t) => t.replace('Z', '+00:00'));
    const irregular = hourly(24).map((t, i) => (i % 2 ? t : t.replace('00:00Z', '30:00Z')));
    for (const timestamps of [withMillis, offset, irregular, hourly(7)]) {
      const series = { values: [[1]], timestamps };
      expect(compactor.compact('txy', series)).toBe(series);
    }
    const other = { timestamps: hourly(24), values: [1] };
    expect(compactor.compact('xy', other)).toBe(other);
    expect(compactor.compact('txy', 5)).toBe(5);
  });

  it('reuses the runs of equal timestamps, and tells apart lists that only start and end alike', () => {
    const compactor = new SeriesCompactor();
    const a = compactor.compact('txy', { values: [[1]], timestamps: hourly(24) });
    const b = compactor.compact('txy', { values: [[2]], timestamps: hourly(24) });
    expect(b).toEqual({ values: [[2]], timestamp_runs: (a as { timestamp_runs: unknown }).timestamp_runs });
    const gap = hourly(24);
    gap[10] = gap[10].replace(':00:00Z', ':30:00Z');
    const compact = compactor.compact('txy', { values: [[3]], timestamps: gap });
    expect(new SeriesExpander().expand(stored(compact))).toEqual({ values: [[3]], timestamps: gap });
  });

  it('gives each read series its own timestamps, and leaves other values as they are', () => {
    const expander = new SeriesExpander();
    const runs = [['2018-01-23T00:00:00Z', 3_600_000, 8]];
    const first = expander.expand({ values: [[1]], timestamp_runs: runs }) as { timestamps: string[] };
    const second = expander.expand({ values: [[2]], timestamp_runs: runs }) as { timestamps: string[] };
    expect(first.timestamps).toEqual(hourly(8));
    expect(second.timestamps).not.toBe(first.timestamps);
    const plain = { values: [[1]], timestamps: ['2018-01-23T00:00:00Z'] };
    expect(expander.expand(plain)).toBe(plain);
    expect(expander.expand(null)).toBeNull();
  });
});
