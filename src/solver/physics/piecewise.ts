/**
 * Piecewise-linear tables (SHOP `xy`): evaluation, inverse and slope.
 *
 * A table is `{ x, y }` with `x` strictly ascending (the `ref` of an `Xy` is ignored here).
 * Outside the x range a caller chooses what happens, because the right answer differs per use:
 *
 * - `'clamp'`: hold the end value (efficiency curves — a turbine or generator outside its
 *   measured range is assumed no better and no worse than at the edge);
 * - `'extrapolate'`: continue the first / last segment linearly (`vol_head` — a reservoir
 *   slightly outside its table still has a level, and the LP may probe there).
 *
 * Pure functions; nothing here allocates per evaluation except the vectorised helpers.
 */

/** A piecewise-linear table; `x` strictly ascending, `x.length === y.length >= 1`. */
export interface Table {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** What to do outside the table's x range. */
export type OutOfRange = 'clamp' | 'extrapolate';

/**
 * Index `i` of the segment `[x[i], x[i+1]]` used for `value`: the last `i` with
 * `x[i] <= value`, limited to `0 .. n-2` (so values left of the table use the first
 * segment and values right of it the last). At an interior breakpoint the segment to
 * the *right* is chosen. Returns 0 for a one-point table.
 */
export function segmentIndex(xs: ArrayLike<number>, value: number): number {
  const n = xs.length;
  if (n < 2 || value <= xs[0]) return 0;
  if (value >= xs[n - 2]) return Math.max(0, n - 2);
  let lo = 0;
  let hi = n - 2; // invariant: xs[lo] <= value < xs[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= value) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** True when `values` is strictly increasing (a valid x column, or an invertible y column). */
export function isStrictlyIncreasing(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i] > values[i - 1])) return false;
  return true;
}

/** Throws unless the table is usable: non-empty, equal lengths, finite numbers, x strictly ascending. */
export function assertTable(table: Table, what = 'table'): void {
  const { x, y } = table;
  if (x.length === 0 || x.length !== y.length) {
    throw new RangeError(`${what}: x and y must be non-empty and of equal length (got ${x.length} and ${y.length})`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new RangeError(`${what}: point ${i} is not finite`);
  }
  if (!isStrictlyIncreasing(x)) throw new RangeError(`${what}: x must be strictly ascending`);
}

/**
 * y at `value` by linear interpolation between the neighbouring points.
 * Outside the range: the end value (`'clamp'`) or the end segment continued (`'extrapolate'`).
 * A one-point table is constant.
 */
export function interpolate(table: Table, value: number, outside: OutOfRange): number {
  const { x, y } = table;
  const n = x.length;
  if (n === 1) return y[0];
  if (outside === 'clamp') {
    if (value <= x[0]) return y[0];
    if (value >= x[n - 1]) return y[n - 1];
  }
  const i = segmentIndex(x, value);
  const t = (value - x[i]) / (x[i + 1] - x[i]);
  return y[i] + t * (y[i + 1] - y[i]);
}

/** `interpolate` over many values. */
export function interpolateAll(table: Table, values: ArrayLike<number>, outside: OutOfRange): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = interpolate(table, values[i], outside);
  return out;
}

/**
 * The inverse of a strictly increasing table: the x at which the table reaches `target`
 * (e.g. volume from level through `vol_head`). Outside the y range: the end x (`'clamp'`)
 * or the end segment continued (`'extrapolate'`). Throws when y is not strictly increasing
 * (the inverse would not be unique).
 */
export function inverseInterpolate(table: Table, target: number, outside: OutOfRange): number {
  if (!isStrictlyIncreasing(table.y)) throw new RangeError('inverseInterpolate: y must be strictly increasing');
  return interpolate({ x: table.y, y: table.x }, target, outside);
}

/**
 * dy/dx at `value`: the slope of the segment that `interpolate` uses there. At an interior
 * breakpoint that is the segment to the right (a right derivative); outside the range it is
 * 0 for `'clamp'` and the end segment's slope for `'extrapolate'`. A one-point table has slope 0.
 */
export function slopeAt(table: Table, value: number, outside: OutOfRange): number {
  const { x, y } = table;
  const n = x.length;
  if (n === 1) return 0;
  if (outside === 'clamp' && (value < x[0] || value >= x[n - 1])) return 0;
  const i = segmentIndex(x, value);
  return (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
}
