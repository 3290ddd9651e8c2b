import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseShopDocument } from './shop-document.js';
import { type Txy } from './shop-json.js';
import { compressTxy } from './shop-values.js';
import {
  MAX_NESTING,
  shopJsonToYaml,
  type ShopJsonInput,
  YamlConnectionError,
  YamlSyntaxError,
  yamlTimestamp,
  yamlToShopJson,
} from './shop-yaml.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURES = ['basic_model', 'basic_pump', 'tunnel_model', 'water_values_model', 'reserve_capacity_model'] as const;

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}.yaml`, import.meta.url), 'utf8');

const read = (text: string) => yamlToShopJson(text) as Json;

const FULL = { compressTxy: false, compressConnections: false };
const COMPRESSED = { compressTxy: true, compressConnections: true };

describe('yamlToShopJson', () => {
  it('renames the time keys and writes the timestamps as SHOP JSON', () => {
    const json = read(`
time:
  starttime: 2018-02-27 00:00:00
  endtime: 2018-02-28
  timeunit: hour
  timeresolution:
    2018-02-27 00:00:00: 1
    2018-02-27 12:00:00: 3
`);
    expect(json).toEqual({
      time: {
        start_time: '2018-02-27T00:00:00Z',
        end_time: '2018-02-28T00:00:00Z',
        time_unit: 'hour',
        time_resolution: { timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T12:00:00Z'], values: [[1, 3]] },
      },
    });
  });

  it('turns a txy map into {timestamps, values} and leaves xy, xy_array, numbers and strings as they are', () => {
    const json = read(`
model:
  reservoir:
    R1:
      max_vol: 12
      inflow:
        2018-02-27 00:00:00: 10
        2018-02-27 03:00:00: 15.5
      vol_head:
        ref: 0
        x: [0, 12]
        y: [90, 100]
  generator:
    G1:
      penstock: 1
      turb_eff_curves:
        - ref: 90
          x: [25, 90]
          y: [80, 95]
  market:
    M:
      market_type: ENERGY
      load: 12.5
`);
    expect(json.model.reservoir.R1).toEqual({
      max_vol: 12,
      inflow: { timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T03:00:00Z'], values: [[10, 15.5]] },
      vol_head: { ref: 0, x: [0, 12], y: [90, 100] },
    });
    expect(json.model.generator.G1).toEqual({ penstock: 1, turb_eff_curves: [{ ref: 90, x: [25, 90], y: [80, 95] }] });
    expect(json.model.market.M).toEqual({ market_type: 'ENERGY', load: 12.5 });
    expect(parseShopDocument(json).problems.list).toEqual([]);
  });

  it('reads a stochastic txy ("Scenario #" header row) into one series per scenario', () => {
    const json = read(`
model:
  market:
    M:
      sale_price:
        "         Scenario #": "    1    2    3"
        "2018-02-27 00:00:00": "   39   39   39"
        "2018-02-27 01:00:00": " 38.5   39 39.5"
`);
    expect(json.model.market.M.sale_price).toEqual({
      timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T01:00:00Z'],
      values: [
        [39, 38.5],
        [39, 39],
        [39, 39.5],
      ],
    });
    expect(parseShopDocument(json).problems.list).toEqual([]);
  });

  it('a stochastic row with a word instead of a number is rejected by the validator with its path', () => {
    const json = read(`
model:
  market:
    M:
      sale_price:
        Scenario#: 1 2
        2018-02-27 00:00:00: 39 high
`);
    expect(parseShopDocument(json).problems.list.map((p) => p.path)).toEqual([
      'model.market.M.sale_price.values[1][0]',
    ]);
  });

  it('infers missing connection types from the model section and maps connection_type to relation_type', () => {
    const json = read(`
model:
  reservoir: { R1: {}, R2: {} }
  plant: { P1: {} }
  gate: { S1: {} }
  junction: { J1: {} }
