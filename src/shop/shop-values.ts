/**
 * SHOP JSON attribute values: parsing every accepted input form into one canonical form
 * (shop-json.md §4 and §10), and writing it back out. Pure functions; problems are
 * collected with the JSON path of the offending value.
 */
import type { ShopDatatype } from './catalog.js';
import type { AttributeValue, Txy, Xy, Xyt } from './shop-json.js';
import { childPath, FORBIDDEN_KEYS, nameProblem } from './text.js';

export { FORBIDDEN_KEYS } from './text.js';

export interface Problem {
  path: string;
  message: string;
}

/** Collects problems; stops collecting (not validating) after `limit`. */
export class Problems {
  readonly list: Problem[] = [];
  constructor(private readonly limit = 100) {}

  add(path: string, message: string): void {
    if (this.list.length < this.limit) this.list.push({ path, message });
  }

  get count(): number {
    return this.list.length;
  }
}

/** A JSON object (not an array, not null). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;

// --- timestamps ----------------------------------------------------------------

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d+)?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 (or SHOP YAML `YYYY-MM-DD HH:MM:SS`) timestamp into the canonical
 * `YYYY-MM-DDTHH:MM:SSZ`. SHOP ignores the zone: the wall-clock time is kept as given.
 * Returns undefined for text that is not a real date (e.g. day 00).
 */
export function parseTimestamp(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour = '00', minute = '00', second = '00'] = match.slice(1, 7);
  const parts = [year, month, day, hour, minute, second].map(Number);
  const date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]));
  const valid =
    date.getUTCFullYear() === parts[0] &&
    date.getUTCMonth() === parts[1] - 1 &&
    date.getUTCDate() === parts[2] &&
    parts[3] < 24 &&
    parts[4] < 60 &&
    parts[5] < 60;
  return valid ? `${year}-${month}-${day}T${hour}:${minute}:${second}Z` : undefined;
}

// --- numbers and arrays -----------------------------------------------------------

function number(value: unknown, path: string, problems: Problems): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.add(path, `must be a finite number, got ${typeof value === 'number' ? value : describe(value)}`);
    return undefined;
  }
  return value;
}

function integer(value: unknown, path: string, problems: Problems): number | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    problems.add(path, `must be an integer, got ${typeof value === 'number' ? value : describe(value)}`);
    return undefined;
  }
  return value;
}

