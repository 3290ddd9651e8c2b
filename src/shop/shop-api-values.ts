/**
 * SHOP API argument forms (pyshop-compat.md §2, §4) ↔ SHOP JSON values: compact time strings,
 * series as offsets from a start, curve arrays as flattened points. Pure; the results are SHOP
 * JSON, validated afterwards by the same parser as `PUT /model`. A form that cannot be read
 * throws ShopApiValueError, which the caller reports as SHOP does (a failure value and an ERROR).
 */
import type { TimeNode, Txy, Xy, Xyt } from './shop-json.js';
import { parseTimestamp } from './shop-values.js';
import { UNIT_MS } from './time-steps.js';

export class ShopApiValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShopApiValueError';
  }
}

/** SHOP's "no value": pyshop reads values at or above it as NaN. */
export const NO_VALUE = 1e40;

const SHOP_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/;

/** `YYYYMMDD[HH[MM[SS]]]` → Tarn's `YYYY-MM-DDTHH:MM:SSZ` (the same wall clock), or undefined. */
export function parseShopTime(text: string): string | undefined {
  const match = SHOP_TIME.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour = '00', minute = '00', second = '00'] = match.slice(1);
  return parseTimestamp(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
}

/** Tarn's timestamp → SHOP's 14-digit time string. */
export function formatShopTime(timestamp: string): string {
  return timestamp.slice(0, 19).replace(/[-T:]/g, '');
}

function shopTime(text: string, what: string): string {
  const timestamp = parseShopTime(text);
  if (!timestamp) throw new ShopApiValueError(`${what} must be a time YYYYMMDD[HH[MM[SS]]], got "${text}"`);
  return timestamp;
}

export type TimeUnit = TimeNode['time_unit'];

function unitOf(text: string): TimeUnit {
  const unit = text.trim().toLowerCase();
  if (!(unit in UNIT_MS)) throw new ShopApiValueError(`the time unit must be hour, minute or second, got "${text}"`);
  return unit as TimeUnit;
}

const toMs = (timestamp: string) => Date.parse(timestamp);
const toTimestamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** `start + offset` time units, as a timestamp. */
export function offsetTime(start: string, offset: number, unit: TimeUnit): string {
  return toTimestamp(toMs(start) + offset * UNIT_MS[unit]);
}

/** Whole time units from `start` to `timestamp`; a time between two units counts at the earlier one. */
export function timeOffset(start: string, timestamp: string, unit: TimeUnit): number {
  return Math.floor((toMs(timestamp) - toMs(start)) / UNIT_MS[unit]);
}

function integral(values: readonly number[], what: string): number[] {
  values.forEach((value, i) => {
    if (!Number.isSafeInteger(value)) throw new ShopApiValueError(`${what}[${i}] must be a whole number, got ${value}`);
  });
  return [...values];
}

/** A 1-D list, or the first column of pyshop's 2-D column (`[[1], [1]]`). */
function firstColumn(values: ReadonlyArray<number | readonly number[]>, what: string): number[] {
  return values.map((value, i) => {
    if (typeof value === 'number') return value;
    if (value.length === 0) throw new ShopApiValueError(`${what}[${i}] is an empty row`);
    return value[0];
  });
}

// --- time ---------------------------------------------------------------------------------

/**
 * SetTimeResolution(start, end, unit[, t, y]): the time node. `t[i]` is the offset (in the unit)
 * where step length `y[i]` begins; without them, one step length of one unit.
 */
export function timeNodeFromShopApi(
  start: string,
  end: string,
  unit: string,
  t?: readonly number[],
  y?: ReadonlyArray<number | readonly number[]>,
): TimeNode {
  const node: TimeNode = {
    start_time: shopTime(start, 'start'),
    end_time: shopTime(end, 'end'),
    time_unit: unitOf(unit),
  };
  if (node.end_time <= node.start_time) throw new ShopApiValueError(`end ${end} must be after start ${start}`);
  if (t === undefined && y === undefined) return node;
  const offsets = integral(t ?? [], 't');
  const lengths = firstColumn(y ?? [], 'y');
  if (offsets.length !== lengths.length || offsets.length === 0) {
    throw new ShopApiValueError(
      `t and y must be non-empty and of equal length (${offsets.length} and ${lengths.length})`,
    );
  }
  if (offsets[0] !== 0) throw new ShopApiValueError(`t must begin at offset 0, got ${offsets[0]}`);
  if (lengths.length === 1 && lengths[0] === 1) return node;
  node.time_resolution = {
    timestamps: offsets.map((offset) => offsetTime(node.start_time, offset, node.time_unit)),
    values: [lengths],
  };
  return node;
}

/** GetTimeResolutionT/Y: the breakpoints of the step length, as offsets, and the lengths from there. */
export function resolutionBreakpoints(time: TimeNode): { t: number[]; y: number[] } {
  const resolution = time.time_resolution;
  if (!resolution) return { t: [0], y: [1] };
  const timestamps = resolution.timestamps ?? [time.start_time];
  return {
    t: timestamps.map((timestamp) => timeOffset(time.start_time, timestamp, time.time_unit)),
    y: [...resolution.values[0]],
  };
}