connections:
  - from: R1
    to: P1
  - from: R1
    to: S1
    connection_type: connection_spill
  - from: R2
    to: J1
    order: 1
  - from: P1
    from_type: plant
    to: R2
    to_type: reservoir
    connection_type: connection_standard
`);
    expect(json.connections).toEqual([
      {
        from: 'R1',
        from_type: 'reservoir',
        to: 'P1',
        to_type: 'plant',
        relation_type: 'default',
        relation_direction: 'both',
      },
      {
        from: 'R1',
        from_type: 'reservoir',
        to: 'S1',
        to_type: 'gate',
        relation_type: 'spill',
        relation_direction: 'both',
      },
      {
        from: 'R2',
        from_type: 'reservoir',
        to: 'J1',
        to_type: 'junction',
        relation_type: 'default',
        relation_direction: 'both',
        order: 1,
      },
      {
        from: 'P1',
        from_type: 'plant',
        to: 'R2',
        to_type: 'reservoir',
        relation_type: 'default',
        relation_direction: 'both',
      },
    ]);
    expect(parseShopDocument(json).problems.list).toEqual([]);
  });

  it('refuses a connection whose object name is ambiguous or unknown, naming the connection', () => {
    const ambiguous = `
model:
  plant: { Unit1: {} }
  generator: { Unit1: {} }
  reservoir: { R1: {} }
connections:
  - from: R1
    to: Unit1
`;
    expect(() => yamlToShopJson(ambiguous)).toThrow(YamlConnectionError);
    expect(() => yamlToShopJson(ambiguous)).toThrow(
      'connections[0].to_type: "Unit1" names objects of several types (generator, plant); give to_type',
    );
    const unknown =
      'model:\n  reservoir: { R1: {} }\nconnections:\n  - from: R1\n    to: P1\n  - from: Nowhere\n    to: R1\n';
    expect(() => yamlToShopJson(unknown)).toThrow(/^connections\[0\]\.to_type: no object named "P1"/);
    // With the type given, the name needs no inference.
    expect(() => yamlToShopJson(ambiguous.replace('to: Unit1', 'to: Unit1\n    to_type: plant'))).not.toThrow();
  });

  it('infers connection types from known objects outside the document (the stored model)', () => {
    const json = yamlToShopJson(
      'connections:\n  - from: R1\n    to: P1\n',
      new Map([
        ['reservoir', ['R1']],
        ['plant', ['P1']],
      ]),
    ) as Json;
    expect(json.connections[0]).toMatchObject({ from_type: 'reservoir', to_type: 'plant' });
  });

  it('keeps commands as strings', () => {
    const json = read('commands:\n  - set code /full\n  - start sim 5\n');
    expect(json.commands).toEqual(['set code /full', 'start sim 5']);
    expect(parseShopDocument(json).document!.commands).toEqual([
      { command: 'set code', options: ['full'], values: [] },
      { command: 'start sim', options: [], values: ['5'] },
    ]);
  });

  it('reads YAML numbers as numbers: 1e40 is kept, .inf and .nan are rejected by the validator', () => {
    const json = read(`
model:
  reservoir:
    R1:
      max_vol: 1e40
      lrl: 0x10
      hrl: .inf
      start_head: .nan
