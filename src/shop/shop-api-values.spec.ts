import { describe, expect, it } from '@jest/globals';
import {
  formatShopTime,
  parseShopTime,
  resolutionBreakpoints,
  ShopApiValueError,
  timeNodeFromShopApi,
  txyFromShopApi,
  txyToShopApi,
  xyArrayFromShopApi,
  xyArrayToShopApi,
  xytFromShopApi,
  xytInRange,
} from './shop-api-values.js';

describe('SHOP time strings', () => {
  it.each([
    ['20180227', '2018-02-27T00:00:00Z'],
    ['2018022713', '2018-02-27T13:00:00Z'],
    ['201802271305', '2018-02-27T13:05:00Z'],
    ['20180227130559', '2018-02-27T13:05:59Z'],
  ])('reads %s as %s', (text, timestamp) => {
    expect(parseShopTime(text)).toBe(timestamp);
  });

  it.each(['2018-02-27', '201802', '20180230000000', '20180227240000', '201802271', ''])('refuses %j', (text) => {
    expect(parseShopTime(text)).toBeUndefined();
  });

  it('writes 14 digits', () => {
    expect(formatShopTime('2018-02-27T13:05:00Z')).toBe('20180227130500');
  });
});

describe('timeNodeFromShopApi and resolutionBreakpoints', () => {
  it('without t and y: one step length of one unit, breakpoints [0] and [1]', () => {
    const time = timeNodeFromShopApi('20180227000000', '20180228000000', 'hour');
    expect(time).toEqual({ start_time: '2018-02-27T00:00:00Z', end_time: '2018-02-28T00:00:00Z', time_unit: 'hour' });
    expect(resolutionBreakpoints(time)).toEqual({ t: [0], y: [1] });
  });

  it('t and y (also as pyshop 2-D column) become time_resolution, and read back as breakpoints', () => {
    const time = timeNodeFromShopApi('20180227', '20180301', 'HOUR', [0, 24], [[1], [3]]);
    expect(time.time_resolution).toEqual({
      timestamps: ['2018-02-27T00:00:00Z', '2018-02-28T00:00:00Z'],
      values: [[1, 3]],
    });
    expect(resolutionBreakpoints(time)).toEqual({ t: [0, 24], y: [1, 3] });
  });

  it.each([
    [['20180228', '20180227', 'hour'], 'must be after start'],
    [['20180227', '20180228', 'day'], 'hour, minute or second'],
    [['2018-02-27', '20180228', 'hour'], 'start must be a time'],
    [['20180227', '20180228', 'hour', [0, 1], [1]], 'equal length'],
    [['20180227', '20180228', 'hour', [1], [1]], 'offset 0'],
    [['20180227', '20180228', 'hour', [0.5], [1]], 't[0] must be a whole number'],
  ] as const)('refuses %j: %s', (args, message) => {
    expect(() => (timeNodeFromShopApi as (...a: unknown[]) => unknown)(...args)).toThrow(ShopApiValueError);
    expect(() => (timeNodeFromShopApi as (...a: unknown[]) => unknown)(...args)).toThrow(message);
  });
});

describe('txy series', () => {
  it('points at start + t units; 1-D values and DataFrame rows', () => {
    expect(txyFromShopApi('20180227000000', [0, 1], [101, 50], 'hour')).toEqual({
      timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T01:00:00Z'],
      values: [[101, 50]],
    });
    expect(txyFromShopApi('20180227000000', [0, 30], [[101], [50]], 'minute')).toEqual({
      timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T00:30:00Z'],
      values: [[101, 50]],
    });
  });

  it('rows of several scenarios are time-major; reading answers them time-major again', () => {
    const series = txyFromShopApi(
      '20180227000000',
      [0, 2],
      [
        [1, 10],
        [2, 20],
      ],
      'hour',
    )!;
    expect(series.values).toEqual([
      [1, 2],
      [10, 20],
    ]);
    expect(txyToShopApi(series, '2018-02-27T00:00:00Z', 'hour')).toEqual({
      start: '20180227000000',
      t: [0, 2],
      y: [
        [1, 10],
        [2, 20],
      ],
    });
  });

  it('empty t and y: unset', () => {
    expect(txyFromShopApi('20180227000000', [], [], 'hour')).toBeUndefined();
  });

  it('reads a constant from the horizon start; offsets between units count at the earlier one', () => {
    expect(txyToShopApi({ values: [[7]] }, '2018-02-27T00:00:00Z', 'hour')).toEqual({
      start: '20180227000000',
      t: [0],
      y: [7],
    });
    const series = { timestamps: ['2018-02-26T23:00:00Z', '2018-02-27T00:30:00Z'], values: [[1, 2]] };
    expect(txyToShopApi(series, '2018-02-27T00:00:00Z', 'hour')).toEqual({
      start: '20180226230000',
      t: [0, 1],
      y: [1, 2],
    });
  });

  it.each([
    [[0, 1], [1], 'equal lengths'],
    [[0, 1], [[1, 2], [3]], 'one per scenario'],
  ] as const)('refuses t %j with y %j', (t, y, message) => {
    expect(() => txyFromShopApi('20180227', t as unknown as number[], y as unknown as number[], 'hour')).toThrow(
      message,
    );
  });
});

describe('xy_array and xyt', () => {
  const curves = [
    { ref: 90, x: [25, 90, 100], y: [80, 95, 90] },
    { ref: 100, x: [25, 90], y: [82, 98] },
  ];

  it('splits the concatenated points by n, and joins them back', () => {
    expect(xyArrayFromShopApi([90, 100], [3, 2], [25, 90, 100, 25, 90], [80, 95, 90, 82, 98])).toEqual(curves);
    expect(xyArrayToShopApi(curves)).toEqual({
      refs: [90, 100],
      n: [3, 2],
      x: [25, 90, 100, 25, 90],
      y: [80, 95, 90, 82, 98],
    });
  });

  it('refuses counts that do not add up', () => {
    expect(() => xyArrayFromShopApi([90], [3, 2], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toThrow('refs and n');
    expect(() => xyArrayFromShopApi([90, 100], [3, 3], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toThrow('6 points');
  });

  it('timed tables by n, filtered by a time range', () => {
    const tables = xytFromShopApi(['20180227', '20180228'], [1, 2], [1, 2, 3], [10, 20, 30]);
    expect(tables).toEqual([
      { time: '2018-02-27T00:00:00Z', ref: 0, x: [1], y: [10] },
      { time: '2018-02-28T00:00:00Z', ref: 0, x: [2, 3], y: [20, 30] },
    ]);
    expect(xytInRange(tables, '20180227120000', '20180301')).toEqual([tables[1]]);
    expect(xytInRange(tables)).toEqual(tables);
  });
});
