import { describe, expect, it } from '@jest/globals';
import { parseLenientJson } from './lenient-json.js';

describe('parseLenientJson', () => {
  it('reads standard JSON as JSON.parse does', () => {
    expect(parseLenientJson('{"args": [1.5, "a", [true, null]]}')).toEqual({ args: [1.5, 'a', [true, null]] });
  });

  it("reads Python's NaN as SHOP's no value (1e40) and the infinities as infinities", () => {
    expect(parseLenientJson('[NaN, Infinity, -Infinity, [NaN]]')).toEqual([1e40, Infinity, -Infinity, [1e40]]);
  });

  it('leaves the tokens inside strings alone', () => {
    expect(parseLenientJson('["NaN", "say \\"Infinity\\"", NaN]')).toEqual(['NaN', 'say "Infinity"', 1e40]);
  });

  it.each(['[1NaN]', '[NaNa]', '{"a": Infinity1}', '[Infinit]', '{"args": ['])('refuses %s', (text) => {
    expect(() => parseLenientJson(text)).toThrow(SyntaxError);
  });
});
