import { describe, expect, it } from '@jest/globals';
import { childPath, escapeText, findTextProblem, nameProblem, textProblem } from './text.js';

describe('textProblem', () => {
  it('accepts plain text, tab, line feed, carriage return and paired surrogates', () => {
    for (const text of ['', 'Reservoir 1', 'a\tb\nc\r\n', 'Ålvik ÆØÅ', 'wave 🌊', '\u007f', '\u0085']) {
      expect(textProblem(text)).toBeUndefined();
    }
  });

  it('names NUL, the other C0 controls and unpaired surrogates, with their position', () => {
    expect(textProblem('ab\u0000')).toBe('contains NUL (U+0000) at character 3, which cannot be stored');
    expect(textProblem('\u0001')).toMatch(/^contains the control character U\+0001 at character 1; text may hold tab/);
    expect(textProblem('\u001b[31m')).toMatch(/U\+001B/);
    expect(textProblem('a\ud800')).toBe(
      'contains an unpaired UTF-16 surrogate (U+D800) at character 2: not valid Unicode',
    );
    expect(textProblem('\udc00b')).toMatch(/unpaired UTF-16 surrogate \(U\+DC00\) at character 1/);
    expect(textProblem('\ud800\ud800\udc00')).toMatch(/U\+D800\) at character 1/);
    expect(textProblem('🌊\udfff')).toMatch(/U\+DFFF\) at character 3/);
  });
});

describe('nameProblem', () => {
  it('refuses every control character in a name, tab and line breaks too', () => {
    expect(nameProblem('Reservoir 1')).toBeUndefined();
    expect(nameProblem('Ålvik–Øvre')).toBeUndefined();
    for (const bad of ['a\tb', 'a\nb', 'a\rb', 'a\u007fb', 'a\u0085b', 'a\u009fb']) {
      expect(nameProblem(bad)).toMatch(/control character U\+00[0-9A-F]{2} at character 2; names are plain text/);
    }
    expect(nameProblem('a\u0000')).toMatch(/NUL/);
    expect(nameProblem('a\ud800')).toMatch(/surrogate/);
  });
});

describe('childPath', () => {
  it('writes identifiers as .key, other keys quoted and escaped, indices as [i]', () => {
    expect(childPath('', 'model')).toBe('model');
    expect(childPath('model', 'reservoir')).toBe('model.reservoir');
    expect(childPath('model.reservoir', 'Rsv 1')).toBe('model.reservoir["Rsv 1"]');
    expect(childPath('model.reservoir', 'a\u0000b')).toBe('model.reservoir["a\\u0000b"]');
    expect(childPath('m', '\ud800')).toBe('m["\\ud800"]');
    expect(childPath('', '2018-01-23')).toBe('["2018-01-23"]');
    expect(childPath('values', 2)).toBe('values[2]');
  });
});

describe('findTextProblem', () => {
  it('finds nothing in acceptable values', () => {
    expect(findTextProblem(undefined)).toBeUndefined();
    expect(findTextProblem(42)).toBeUndefined();
    expect(findTextProblem({ a: ['x', 1, null, { b: 'tab\there' }], c: true })).toBeUndefined();
  });

  it('names the path of a bad string value, at any depth', () => {
    expect(findTextProblem('a\u0000', 'query.objectName')).toEqual({
      path: 'query.objectName',
      message: 'contains NUL (U+0000) at character 2, which cannot be stored',
    });
    expect(findTextProblem({ model: { market: { M1: { names: ['ok', 'b\ud800'] } } } })).toEqual({
      path: 'model.market.M1.names[1]',
      message: expect.stringMatching(/unpaired UTF-16 surrogate/),
    });
    expect(findTextProblem([[[{ deep: '\u0002' }]]], 'body')?.path).toBe('body[0][0][0].deep');
  });

  it('names a bad key with the key escaped in the path', () => {
    expect(findTextProblem({ model: { reservoir: { 'a\u0000b': {} } } })).toEqual({
      path: 'model.reservoir["a\\u0000b"]',
      message: 'the key contains NUL (U+0000) at character 2, which cannot be stored',
    });
    expect(findTextProblem({ '\udc00': 1 })?.path).toBe('["\\udc00"]');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any depth', (key) => {
    const body = JSON.parse(`{"a": [{"b": {"${key}": {"x": 1}}}]}`);
    expect(findTextProblem(body)).toEqual({
      path: `a[0].b.${key}`,
      message: 'is not an allowed key (__proto__, constructor and prototype are refused)',
    });
  });

  it('answers the first problem in document order', () => {
    expect(findTextProblem({ a: [{ b: '\u0000' }, '\u0001'], c: '\u0002' })?.path).toBe('a[0].b');
    expect(findTextProblem(['ok', ['\u0003'], '\u0004'])?.path).toBe('[1][0]');
  });

  it('walks nesting far deeper than the call stack allows recursion', () => {
    let deep: unknown = ['\u0000'];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findTextProblem(deep)?.message).toMatch(/NUL/);
  });
});

describe('escapeText', () => {
  it('writes what text may not hold as \\uXXXX and leaves the rest', () => {
    expect(escapeText('a\u0000b\u0001c\td\ne\ud800f 🌊')).toBe('a\\u0000b\\u0001c\td\ne\\ud800f 🌊');
    expect(textProblem(escapeText('\u0000\udfff\u001f'))).toBeUndefined();
  });
});
