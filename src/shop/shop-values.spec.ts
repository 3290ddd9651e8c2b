import { describe, expect, it } from '@jest/globals';
import { compressTxy, formatAttributeValue, parseAttributeValue, parseTimestamp, Problems } from './shop-values.js';
import type { ShopDatatype } from './catalog.js';

function parse(datatype: ShopDatatype | null, value: unknown) {
  const problems = new Problems();
  const parsed = parseAttributeValue(datatype, value, 'model.x.X1.a', problems);
  return { parsed, problems: problems.list };
}

describe('parseTimestamp', () => {
  it.each([
    ['2018-01-23T00:00:00Z', '2018-01-23T00:00:00Z'],
    ['2018-01-23T05:30:00', '2018-01-23T05:30:00Z'],
    ['2018-01-23 05:30:00', '2018-01-23T05:30:00Z'],
    ['2018-01-23', '2018-01-23T00:00:00Z'],
    ['2018-01-23T05:30:00+02:00', '2018-01-23T05:30:00Z'],
    ['2018-01-23T05:30:00.000Z', '2018-01-23T05:30:00Z'],
  ])('reads %s as wall-clock %s', (text, expected) => expect(parseTimestamp(text)).toBe(expected));

  it.each(['2024-01-00T00:00:00Z', '2023-02-29T00:00:00Z', '2018-13-01', '2018-01-23T24:00:00', 'yesterday', 42])(
    'rejects %s',
    (text) => expect(parseTimestamp(text)).toBeUndefined(),
  );
});