// --- txy -----------------------------------------------------------------------------------

/**
 * SetTxySeries(start, t, y): points at `start + t[i]` units, `y[i]` a number (one scenario) or a
 * row of scenario values (time-major, as pyshop sends a DataFrame). Empty: undefined (unset).
 */
export function txyFromShopApi(
  start: string,
  t: readonly number[],
  y: ReadonlyArray<number | readonly number[]>,
  unit: TimeUnit,
): Txy | undefined {
  const first = shopTime(start, 'start');
  const offsets = integral(t, 't');
  if (offsets.length !== y.length) {
    throw new ShopApiValueError(`t and y must have equal lengths (${offsets.length} and ${y.length})`);
  }
  if (offsets.length === 0) return undefined;
  const rows = y.map((row) => (typeof row === 'number' ? [row] : [...row]));
  const scenarios = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== scenarios || scenarios === 0) {
      throw new ShopApiValueError(`y[${i}] has ${row.length} values, y[0] has ${scenarios}: one per scenario`);
    }
  });
  return {
    timestamps: offsets.map((offset) => offsetTime(first, offset, unit)),
    values: Array.from({ length: scenarios }, (_, s) => rows.map((row) => row[s])),
  };
}

/**
 * GetTxySeriesStartTime/T/Y of a stored series: its first point, the offsets of its points in
 * whole units, and one value per point (a flat list for one scenario, time-major rows for several).
 * A constant stored without timestamps holds from `horizonStart`.
 */
export function txyToShopApi(
  series: Txy,
  horizonStart: string,
  unit: TimeUnit,
): { start: string; t: number[]; y: number[] | number[][] } {
  const timestamps = series.timestamps ?? [horizonStart];
  const start = timestamps[0];
  const t = timestamps.map((timestamp) => timeOffset(start, timestamp, unit));
  const y =
    series.values.length === 1
      ? [...series.values[0]]
      : timestamps.map((_, i) => series.values.map((scenario) => scenario[i]));
  return { start: formatShopTime(start), t, y };
}

// --- xy_array and xyt ------------------------------------------------------------------------------

function counts(n: readonly number[], x: readonly number[], y: readonly number[], what: string): number[] {
  const sizes = integral(n, 'n');
  if (sizes.some((size) => size < 0)) throw new ShopApiValueError('n must not be negative');
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (x.length !== total || y.length !== total) {
    throw new ShopApiValueError(
      `the ${what} have ${total} points in all (sum of n), x has ${x.length} and y ${y.length}`,
    );
  }
  return sizes;
}

/** SetXyCurveArray(refs, n, x, y): curve i has reference refs[i] and the next n[i] points. */
export function xyArrayFromShopApi(
  refs: readonly number[],
  n: readonly number[],
  x: readonly number[],
  y: readonly number[],
): Xy[] {
  if (refs.length !== n.length) {
    throw new ShopApiValueError(`refs and n must have equal lengths (${refs.length} and ${n.length})`);
  }
  const sizes = counts(n, x, y, 'curves');
  let first = 0;
  return sizes.map((size, i) => {
    const curve = { ref: refs[i], x: x.slice(first, first + size), y: y.slice(first, first + size) };
    first += size;
    return curve;
  });
}

/** The four getters of an xy_array: references, point counts, and the concatenated x and y. */
export function xyArrayToShopApi(curves: readonly Xy[]): { refs: number[]; n: number[]; x: number[]; y: number[] } {
  return {
    refs: curves.map((curve) => curve.ref),
    n: curves.map((curve) => curve.x.length),
    x: curves.flatMap((curve) => curve.x),
    y: curves.flatMap((curve) => curve.y),
  };
}

/** SetXyTCurve(times, n, x, y): table i is valid from times[i] and has the next n[i] points. */
export function xytFromShopApi(
  times: readonly string[],
  n: readonly number[],
  x: readonly number[],
  y: readonly number[],
): Xyt[] {
  if (times.length !== n.length) {
    throw new ShopApiValueError(`times and n must have equal lengths (${times.length} and ${n.length})`);
  }
  const sizes = counts(n, x, y, 'tables');
  let first = 0;
  return sizes.map((size, i) => {
    const table = {
      time: shopTime(times[i], `times[${i}]`),
      ref: 0,
      x: x.slice(first, first + size),
      y: y.slice(first, first + size),
    };
    first += size;
    return table;
  });
}

/** The tables whose time lies in [from, to] (both SHOP time strings; all tables without them). */
export function xytInRange(tables: readonly Xyt[], from?: string, to?: string): Xyt[] {
  const lower = from === undefined ? undefined : shopTime(from, 'start');
  const upper = to === undefined ? undefined : shopTime(to, 'end');
  return tables.filter((table) => (!lower || table.time >= lower) && (!upper || table.time <= upper));
}
