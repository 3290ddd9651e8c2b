import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseShopDocument, type ShopDocument } from './shop-document.js';
import { YamlConnectionError, YamlSyntaxError, yamlToShopJson } from './shop-yaml.js';

/**
 * Properties of the SHOP JSON and YAML readers over generated documents: valid ones, mutated
 * ones, hostile text, deep nesting, huge numbers and prototype keys. Whatever comes in, the
 * readers answer problems (or their own syntax errors) and never throw anything else; what they
 * accept reads back to itself.
 */

const HOSTILE = ['\u0000', '\ud800', '\udfff', '__proto__', 'constructor', 'prototype', '\u001b', '\u007f', ''];
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(...HOSTILE),
);
const name = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}$/) },
  { weight: 1, arbitrary: text },
);
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 1e40, Number.MAX_SAFE_INTEGER + 2, 0.1),
);
const hour = fc.integer({ min: 0, max: 47 });
const timestamp = hour.map((h) => new Date(Date.UTC(2026, 0, 1, h)).toISOString().replace('.000', ''));

const txy = fc.oneof(
  number,
  fc.uniqueArray(timestamp, { minLength: 1, maxLength: 4 }).chain((stamps) =>
    fc.record({
      timestamps: fc.constant([...stamps].sort()),
      values: fc.array(fc.array(number, { minLength: stamps.length, maxLength: stamps.length }), {
        minLength: 1,
        maxLength: 2,
      }),
    }),
  ),
);
const xy = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    ref: number,
    x: fc.array(number, { minLength: n, maxLength: n }),
    y: fc.array(number, { minLength: n, maxLength: n }),
  }),
);

/** Catalog attributes of each datatype, with values of that datatype (or not, now and then). */
const attributes = fc.dictionary(
  fc.constantFrom('max_vol', 'lrl', 'hrl', 'inflow', 'vol_head', 'flow_descr', 'start_head', 'nothing', '__proto__'),
  fc.oneof(number, txy, xy, text, fc.array(number, { maxLength: 3 })),
  { maxKeys: 5 },
);

const document = fc.record(
  {
    time: fc.record({
      start_time: fc.constant('2026-01-01T00:00:00Z'),
      end_time: fc.constantFrom('2026-01-02T00:00:00Z', '2025-12-31T00:00:00Z', 'tomorrow'),
      time_unit: fc.constantFrom('hour', 'minute', 'day'),
    }),
    model: fc.dictionary(
      fc.constantFrom('reservoir', 'plant', 'market', 'no_such_type'),
      fc.dictionary(name, attributes, { maxKeys: 3 }),
      { maxKeys: 3 },
    ),
    connections: fc.array(
      fc.record({
        from: name,
        to: name,
        from_type: fc.constantFrom('reservoir', 'plant'),
        to_type: fc.constantFrom('plant', 'reservoir'),
      }),
      { maxLength: 3 },
    ),
    commands: fc.array(fc.oneof(fc.constantFrom('start sim 3', 'set code /incremental', 'no such command'), text), {
      maxLength: 2,
    }),
  },
  { requiredKeys: [] },
);

/** A generated document, or any JSON value at all, or one nested far deeper than any format. */
const anyBody = fc.oneof(
  { weight: 6, arbitrary: document },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 400 }).map(deeplyNested) },
);

function deeplyNested(depth: number): unknown {
  let value: unknown = { max_vol: 1 };
  for (let i = 0; i < depth; i++) value = { values: [value] };
  return { model: { reservoir: { R: { inflow: value } } } };
}

/** The SHOP JSON of a parsed document (its canonical form). */
function toJson(parsed: ShopDocument): unknown {
  const model: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const { objectType, objectName } of parsed.objects) (model[objectType] ??= {})[objectName] ??= {};
  for (const a of parsed.attributes) model[a.objectType][a.objectName][a.attribute] = a.value;
  return {
    ...(parsed.time && { time: parsed.time }),
    model,
    connections: parsed.connections,
    commands: parsed.commands,
  };
}

describe('the SHOP JSON reader, over generated documents', () => {
  it('answers problems, never throws, and reads what it accepts back to itself', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const { document: parsed, problems, commandProblems } = parseShopDocument(body);
        for (const problem of [...problems.list, ...commandProblems.list]) {
          expect(typeof problem.path).toBe('string');
          expect(typeof problem.message).toBe('string');
        }
        if (!parsed || problems.count || commandProblems.count) return;
        const again = parseShopDocument(JSON.parse(JSON.stringify(toJson(parsed))));
        expect(again.problems.list).toEqual([]);
        expect(again.document).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });

  it('never keeps a prototype key or text the database cannot hold', () => {
    fc.assert(
      fc.property(document, (body) => {
        const { document: parsed } = parseShopDocument(body);
        if (!parsed) return;
        const names = [
          ...parsed.objects.flatMap((o) => [o.objectType, o.objectName]),
          ...parsed.attributes.map((a) => a.attribute),
        ];
        for (const value of names) {
          expect(['__proto__', 'constructor', 'prototype']).not.toContain(value);
          expect(value.includes('\u0000')).toBe(false);
          expect(value).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the SHOP YAML reader, over generated text', () => {
  const yamlText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    document.map((body) => JSON.stringify(body)),
    fc.constantFrom(
      'model: &a [*a]',
      'a: !!binary AAAA',
      'model:\n  reservoir:\n    R1:\n      max_vol: .inf\n',
      '{{{{',
    ),
  );

  it('throws only its own syntax and connection errors', () => {
    fc.assert(
      fc.property(yamlText, (yaml) => {
        try {
          const json = yamlToShopJson(yaml);
          parseShopDocument(json);
        } catch (error) {
          expect(error instanceof YamlSyntaxError || error instanceof YamlConnectionError).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
