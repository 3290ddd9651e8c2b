import { NO_VALUE } from '../shop/shop-api-values.js';

/** A JSON string, or one of the number tokens Python's json module writes and JSON lacks. */
const STRING_OR_TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])(?:-?Infinity|NaN)(?![\w.])/g;

/**
 * JSON as Python's `json.dumps` writes it (pyshop-compat.md §2): also the tokens `NaN`,
 * `Infinity` and `-Infinity`. NaN is SHOP's "no value" and becomes 1e40; an infinity stays
 * infinite (a value the model then refuses). Standard JSON goes straight to JSON.parse; tokens
 * inside strings are left alone. Throws SyntaxError as JSON.parse does.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  const replaced = text.replace(STRING_OR_TOKEN, (match) => {
    if (match.startsWith('"')) return match;
    if (match === 'NaN') return String(NO_VALUE);
    return match.startsWith('-') ? '-1e999' : '1e999';
  });
  return JSON.parse(replaced);
}
