import { describe, expect, it } from '@jest/globals';
import { parseShopDocument } from './shop-document.js';
import { yamlToShopJson } from './shop-yaml.js';

const TIME = { start_time: '2018-01-23T00:00:00Z', end_time: '2018-01-24T00:00:00Z', time_unit: 'hour' };

/** The problems of a document (model problems, then command problems). */
function problemsOf(body: unknown) {
  const { document, problems, commandProblems } = parseShopDocument(body);
  return { document, list: [...problems.list, ...commandProblems.list] };
}

const NUL = '\u0000';
const HIGH = '\ud800';
const LOW = '\udc00';

describe('parseShopDocument: text that cannot be stored', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['a NUL in an object name', { model: { reservoir: { [`R${NUL}1`]: {} } } }, 'model.reservoir["R\\u00001"]', /NUL/],
    [
      'a lone high surrogate in an object name',
      { model: { plant: { [HIGH]: {} } } },
      'model.plant["\\ud800"]',
      /U\+D800/,
    ],
    ['a lone low surrogate in an object type', { model: { [`x${LOW}`]: {} } }, 'model["x\\udc00"]', /U\+DC00/],
    [
      'a NUL in a string value',
      { model: { market: { M1: { market_type: `ENERGY${NUL}` } } } },
      'model.market.M1.market_type',
      /NUL \(U\+0000\) at character 7/,
    ],
    [
      'a lone surrogate in a string array',
      { model: { lp_model: { lp: { var_type_names: ['a', `b${LOW}`] } } } },
      'model.lp_model.lp.var_type_names[1]',
      /surrogate/,
    ],
    [
      'a NUL in a series name',
      { model: { reservoir: { R1: { inflow: { name: `In${NUL}`, values: [[1]] } } } } },
      'model.reservoir.R1.inflow.name',
      /NUL/,
    ],
    [
      'a NUL in a timestamp',
      { model: { reservoir: { R1: { inflow: { timestamps: [`2018-01-23${NUL}`], values: [[1]] } } } } },
      'model.reservoir.R1.inflow.timestamps[0]',
      /NUL/,
    ],
    [
      'a NUL in a string inside a value of unknown datatype',
      { model: { reservoir: { R1: { head_area: { a: [{ b: `x${NUL}` }] } } } } },
      'model.reservoir.R1.head_area.a[0].b',
      /NUL/,
    ],
    [
      'a NUL in a connection end',
      { connections: [{ from: `R${NUL}`, from_type: 'reservoir', to: 'P', to_type: 'plant' }] },
      'connections[0].from',
      /NUL/,
    ],
    ['a NUL in a command', { commands: [`start sim 3${NUL}`] }, 'commands[0]', /NUL/],
    ['a NUL in the time unit', { time: { ...TIME, time_unit: `hour${NUL}` } }, 'time.time_unit', /NUL/],
    [
      'a control character in a string value',
      { model: { market: { M1: { market_type: 'a\u001bb' } } } },
      'model.market.M1.market_type',
      /U\+001B/,
    ],
  ])('%s is a model problem naming its path', (_what, body, path, message) => {
    const { document, list } = problemsOf(body);
    expect(document).toBeUndefined();
    expect(list).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('lets tab, line feed and carriage return through in string values', () => {
    const { document, list } = problemsOf({ model: { market: { M1: { market_type: 'a\tb\r\nc' } } } });
    expect(list).toEqual([]);
    expect(document?.attributes[0].value).toBe('a\tb\r\nc');
  });

  it.each([
    ['tab', 'R\t1'],
    ['line feed', 'R\n1'],
    ['DEL', 'R\u007f1'],
    ['C1 next line', 'R\u00851'],
  ])('refuses a %s in an object name', (_what, name) => {
    const { list } = problemsOf({ model: { reservoir: { [name]: {} } } });
    expect(list).toEqual([
      {
        path: `model.reservoir[${JSON.stringify(name)}]`,
        message: expect.stringMatching(
          /^the object name contains the control character U\+00[0-9A-F]{2} at character 2/,
        ),
      },
    ]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere, first', (key) => {
    for (const body of [
      `{"${key}": {}}`,
      `{"model": {"reservoir": {"R1": {"${key}": 1}}}}`,
      `{"connections": [{"from": "R", "from_type": "reservoir", "to": "P", "to_type": "plant", "${key}": {}}]}`,
      `{"commands": [{"command": "start sim", "values": ["1"], "${key}": []}]}`,
      `{"time": {"start_time": "2018-01-23", "end_time": "2018-01-24", "${key}": 1}}`,
    ]) {
      const { list } = problemsOf(JSON.parse(body));
      expect(list).toHaveLength(1);
      expect(list[0]).toEqual({
        path: expect.stringMatching(new RegExp(`\\.${key}$|^${key}$`)),
        message: expect.stringMatching(/not an allowed key/),
      });
    }
  });
});

describe('parseShopDocument: strict keys', () => {
  const connection = { from: 'R1', from_type: 'reservoir', to: 'P1', to_type: 'plant' };
  const model = { reservoir: { R1: {} }, plant: { P1: {} } };

  it('refuses a connection field the spec does not define', () => {
    expect(problemsOf({ model, connections: [{ ...connection, weight: 1 }] }).list).toEqual([
      {
        path: 'connections[0].weight',
        message:
          'is not a field of a connection (from, from_type, to, to_type, relation_type, relation_direction, order)',
      },
    ]);
    const full = { ...connection, relation_type: 'spill', relation_direction: 'input', order: 1 };
    expect(problemsOf({ model, connections: [full] }).list).toEqual([]);
  });

  it('reads only own relation types: constructor is none', () => {
    expect(problemsOf({ model, connections: [{ ...connection, relation_type: 'constructor' }] }).list).toEqual([
      { path: 'connections[0].relation_type', message: 'must be default, spill or bypass, got "constructor"' },
    ]);
  });

  it('refuses a command field the spec does not define, as a command problem', () => {
    const { problems, commandProblems } = parseShopDocument({ commands: [{ command: 'start sim', value: ['3'] }] });
    expect(problems.list).toEqual([]);
    expect(commandProblems.list).toEqual([
      { path: 'commands[0].value', message: 'is not a field of a command (command, options, values)' },
    ]);
  });
});

describe('SHOP YAML: the same checks once read', () => {
  const yaml = (text: string) => problemsOf(yamlToShopJson(text)).list;

  it('names a NUL or a lone surrogate written as a YAML escape', () => {
    expect(yaml('model:\n  reservoir:\n    "R\\0":\n      max_vol: 1\n')).toEqual([
      { path: 'model.reservoir["R\\u0000"]', message: expect.stringMatching(/NUL/) },
    ]);
    expect(yaml('model:\n  market:\n    M1:\n      market_type: "\\uD800"\n')).toEqual([
      { path: 'model.market.M1.market_type', message: expect.stringMatching(/surrogate/) },
    ]);
  });

  it('names a raw NUL or control character in the YAML text', () => {
    expect(yaml(`model:\n  reservoir:\n    R${NUL}1:\n      max_vol: 1\n`)[0].path).toBe(
      'model.reservoir["R\\u00001"]',
    );
    expect(yaml('model:\n  reservoir:\n    R\u00011:\n      max_vol: 1\n')[0].message).toMatch(/U\+0001/);
  });

  it('names a NUL in a connection end whose type it would otherwise infer', () => {
    const text = 'model:\n  reservoir:\n    R1: {}\nconnections:\n  - from: "R\\0"\n    to: R1\n';
    expect(yaml(text)).toEqual([{ path: 'connections[0].from', message: expect.stringMatching(/NUL/) }]);
  });

  it('refuses unknown keys of a txy written in the JSON form', () => {
    const text = 'model:\n  reservoir:\n    R1:\n      inflow: {values: [[1]], scenario: 1}\n';
    expect(yaml(text)).toEqual([
      { path: 'model.reservoir.R1.inflow.scenario', message: expect.stringMatching(/^is not a field/) },
    ]);
  });
});