function arrayOf<T>(
  value: unknown,
  path: string,
  problems: Problems,
  item: (v: unknown, p: string, problems: Problems) => T | undefined,
): T[] | undefined {
  if (!Array.isArray(value)) {
    problems.add(path, `must be an array, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.count;
  const out = value.map((v, i) => item(v, `${path}[${i}]`, problems));
  return problems.count === before ? (out as T[]) : undefined;
}

function string(value: unknown, path: string, problems: Problems): string | undefined {
  if (typeof value !== 'string') {
    problems.add(path, `must be a string, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/**
 * Structured values are strict: a key the SHOP JSON spec does not define for the value is a
 * problem, not silently dropped (a misspelt `timestamp` would otherwise lose the series).
 */
function onlyKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  problems: Problems,
  what: string,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.add(childPath(path, key), `is not a field of ${what}`);
  }
}

// --- xy, xy_array, xyt ----------------------------------------------------------------

/** The keys of an xy table in its three forms; restshop's units are read and ignored (the catalog has them). */
const XY_KEYS = ['ref', 'x', 'y', 'x_values', 'y_values', 'x_unit', 'y_unit', 'xy'];
const XY_FORMS = 'an xy table ({ref, x, y}, {x_values, y_values} or {ref, xy})';

/** Only the keys of one form of an xy table, units as text. */
function checkXyForm(value: Record<string, unknown>, path: string, problems: Problems, extraKeys: readonly string[]) {
  onlyKeys(value, [...extraKeys, ...XY_KEYS], path, problems, XY_FORMS);
  for (const unit of ['x_unit', 'y_unit']) {
    if (value[unit] !== undefined) string(value[unit], `${path}.${unit}`, problems);
  }
  const given = (key: string) => value[key] !== undefined;
  if (
    (given('xy') && ['x', 'y', 'x_values', 'y_values'].some(given)) ||
    (given('x') && given('x_values')) ||
    (given('y') && given('y_values'))
  ) {
    problems.add(path, 'gives the points twice: give x and y, x_values and y_values, or xy');
  }
}

/**
 * Accepts `{ref, x, y}` (YAML), `{x_values, y_values, x_unit?, y_unit?}` (restshop) and
 * `{ref, xy: [[x, y]]}` (pyshop); `extraKeys` are the container's (an xyt table's `time`).
 */
function xy(
  value: unknown,
  path: string,
  problems: Problems,
  defaultRef = 0,
  extraKeys: readonly string[] = [],
): Xy | undefined {
  if (!isPlainObject(value)) {
    problems.add(path, `must be an xy table {ref, x, y}, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.count;
  checkXyForm(value, path, problems, extraKeys);
  if (problems.count !== before) return undefined;
  const refValue = value.ref === undefined ? defaultRef : number(value.ref, `${path}.ref`, problems);
  let x: number[] | undefined;
  let y: number[] | undefined;
  if (value.xy !== undefined) {
    const pairs = arrayOf(value.xy, `${path}.xy`, problems, (pair, p, probs) =>
      Array.isArray(pair) && pair.length === 2
        ? arrayOf(pair, p, probs, number)
        : (probs.add(p, 'must be an [x, y] pair'), undefined),
    );
    x = pairs?.map((pair) => pair![0]);
    y = pairs?.map((pair) => pair![1]);
  } else {
    const xKey = value.x !== undefined ? 'x' : 'x_values';
    const yKey = value.y !== undefined ? 'y' : 'y_values';
    x = arrayOf(value[xKey], `${path}.${xKey}`, problems, number);
    y = arrayOf(value[yKey], `${path}.${yKey}`, problems, number);
    if (x && y && x.length !== y.length) {
      problems.add(path, `x and y must have equal lengths (${x.length} and ${y.length})`);
    }
  }
  return problems.count === before ? { ref: refValue!, x: x!, y: y! } : undefined;
}

/** A list of xy tables, or restshop's object keyed by the reference value. */
function xyArray(value: unknown, path: string, problems: Problems): Xy[] | undefined {
  if (isPlainObject(value)) {
    const before = problems.count;
    const tables = Object.entries(value).map(([key, table]) => {
      const ref = key.trim() === '' ? NaN : Number(key);
      if (!Number.isFinite(ref)) problems.add(childPath(path, key), 'the key must be the reference number');
      return xy(table, childPath(path, key), problems, ref);
    });
    return problems.count === before ? (tables as Xy[]) : undefined;
  }
  return arrayOf(value, path, problems, (v, p, probs) => xy(v, p, probs));
}

/** `[{time, ref?, x, y}]` or pyshop's `[{time, xy}]`, or an object keyed by timestamp. */
function xyt(value: unknown, path: string, problems: Problems): Xyt[] | undefined {
  // Keyed by timestamp, a table has no `time` of its own; in a list, each has one.
  const entries: Array<[string, unknown, unknown, string[]]> = isPlainObject(value)
    ? Object.entries(value).map(([time, table]) => [childPath(path, time), time, table, []])
    : Array.isArray(value)
      ? value.map((table, i) => [`${path}[${i}]`, isPlainObject(table) ? table.time : undefined, table, ['time']])
      : [];
  if (!isPlainObject(value) && !Array.isArray(value)) {
    problems.add(path, `must be a list of timed xy tables, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.count;
  const out = entries.map(([p, time, table, extraKeys]) => {
    const timestamp = parseTimestamp(time);
    if (!timestamp) problems.add(`${p}.time`, `must be a timestamp, got ${JSON.stringify(time)}`);
    const curve = xy(table, p, problems, 0, extraKeys);
    return curve && timestamp ? { time: timestamp, ...curve } : undefined;
  });
  if (problems.count !== before) return undefined;
  const tables = out as Xyt[];
  tables.forEach((table, i) => {
    if (i > 0 && table.time <= tables[i - 1].time) problems.add(`${path}[${i}].time`, 'times must be ascending');
  });
  return problems.count === before ? tables : undefined;
}

// --- txy ----------------------------------------------------------------------------------

/** The keys of a series; restshop writes its catalog `unit` too, which is read and ignored. */
const TXY_KEYS = ['name', 'timestamps', 'values', 'unit'];

/**
 * A time series: `{name?, timestamps, values: [[...], ...]}` (values[scenario][time]), a bare
 * number (a constant), or `{values: [[v]]}` without timestamps. Timestamps must be real
 * dates in strictly ascending order, and every scenario as long as the timestamps.
 */
export function txy(value: unknown, path: string, problems: Problems): Txy | undefined {
  if (typeof value === 'number') {
    const v = number(value, path, problems);
    return v === undefined ? undefined : { values: [[v]] };
  }
  if (!isPlainObject(value)) {
    problems.add(path, `must be a time series {timestamps, values} or a number, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.count;
  onlyKeys(value, TXY_KEYS, path, problems, `a time series (${TXY_KEYS.join(', ')})`);
  const [name] = ['name', 'unit'].map((key) =>
    value[key] === undefined || value[key] === null ? undefined : string(value[key], `${path}.${key}`, problems),
  );
  const values = arrayOf(value.values, `${path}.values`, problems, (scenario, p, probs) =>
    arrayOf(scenario, p, probs, number),
  ) as number[][] | undefined;
  if (value.timestamps === undefined) {
    if (values && (values.length === 0 || values.some((s) => s.length !== 1))) {
      problems.add(`${path}.values`, 'without timestamps, a series is one value per scenario: [[v], ...]');
    }
    return problems.count === before ? { ...(name !== undefined && { name }), values: values! } : undefined;
  }
  const timestamps = arrayOf(value.timestamps, `${path}.timestamps`, problems, (t, p, probs) => {
    const parsed = parseTimestamp(t);
    if (!parsed) probs.add(p, `must be a timestamp (ISO 8601), got ${JSON.stringify(t)}`);
    return parsed;
  });
  if (timestamps) {
    for (let i = 1; i < timestamps.length; i++) {
      if (timestamps[i] <= timestamps[i - 1]) {
        problems.add(`${path}.timestamps[${i}]`, `must be after ${timestamps[i - 1]} (ascending)`);
        break;
      }
    }
    if (timestamps.length === 0) problems.add(`${path}.timestamps`, 'must not be empty');
  }
  if (values) {
    if (values.length === 0) problems.add(`${path}.values`, 'must hold at least one scenario');
    values.forEach((scenario, s) => {
      if (timestamps && scenario.length !== timestamps.length) {
        problems.add(`${path}.values[${s}]`, `has ${scenario.length} values for ${timestamps.length} timestamps`);
      }
    });
  }
  return problems.count === before
    ? { ...(name !== undefined && { name }), timestamps: timestamps!, values: values! }
    : undefined;
}

// --- sy ---------------------------------------------------------------------------------------

/**
 * A map name → number, or pyshop's `[[name, number], ...]`. The names are object names (the
 * ac_lines of busbar.ptdf): plain text, not empty.
 */
function sy(value: unknown, path: string, problems: Problems): Record<string, number> | undefined {
  if (!Array.isArray(value) && !isPlainObject(value)) {
    problems.add(path, `must be a map of names to numbers, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.count;
  // [name, value, the name's path, the value's path]
  const entries: Array<[string, unknown, string, string]> = [];
  if (Array.isArray(value)) {
    value.forEach((pair, i) => {
      if (Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string') {
        entries.push([pair[0], pair[1], `${path}[${i}][0]`, `${path}[${i}][1]`]);
      } else problems.add(`${path}[${i}]`, 'must be a [name, number] pair');
    });
  } else {
    for (const [key, v] of Object.entries(value)) entries.push([key, v, childPath(path, key), childPath(path, key)]);
  }
  const out: Record<string, number> = Object.create(null);
  for (const [key, v, keyPath, valuePath] of entries) {
    if (FORBIDDEN_KEYS.has(key)) problems.add(keyPath, 'is not an allowed key');
    else if (key === '') problems.add(keyPath, 'the name must not be empty');
    else {
      const problem = nameProblem(key);
      if (problem) problems.add(keyPath, `the name ${problem}`);
    }
    const n = number(v, valuePath, problems);
    if (n !== undefined) out[key] = n;
  }
  return problems.count === before ? { ...out } : undefined;
}

// --- unknown datatype ----------------------------------------------------------------------------

const MAX_DEPTH = 12;

/** For catalog attributes without a known datatype: any JSON, finite numbers, bounded depth, safe keys. */
function anyJson(value: unknown, path: string, problems: Problems, depth = 0): unknown {
  if (depth > MAX_DEPTH) {
    problems.add(path, `is nested deeper than ${MAX_DEPTH} levels`);
    return undefined;
  }
  if (typeof value === 'number') return number(value, path, problems);
  if (Array.isArray(value)) return value.map((v, i) => anyJson(v, `${path}[${i}]`, problems, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) problems.add(childPath(path, key), 'is not an allowed key');
      else out[key] = anyJson(v, childPath(path, key), problems, depth + 1);
    }
    return out;
  }
  return value;
}

/** Parses a value of the given catalog datatype into its canonical form, or records why not. */
export function parseAttributeValue(
  datatype: ShopDatatype | null,
  value: unknown,
  path: string,
  problems: Problems,
): AttributeValue | undefined {
  switch (datatype) {
    case 'int':
      return integer(value, path, problems);
    case 'double':
      return number(value, path, problems);
    case 'string':
      return string(value, path, problems);
    case 'int_array':
      return arrayOf(value, path, problems, integer);
    case 'double_array':
      return arrayOf(value, path, problems, number);
    case 'string_array':
      return arrayOf(value, path, problems, string);
    case 'xy':
      return xy(value, path, problems);
    case 'xy_array':
      return xyArray(value, path, problems);
    case 'txy':
      return txy(value, path, problems);
    case 'xyt':
      return xyt(value, path, problems);
    case 'sy':
      return sy(value, path, problems);
    default:
      return anyJson(value, path, problems);
  }
}

// --- output ---------------------------------------------------------------------------------------

/**
 * Drops every point whose values equal the previous point's in all scenarios (shop-json.md
 * §8); the first point is always kept, a consumer forward-fills.
 */
export function compressTxy(series: Txy): Txy {
  if (!series.timestamps || series.timestamps.length < 2) return series;
  const keep: number[] = [0];
  for (let t = 1; t < series.timestamps.length; t++) {
    if (series.values.some((scenario) => scenario[t] !== scenario[t - 1])) keep.push(t);
  }
  if (keep.length === series.timestamps.length) return series;
  return {
    ...(series.name !== undefined && { name: series.name }),
    timestamps: keep.map((t) => series.timestamps![t]),
    values: series.values.map((scenario) => keep.map((t) => scenario[t])),
  };
}

/** The value as Tarn writes it: a constant series becomes a one-point series at start_time. */
export function formatAttributeValue(
  datatype: ShopDatatype | null,
  value: AttributeValue,
  options: { startTime?: string; compressTxy?: boolean },
): AttributeValue {
  if (datatype !== 'txy') return value;
  let series = value as Txy;
  if (!series.timestamps && options.startTime) series = { ...series, timestamps: [options.startTime] };
  return options.compressTxy ? compressTxy(series) : series;
}