describe('parseAttributeValue', () => {
  it('takes ints, doubles and strings of the right kind only', () => {
    expect(parse('int', 3).parsed).toBe(3);
    expect(parse('int', 3.5).problems[0]).toEqual({ path: 'model.x.X1.a', message: 'must be an integer, got 3.5' });
    expect(parse('double', 39).parsed).toBe(39);
    expect(parse('double', '39').problems[0].message).toMatch(/finite number, got string/);
    expect(parse('string', 'ENERGY').parsed).toBe('ENERGY');
    expect(parse('string', 1).problems).toHaveLength(1);
  });

  it('checks every element of arrays and names its index', () => {
    expect(parse('double_array', [0.0001, 0.0002]).parsed).toEqual([0.0001, 0.0002]);
    expect(parse('int_array', [1, 2.5, 3]).problems[0].path).toBe('model.x.X1.a[1]');
    expect(parse('string_array', ['a', 'b']).parsed).toEqual(['a', 'b']);
  });

  it('reads xy in the YAML, restshop and pyshop forms into {ref, x, y}', () => {
    const canonical = { ref: 0, x: [0, 12], y: [90, 100] };
    expect(parse('xy', { ref: 0, x: [0, 12], y: [90, 100] }).parsed).toEqual(canonical);
    expect(parse('xy', { x_values: [0, 12], y_values: [90, 100] }).parsed).toEqual(canonical);
    expect(
      parse('xy', {
        xy: [
          [0, 90],
          [12, 100],
        ],
      }).parsed,
    ).toEqual(canonical);
    expect(parse('xy', { x: [0, 12], y: [90] }).problems[0].message).toMatch(/equal lengths/);
  });

  it('reads xy_array as a list or keyed by reference', () => {
    const tables = [
      { ref: 170, x: [1, 2], y: [80, 90] },
      { ref: 200, x: [1, 2], y: [81, 91] },
    ];
    expect(parse('xy_array', tables).parsed).toEqual(tables);
    expect(
      parse('xy_array', { '170': { x_values: [1, 2], y_values: [80, 90] }, '200': { x: [1, 2], y: [81, 91] } }).parsed,
    ).toEqual(tables);
    expect(parse('xy_array', [{ ref: 1, x: [1], y: ['a'] }]).problems[0].path).toBe('model.x.X1.a[0].y[0]');
  });

  it('reads txy series, constants and one-value-per-scenario forms', () => {
    const series = { name: 'Inflow', timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T03:00:00Z'], values: [[10, 15]] };
    expect(parse('txy', series).parsed).toEqual(series);
    expect(parse('txy', 39.99).parsed).toEqual({ values: [[39.99]] });
    expect(parse('txy', { values: [[20], [30]] }).parsed).toEqual({ values: [[20], [30]] });
  });

  it('rejects bad series with the path of the bad part', () => {
    const at = (value: unknown) => parse('txy', value).problems[0];
    expect(at({ timestamps: ['2018-01-23T03:00:00Z', '2018-01-23T00:00:00Z'], values: [[1, 2]] })).toEqual({
      path: 'model.x.X1.a.timestamps[1]',
      message: 'must be after 2018-01-23T03:00:00Z (ascending)',
    });
    expect(at({ timestamps: ['2018-01-00T00:00:00Z'], values: [[1]] }).path).toBe('model.x.X1.a.timestamps[0]');
    expect(at({ timestamps: ['2018-01-23T00:00:00Z'], values: [[1, 2]] }).message).toBe(
      'has 2 values for 1 timestamps',
    );
    expect(at({ timestamps: ['2018-01-23T00:00:00Z'], values: [[null]] }).path).toBe('model.x.X1.a.values[0][0]');
    expect(at('sixty').message).toMatch(/time series/);
  });

  it('reads xyt and sy', () => {
    expect(parse('xyt', [{ time: '2018-01-23 00:00:00', xy: [[1, 2]] }]).parsed).toEqual([
      { time: '2018-01-23T00:00:00Z', ref: 0, x: [1], y: [2] },
    ]);
    expect(parse('sy', { line1: 0.3, line2: -0.1 }).parsed).toEqual({ line1: 0.3, line2: -0.1 });
    expect(parse('sy', [['line1', 0.3]]).parsed).toEqual({ line1: 0.3 });
    expect(parse('sy', JSON.parse('{"__proto__": 1}')).problems[0].message).toMatch(/not an allowed key/);
  });

  it('keeps values of attributes without a known datatype, refusing dangerous keys and deep nesting', () => {
    expect(parse(null, { a: [1, 'x'] }).parsed).toEqual({ a: [1, 'x'] });
    expect(parse(null, JSON.parse('{"constructor": {}}')).problems).toHaveLength(1);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(parse(null, deep).problems[0].message).toMatch(/nested deeper/);
  });
});

describe('structured values are strict', () => {
  const xy = { ref: 0, x: [0, 12], y: [90, 100] };
  const series = { timestamps: ['2018-01-23T00:00:00Z'], values: [[1]] };

  it.each<[ShopDatatype, unknown, string]>([
    ['xy', { ...xy, z: [1] }, 'model.x.X1.a.z'],
    ['xy', { x_values: [1], y_values: [2], units: 'MW' }, 'model.x.X1.a.units'],
    ['xy', { ref: 0, xy: [[1, 2]], time: '2018-01-23' }, 'model.x.X1.a.time'],
    ['xy_array', [xy, { ...xy, extra: 1 }], 'model.x.X1.a[1].extra'],
    ['xy_array', { '90': { ...xy, 'x values': [] } }, 'model.x.X1.a["90"]["x values"]'],
    ['txy', { ...series, timestamp: ['2018-01-23T00:00:00Z'] }, 'model.x.X1.a.timestamp'],
    ['txy', { values: [[1]], scenarios: [[1]] }, 'model.x.X1.a.scenarios'],
    ['xyt', [{ time: '2018-01-23T00:00:00Z', ...xy, note: 'x' }], 'model.x.X1.a[0].note'],
    [
      'xyt',
      { '2018-01-23T00:00:00Z': { ...xy, time: '2018-01-23T00:00:00Z' } },
      'model.x.X1.a["2018-01-23T00:00:00Z"].time',
    ],
  ])('%s refuses an unknown key (%j) and names it', (datatype, value, path) => {
    const { parsed, problems } = parse(datatype, value);
    expect(parsed).toBeUndefined();
    expect(problems[0]).toEqual({ path, message: expect.stringMatching(/^is not a field of/) });
  });

  it.each<[ShopDatatype, string, (key: string) => string, string]>([
    ['xy', 'xy', (key) => `{"ref": 0, "x": [1], "y": [2], "${key}": 1}`, 'model.x.X1.a'],
    ['xy_array', 'xy_array', (key) => `[{"ref": 0, "x": [1], "y": [2], "${key}": {}}]`, 'model.x.X1.a[0]'],
    ['txy', 'txy', (key) => `{"values": [[1]], "${key}": {"polluted": true}}`, 'model.x.X1.a'],
    ['xyt', 'xyt', (key) => `[{"time": "2018-01-23", "xy": [[1, 2]], "${key}": null}]`, 'model.x.X1.a[0]'],
  ])('%s refuses prototype keys', (datatype, _name, body, parent) => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const { parsed, problems } = parse(datatype, JSON.parse(body(key)));
      expect(parsed).toBeUndefined();
      expect(problems[0].path).toBe(`${parent}.${key}`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('sy names are plain text, not empty, not prototype keys, in both forms', () => {
    expect(parse('sy', JSON.parse('{"constructor": 1}')).problems[0].path).toBe('model.x.X1.a.constructor');
    expect(parse('sy', { '': 1 }).problems[0]).toEqual({
      path: 'model.x.X1.a[""]',
      message: 'the name must not be empty',
    });
    expect(parse('sy', { 'line\t1': 1 }).problems[0]).toEqual({
      path: 'model.x.X1.a["line\\t1"]',
      message: expect.stringMatching(/^the name contains the control character U\+0009/),
    });
    expect(parse('sy', [['a\u0000', 1]]).problems[0]).toEqual({
      path: 'model.x.X1.a[0][0]',
      message: expect.stringMatching(/^the name contains NUL/),
    });
    expect(parse('sy', [['__proto__', 1]]).problems[0].path).toBe('model.x.X1.a[0][0]');
    expect(parse('sy', [[1, 0.3]]).problems[0]).toEqual({
      path: 'model.x.X1.a[0]',
      message: 'must be a [name, number] pair',
    });
    expect(parse('sy', [['a', 1, 2]]).problems[0].path).toBe('model.x.X1.a[0]');
    expect(parse('sy', [['a', 'b']]).problems[0].path).toBe('model.x.X1.a[0][1]');
  });

  it('accepts restshop units on xy and txy, as text, and drops them', () => {
    expect(parse('xy', { x_values: [0, 12], y_values: [90, 100], x_unit: 'MW', y_unit: '%' }).parsed).toEqual(xy);
    expect(parse('xy', { ...xy, x_unit: 1 }).problems[0].path).toBe('model.x.X1.a.x_unit');
    expect(parse('txy', { ...series, unit: 'M3/S' }).parsed).toEqual(series);
    expect(parse('txy', { ...series, unit: [] }).problems[0].path).toBe('model.x.X1.a.unit');
  });

  it('refuses points given twice in two forms', () => {
    for (const value of [
      { ...xy, xy: [[1, 2]] },
      { x: [1], x_values: [1], y: [2] },
      { x: [1], y: [2], y_values: [2] },
    ]) {
      expect(parse('xy', value).problems[0]).toEqual({ path: 'model.x.X1.a', message: expect.stringMatching(/twice/) });
    }
  });

  it('xy_array keys must be numbers, not blank', () => {
    expect(parse('xy_array', { ' ': xy }).problems[0]).toEqual({
      path: 'model.x.X1.a[" "]',
      message: 'the key must be the reference number',
    });
  });
});

describe('compressTxy', () => {
  it('keeps the first point and drops points repeating the previous value in every scenario', () => {
    const series = {
      timestamps: ['t0', 't1', 't2', 't3', 't4'],
      values: [
        [1, 1, 2, 2, 2],
        [5, 5, 5, 6, 6],
      ],
    };
    expect(compressTxy(series)).toEqual({
      timestamps: ['t0', 't2', 't3'],
      values: [
        [1, 2, 2],
        [5, 5, 6],
      ],
    });
  });

  it('leaves a series without repeats untouched', () => {
    const series = { timestamps: ['t0', 't1'], values: [[1, 2]] };
    expect(compressTxy(series)).toBe(series);
  });
});

describe('formatAttributeValue', () => {
  it('writes a constant series as a one-point series at start_time', () => {
    expect(formatAttributeValue('txy', { values: [[60]] }, { startTime: '2018-01-23T00:00:00Z' })).toEqual({
      timestamps: ['2018-01-23T00:00:00Z'],
      values: [[60]],
    });
    expect(formatAttributeValue('double', 3, {})).toBe(3);
  });
});