`);
    expect(json.model.reservoir.R1.max_vol).toBe(1e40);
    expect(json.model.reservoir.R1.lrl).toBe(16);
    expect(json.model.reservoir.R1.hrl).toBe(Infinity);
    expect(parseShopDocument(json).problems.list.map((p) => p.path)).toEqual([
      'model.reservoir.R1.hrl',
      'model.reservoir.R1.start_head',
    ]);
  });

  it('keeps map keys and YAML 1.1 words as strings (core schema)', () => {
    const json = read('model:\n  market:\n    1:\n      market_type: yes\n');
    expect(Object.keys(json.model.market)).toEqual(['1']);
    expect(json.model.market['1'].market_type).toBe('yes');
  });

  it.each([
    ['an unclosed flow sequence', 'model:\n  reservoir: [1,\n', /^Malformed YAML at line \d+, column \d+/],
    ['bad indentation', 'model:\n  reservoir:\n R1: {}\n  plant: {}\n', /^Malformed YAML at line/],
    [
      'a duplicate key',
      'model:\n  reservoir:\n    R1: {}\n    R1: {}\n',
      /^Malformed YAML at line 4, column 5: Map keys must be unique/,
    ],
    ['several documents', 'model: {}\n---\nmodel: {}\n', /^Malformed YAML at line 2/],
    ['a complex key', '? [a, b]\n: 1\n', /^Malformed YAML at line 1/],
  ])('refuses %s with a YamlSyntaxError naming the line and column', (_, text, message) => {
    expect(() => yamlToShopJson(text)).toThrow(YamlSyntaxError);
    expect(() => yamlToShopJson(text)).toThrow(message);
  });

  it('gives the line and column on the error', () => {
    try {
      yamlToShopJson('time:\n  starttime: [\n');
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(YamlSyntaxError);
      expect((error as YamlSyntaxError).line).toBeGreaterThan(0);
      expect((error as YamlSyntaxError).column).toBeGreaterThan(0);
    }
  });

  it('refuses an alias bomb (billion laughs)', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'model: [*g]',
    ].join('\n');
    expect(() => yamlToShopJson(bomb)).toThrow(YamlSyntaxError);
    expect(() => yamlToShopJson(bomb)).toThrow(/alias/);
  });

  it('refuses text nested too deeply before the recursive parser sees it, and takes what is nested less', () => {
    const block = 'model:\n' + Array.from({ length: 3000 }, (_, i) => ' '.repeat(i + 1) + '- ').join('\n') + 'x';
    const zigzag = Array.from({ length: 1000 }, (_, i) => ' '.repeat(2 * i) + '- k:').join('\n') + ' x';
    // Repeated: V8 can abort the process on the second deep parse, not only the first.
    for (const text of ['['.repeat(100000), block, '- '.repeat(20000) + 'x', zigzag, '['.repeat(100000)]) {
      expect(() => yamlToShopJson(text)).toThrow(YamlSyntaxError);
      expect(() => yamlToShopJson(text)).toThrow(`nested more than ${MAX_NESTING} levels deep`);
    }
    expect(yamlToShopJson('model: ' + '['.repeat(60) + ']'.repeat(60))).toEqual({ model: expect.any(Array) });
    expect(yamlToShopJson(Array.from({ length: 30 }, (_, i) => ' '.repeat(2 * i) + '- k:').join('\n') + ' x')).toEqual(
      expect.any(Array),
    );
  });

  it.each([
    ['!!js/function', 'model: !!js/function "function () { return 1 }"\n'],
    ['!foo', 'model:\n  reservoir:\n    R1:\n      max_vol: !foo 12\n'],
    ['!!binary', 'model: !!binary aGVsbG8=\n'],
    ['!!timestamp', 'time:\n  starttime: !!timestamp 2018-01-01\n'],
    ['!!set', 'model: !!set {a, b}\n'],
    ['a %TAG-declared tag', '%TAG !e! tag:example.com,2000:\n---\nmodel: !e!thing 1\n'],
  ])('refuses the tag %s', (_, text) => {
    expect(() => yamlToShopJson(text)).toThrow(YamlSyntaxError);
    expect(() => yamlToShopJson(text)).toThrow(/^YAML tags are not accepted/);
  });

  it('keeps __proto__ keys as own properties (rejected by the validator), never touching a prototype', () => {
    const json = read('model:\n  reservoir:\n    __proto__:\n      max_vol: 1\n');
    expect(Object.getPrototypeOf(json.model.reservoir)).toBe(Object.prototype);
    expect(Object.keys(json.model.reservoir)).toEqual(['__proto__']);
    expect(({} as Json).max_vol).toBeUndefined();
    expect(parseShopDocument(json).problems.list.map((p) => p.path)).toEqual(['model.reservoir.__proto__']);
  });

  it('passes what is not a map to the validator (an empty document, a list)', () => {
    expect(yamlToShopJson('')).toBeNull();
    expect(yamlToShopJson('- a\n- b\n')).toEqual(['a', 'b']);
  });
});

describe('shopJsonToYaml', () => {
  const document: ShopJsonInput = {
    time: {
      start_time: '2018-01-23T00:00:00Z',
      end_time: '2018-01-24T00:00:00Z',
      time_unit: 'hour',
      time_resolution: { timestamps: ['2018-01-23T00:00:00Z'], values: [[1]] },
    },
    model: {
      reservoir: {
        R1: {
          max_vol: 39,
          vol_head: { ref: 0, x: [0, 39], y: [860, 905] },
          inflow: {
            timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T01:00:00Z', '2018-01-23T02:00:00Z'],
            values: [[5, 5, 7]],
          },
        },
      },
      plant: { P1: { main_loss: [0] } },
      gate: { S1: {} },
      market: {
        M: {
          market_type: 'ENERGY',
          sale_price: {
            timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T01:00:00Z'],
            values: [
              [39, 38.5],
              [39, 40],
            ],
          },
        },
      },
    },
    connections: [
      { from: 'R1', from_type: 'reservoir', to: 'P1', to_type: 'plant', relation_type: 'default' },
      { from: 'R1', from_type: 'reservoir', to: 'S1', to_type: 'gate', relation_type: 'spill', order: 0 },
    ],
  };

  it('writes the SHOP YAML standard: time keys, timestamps, txy maps, xy tables', () => {
    const yaml = shopJsonToYaml(document, FULL);
    expect(yaml).toContain(
      'time:\n  starttime: 2018-01-23 00:00:00\n  endtime: 2018-01-24 00:00:00\n  timeunit: hour\n' +
        '  timeresolution:\n    2018-01-23 00:00:00: 1\n',
    );
    expect(yaml).toContain(
      '      inflow:\n        2018-01-23 00:00:00: 5\n        2018-01-23 01:00:00: 5\n        2018-01-23 02:00:00: 7\n',
    );
    expect(yaml).toContain('      vol_head:\n        ref: 0\n        x:\n          - 0\n          - 39\n');
    expect(yaml).toContain('  gate:\n    S1: {}\n');
  });

  it('writes several scenarios in the "Scenario #" form', () => {
    const yaml = shopJsonToYaml(document, FULL);
    expect(yaml).toContain(
      '      sale_price:\n' +
        '        "         Scenario #": "   1    2"\n' +
        '        2018-01-23 00:00:00: "  39   39"\n' +
        '        2018-01-23 01:00:00: 38.5   40\n',
    );
    expect(read(yaml).model.market.M.sale_price).toEqual(document.model.market.M.sale_price);
  });

  it('compresses txy on request, dropping consecutive repeats', () => {
    const full = read(shopJsonToYaml(document, FULL));
    const compressed = read(shopJsonToYaml(document, { ...FULL, compressTxy: true }));
    expect(full.model.reservoir.R1.inflow).toEqual(document.model.reservoir.R1.inflow);
    expect(compressed.model.reservoir.R1.inflow).toEqual({
      timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T02:00:00Z'],
      values: [[5, 7]],
    });
    expect(compressed.model.reservoir.R1.inflow).toEqual(compressTxy(document.model.reservoir.R1.inflow as Txy));
  });

  it('writes connections in full, or compressed to from/to with connection_type and order only where needed', () => {
    expect(shopJsonToYaml(document, FULL)).toContain(
      'connections:\n' +
        '  - from: R1\n    to: P1\n    from_type: reservoir\n    to_type: plant\n    connection_type: connection_standard\n' +
        '  - from: R1\n    to: S1\n    from_type: reservoir\n    to_type: gate\n    connection_type: connection_spill\n' +
        '    order: 0\n',
    );
    expect(shopJsonToYaml(document, COMPRESSED)).toContain(
      'connections:\n  - from: R1\n    to: P1\n  - from: R1\n    to: S1\n    connection_type: connection_spill\n    order: 0\n',
    );
  });

  it('keeps the types of a compressed connection whose name is ambiguous or not in the model', () => {
    const ambiguous: ShopJsonInput = {
      model: { plant: { U1: {} }, generator: { U1: {} } },
      connections: [
        { from: 'U1', from_type: 'generator', to: 'U1', to_type: 'plant' },
        { from: 'R9', from_type: 'reservoir', to: 'U1', to_type: 'plant' },
      ],
    };
    const yaml = shopJsonToYaml(ambiguous, COMPRESSED);
    expect(yaml).toContain('  - from: U1\n    to: U1\n    from_type: generator\n    to_type: plant\n');
    expect(yaml).toContain('  - from: R9\n    to: U1\n    from_type: reservoir\n    to_type: plant\n');
    expect(read(yaml).connections.map((c: Json) => [c.from_type, c.to_type])).toEqual([
      ['generator', 'plant'],
      ['reservoir', 'plant'],
    ]);
  });

  it('quotes what a reader would take for something else, and writes commands as strings', () => {
    const yaml = shopJsonToYaml(
      {
        model: { market: { '1': { market_type: 'yes' } } },
        commands: ['start sim 3', { command: 'set code', options: ['incremental'], values: [] }],
      },
      FULL,
    );
    expect(yaml).toContain('  market:\n    "1":\n      market_type: "yes"\n');
    expect(yaml).toContain('commands:\n  - start sim 3\n  - set code /incremental\n');
    expect(read(yaml).model.market['1'].market_type).toBe('yes');
  });

  it('writes SHOP timestamps', () => {
    expect(yamlTimestamp('2018-01-23T05:00:00Z')).toBe('2018-01-23 05:00:00');
    expect(yamlTimestamp('2018-01-23')).toBe('2018-01-23 00:00:00');
  });
});

describe('the five SHOP examples', () => {
  it.each(FIXTURES)('%s validates against the catalog', (name) => {
    const { document, problems, commandProblems } = parseShopDocument(yamlToShopJson(fixture(name)));
    expect(problems.list).toEqual([]);
    expect(commandProblems.list).toEqual([]);
    expect(document!.attributes.length).toBeGreaterThan(30);
    expect(document!.connections.length).toBeGreaterThan(3);
  });

  it.each(FIXTURES)('%s round-trips YAML -> JSON -> YAML -> JSON unchanged', (name) => {
    const json = read(fixture(name));
    for (const options of [FULL, { ...FULL, compressConnections: true }]) {
      expect(read(shopJsonToYaml(json as ShopJsonInput, options))).toEqual(json);
    }
  });

  it.each(FIXTURES)('%s round-trips with compressed series to the compressed values', (name) => {
    const json = read(fixture(name));
    const again = read(shopJsonToYaml(json as ShopJsonInput, COMPRESSED));
    const { document } = parseShopDocument(again);
    const original = parseShopDocument(json).document!;
    expect(document!.attributes).toEqual(
      original.attributes.map((a) => (a.datatype === 'txy' ? { ...a, value: compressTxy(a.value as Txy) } : a)),
    );
    expect(document!.connections).toEqual(original.connections);
  });
});

describe('YAML aliases that make a cycle', () => {
  it('refuses a node that contains itself, and keeps shared (acyclic) ones', () => {
    expect(() => yamlToShopJson('model: &a [*a]')).toThrow(YamlSyntaxError);
    expect(() => yamlToShopJson('model:\n  reservoir: &r\n    R1:\n      inner: *r\n')).toThrow(/cycle/);
    const shared = yamlToShopJson(
      'model:\n  reservoir:\n    R1:\n      vol_head: &curve {ref: 0, x: [0, 1], y: [10, 11]}\n    R2:\n      vol_head: *curve\n',
    ) as { model: { reservoir: Record<string, { vol_head: unknown }> } };
    expect(shared.model.reservoir.R2.vol_head).toEqual(shared.model.reservoir.R1.vol_head);
  });
});
