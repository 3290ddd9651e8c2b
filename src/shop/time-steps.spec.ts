import { describe, expect, it } from '@jest/globals';
import type { TimeNode } from './shop-json.js';
import { expandSeries, stepStarts } from './time-steps.js';

const day: TimeNode = { start_time: '2018-01-23T00:00:00Z', end_time: '2018-01-24T00:00:00Z', time_unit: 'hour' };

describe('stepStarts', () => {
  it('gives one step per time unit without a time_resolution', () => {
    const starts = stepStarts(day);
    expect(starts).toHaveLength(24);
    expect(starts[0]).toBe('2018-01-23T00:00:00Z');
    expect(starts[23]).toBe('2018-01-23T23:00:00Z');
  });

  it('follows a variable resolution: 1 h for 6 hours, then 3 h', () => {
    const time: TimeNode = {
      ...day,
      time_resolution: { timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T06:00:00Z'], values: [[1, 3]] },
    };
    const starts = stepStarts(time);
    expect(starts).toHaveLength(6 + 6);
    expect(starts.slice(5, 8)).toEqual(['2018-01-23T05:00:00Z', '2018-01-23T06:00:00Z', '2018-01-23T09:00:00Z']);
  });

  it('counts minutes as time_unit minute: [[60]] is hourly', () => {
    const time: TimeNode = {
      ...day,
      time_unit: 'minute',
      time_resolution: { timestamps: [day.start_time], values: [[60]] },
    };
    expect(stepStarts(time)).toHaveLength(24);
  });
});

describe('expandSeries', () => {
  it('forward-fills breakpoints and back-fills before the first one', () => {
    const series = { timestamps: ['2018-01-23T02:00:00Z', '2018-01-23T05:00:00Z'], values: [[10, 15]] };
    const values = expandSeries(series, day);
    expect(values.slice(0, 7)).toEqual([10, 10, 10, 10, 10, 15, 15]);
    expect(values).toHaveLength(24);
  });

  it('ignores history before start_time except as the value in force', () => {
    const series = { timestamps: ['2018-01-22T00:00:00Z', '2018-01-23T12:00:00Z'], values: [[1, 2]] };
    const values = expandSeries(series, day);
    expect(values[0]).toBe(1);
    expect(values[12]).toBe(2);
  });

  it('spreads a constant series over every step, and picks a scenario', () => {
    expect(expandSeries({ values: [[7]] }, day)).toEqual(Array(24).fill(7));
    const twoScenarios = { timestamps: ['2018-01-23T00:00:00Z'], values: [[1], [2]] };
    expect(expandSeries(twoScenarios, day, 1)[5]).toBe(2);
  });
});
