/**
 * Text Tarn accepts: what PostgreSQL can store and what a SHOP name may be. Pure functions,
 * applied where text arrives (the SHOP document parser, the validation pipe, the query and
 * header middleware, the SHOP API functions' arguments).
 *
 * The policy (README, "Text in names and values"):
 * - Every string and every object key, at any depth, of a body (JSON, or YAML once read), a
 *   query parameter or a header is well-formed Unicode without NUL: PostgreSQL's text and
 *   jsonb cannot hold U+0000, and an unpaired UTF-16 surrogate has no UTF-8 encoding. The other
 *   C0 control characters are refused too, except tab, line feed and carriage return, which
 *   free text (a string attribute, a YAML document, a message) may hold.
 * - Names — object names, the keys of an sy map, session and account names — are plain text:
 *   no control character at all (C0, DEL, C1), as SHOP's names are words, not layout.
 * - The keys `__proto__`, `constructor` and `prototype` are refused anywhere: they would reach
 *   an object's prototype when a key is used as a property name.
 */

/** Keys that must never be used as property names of objects built from user data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface TextProblem {
  path: string;
  message: string;
}

/** An unpaired surrogate: a high one not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
// No `u` flag: the expressions see UTF-16 code units, so that they can find a lone surrogate.
const BAD_IN_TEXT = new RegExp(`[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]|${LONE_SURROGATE}`);
const BAD_IN_NAME = new RegExp(`[\\x00-\\x1f\\x7f-\\x9f]|${LONE_SURROGATE}`);

const codePoint = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

function describeBad(text: string, pattern: RegExp, what: string): string | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const unit = match[0].charCodeAt(0);
  const at = `at character ${match.index + 1}`;
  if (unit === 0) return `contains NUL (U+0000) ${at}, which cannot be stored`;
  if (unit >= 0xd800 && unit <= 0xdfff) {
    return `contains an unpaired UTF-16 surrogate (${codePoint(unit)}) ${at}: not valid Unicode`;
  }
  return `contains the control character ${codePoint(unit)} ${at}; ${what}`;
}

/** Why a string is not acceptable text, or undefined when it is. */
export const textProblem = (text: string): string | undefined =>
  describeBad(text, BAD_IN_TEXT, 'text may hold tab, line feed and carriage return, no other control character');

/** Why a string is not an acceptable name (plain text: no control character at all), or undefined. */
export const nameProblem = (name: string): string | undefined =>
  describeBad(name, BAD_IN_NAME, 'names are plain text without control characters');

/** The JSON path of a child: `.key` for an identifier, `["key"]` otherwise (escaped, so printable). */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** An object or array being walked: its keys (undefined for an array) and the next position. */
interface Frame {
  node: object;
  path: string;
  keys?: string[];
  next: number;
}

const frame = (node: object, path: string): Frame => ({
  node,
  path,
  keys: Array.isArray(node) ? undefined : Object.keys(node),
  next: 0,
});

/**
 * The first string or object key, in document order, of a parsed JSON value (a body, a query,
 * the headers) that is not acceptable text, or a forbidden key; named by its path under `root`.
 * Iterative, so that no nesting depth overflows the stack.
 */
export function findTextProblem(value: unknown, root = ''): TextProblem | undefined {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message === undefined ? undefined : { path: root, message };
  }
  const stack: Frame[] = isContainer(value) ? [frame(value, root)] : [];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const size = top.keys ? top.keys.length : (top.node as unknown[]).length;
    if (top.next >= size) {
      stack.pop();
      continue;
    }
    const key = top.keys ? top.keys[top.next] : top.next;
    top.next++;
    if (typeof key === 'string') {
      if (FORBIDDEN_KEYS.has(key)) {
        return {
          path: childPath(top.path, key),
          message: 'is not an allowed key (__proto__, constructor and prototype are refused)',
        };
      }
      const keyMessage = textProblem(key);
      if (keyMessage !== undefined) return { path: childPath(top.path, key), message: `the key ${keyMessage}` };
    }
    const item: unknown = (top.node as Record<string | number, unknown>)[key];
    if (typeof item === 'string') {
      const message = textProblem(item);
      if (message !== undefined) return { path: childPath(top.path, key), message };
    } else if (isContainer(item)) {
      stack.push(frame(item, childPath(top.path, key)));
    }
  }
  return undefined;
}

/**
 * Text for a log line: NUL, unpaired surrogates and the control characters text may not hold
 * written as `\uXXXX`, so that a message quoting what a client sent can always be stored.
 */
export function escapeText(text: string): string {
  const pattern = new RegExp(BAD_IN_TEXT.source, 'g');
  return text.replace(pattern, (bad) => `\\u${bad.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
