/**
 * Travel times of water (modelling-2.md §3.3, §3.4): how the water released in one time window
 * arrives, as shares of its volume, in the time steps after it. Pure.
 *
 * Time is in hours from the start of the horizon; step t is the window [a_t, b_t). A delay is a
 * kernel: water entering at time z leaves at z + τ (a constant delay, a Dirac at τ), or spread
 * evenly over [x_k, x_{k+1}) with share w_k (a wave, boxes). Water entering evenly over a source
 * window [a_s, b_s) arrives in target step t with the volume share
 *
 * - constant τ: `α_{s,t} = |[a_s+τ, b_s+τ) ∩ [a_t, b_t)| / (b_s − a_s)` (the overlap rule);
 * - wave: `α_{s,t} = Σ_k w_k·(G_k(b_t) − G_k(a_t)) / ((b_s−a_s)(x_{k+1}−x_k))`, with
 *   `G_k(z) = R(z−a_s−x_k) − R(z−b_s−x_k) − R(z−a_s−x_{k+1}) + R(z−b_s−x_{k+1})`,
 *   `R(u) = max(u, 0)²/2` (the convolution of two boxes, a trapezoid).
 *
 * What has not arrived by the end of the last step is in transit: `1 − Σ_t α_{s,t}`.
 */

/** A delay: Diracs (water arriving exactly `at` hours later) and boxes (spread over [from, to)). */
export interface DelayKernel {
  diracs: ReadonlyArray<{ at: number; weight: number }>;
  boxes: ReadonlyArray<{ from: number; to: number; weight: number }>;
}

/** A time window in hours from the start of the horizon. */
export interface Window {
  a: number;
  b: number;
}

/** Shares below this are dropped (they are rounding noise). */
const NEGLIGIBLE = 1e-12;

/** No delay: the water arrives in the step it is released in. */
export const NO_DELAY: DelayKernel = Object.freeze({ diracs: [{ at: 0, weight: 1 }], boxes: [] });

/** A constant delay of `hours`. */
export function constantDelay(hours: number): DelayKernel {
  if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError(`delay: ${hours} h is not a delay`);
  return { diracs: [{ at: hours, weight: 1 }], boxes: [] };
}

/**
 * `shape_discharge` (x: hours after release, y: relative share): share y_k arrives x_k hours
 * later (a Dirac each), normalised to sum 1.
 */
export function shapedDelay(x: ArrayLike<number>, y: ArrayLike<number>): DelayKernel {
  const total = sum(y);
  if (!(total > 0)) throw new RangeError('shape_discharge: the shares must sum to more than 0');
  const diracs = Array.from(x, (at, k) => {
    if (!(at >= 0)) throw new RangeError(`shape_discharge: ${at} h is not a delay`);
    return { at, weight: y[k] / total };
  }).filter((d) => d.weight !== 0);
  return { diracs, boxes: [] };
}

/**
 * A wave (`time_delay_curve`: x hours since entry, y share arriving in [x_k, x_{k+1}); the last
 * y closes the curve), the shares rescaled to sum 1.
 */
export function waveDelay(x: ArrayLike<number>, y: ArrayLike<number>): DelayKernel {
  const boxes: Array<{ from: number; to: number; weight: number }> = [];
  for (let k = 0; k + 1 < x.length; k++) {
    if (!(x[k + 1] > x[k]) || !(x[k] >= 0)) throw new RangeError('time_delay_curve: x must ascend from 0 or more');
    if (y[k] !== 0) boxes.push({ from: x[k], to: x[k + 1], weight: y[k] });
  }
  const total = boxes.reduce((s, box) => s + box.weight, 0);
  if (!(total > 0)) throw new RangeError('time_delay_curve: the shares must sum to more than 0');
  return { diracs: [], boxes: boxes.map((box) => ({ ...box, weight: box.weight / total })) };
}

const R = (u: number) => (u > 0 ? (u * u) / 2 : 0);

/** The share of the water entering evenly over `source` that leaves within `target`. */
export function share(kernel: DelayKernel, source: Window, target: Window): number {
  const width = source.b - source.a;
  if (!(width > 0)) return 0;
  let alpha = 0;
  for (const { at, weight } of kernel.diracs) {
    const overlap = Math.min(source.b + at, target.b) - Math.max(source.a + at, target.a);
    if (overlap > 0) alpha += (weight * overlap) / width;
  }
  for (const { from, to, weight } of kernel.boxes) {
    const G = (z: number) =>
      R(z - source.a - from) - R(z - source.b - from) - R(z - source.a - to) + R(z - source.b - to);
    alpha += (weight * (G(target.b) - G(target.a))) / (width * (to - from));
  }
  return alpha;
}

/** The windows of the horizon's steps, from their lengths in hours. */
export function stepWindows(hours: ArrayLike<number>): Window[] {
  const windows: Window[] = [];
  let a = 0;
  for (let t = 0; t < hours.length; t++) {
    windows.push({ a, b: a + hours[t] });
    a += hours[t];
  }
  return windows;
}

/** Where the water entering over `source` goes: shares per target step (in the horizon) and in transit. */
export interface Spread {
  /** [target step, volume share] with share > 0, ascending steps */
  arrivals: Array<[step: number, share: number]>;
  /** The share still travelling at the end of the horizon. */
  transit: number;
}

/** How the water entering over `source` arrives over the `steps` windows. */
export function spread(kernel: DelayKernel, source: Window, steps: readonly Window[]): Spread {
  const arrivals: Array<[number, number]> = [];
  let arrived = 0;
  const earliest = source.a + Math.min(...kernel.diracs.map((d) => d.at), ...kernel.boxes.map((b) => b.from));
  steps.forEach((target, t) => {
    if (target.b <= earliest) return;
    const alpha = share(kernel, source, target);
    if (alpha <= NEGLIGIBLE) return;
    // A share within rounding of 1 is 1, so that undelayed and whole-step delays stay exact.
    const exact = Math.abs(alpha - 1) < NEGLIGIBLE ? 1 : alpha;
    arrivals.push([t, exact]);
    arrived += exact;
  });
  const transit = 1 - arrived;
  return { arrivals, transit: transit > NEGLIGIBLE ? transit : 0 };
}

/**
 * The delay's arrivals per target step: `byTarget[t]` lists [source step, α_{s,t}], and
 * `transit[s]` the share of step s's release still travelling at the end.
 */
export interface DelayMatrix {
  byTarget: Array<Array<[source: number, share: number]>>;
  transit: number[];
}

/** The delay matrix of `kernel(s)` (one kernel per source step, or the same for all) over the steps. */
export function delayMatrix(kernel: DelayKernel | ((s: number) => DelayKernel), hours: ArrayLike<number>): DelayMatrix {
  const windows = stepWindows(hours);
  const byTarget = windows.map((): Array<[number, number]> => []);
  const transit = windows.map((source, s) => {
    const { arrivals, transit: left } = spread(typeof kernel === 'function' ? kernel(s) : kernel, source, windows);
    for (const [t, alpha] of arrivals) byTarget[t].push([s, alpha]);
    return left;
  });
  return { byTarget, transit };
}

/**
 * `past_upstream_flow` (x: negative hours, y: m3/s; constant between its points, the last value
 * until the start) pushed through the delay: the mean flow (m3/s) it brings into each step.
 */
export function pastArrivals(
  kernel: DelayKernel,
  past: { x: ArrayLike<number>; y: ArrayLike<number> } | undefined,
  hours: ArrayLike<number>,
): number[] {
  const windows = stepWindows(hours);
  const flows = windows.map(() => 0);
  if (!past || past.x.length === 0) return flows;
  for (let k = 0; k < past.x.length; k++) {
    const source = { a: past.x[k], b: Math.min(0, k + 1 < past.x.length ? past.x[k + 1] : 0) };
    if (!(source.b > source.a)) continue;
    const volume = past.y[k] * (source.b - source.a);
    windows.forEach((target, t) => {
      flows[t] += (share(kernel, source, target) * volume) / (target.b - target.a);
    });
  }
  return flows;
}

/** Interpolates several wave curves (one per reference flow) at `flow` (clamped to the ends). */
export function waveAtFlow(
  curves: ReadonlyArray<{ ref: number; x: ArrayLike<number>; y: ArrayLike<number> }>,
  flow: number | undefined,
): { x: number[]; y: number[] } {
  const sorted = [...curves].sort((p, q) => p.ref - q.ref);
  const first = { x: Array.from(curves[0].x), y: Array.from(curves[0].y) };
  if (flow === undefined || sorted.length === 1) return first;
  if (flow <= sorted[0].ref) return { x: Array.from(sorted[0].x), y: Array.from(sorted[0].y) };
  const last = sorted[sorted.length - 1];
  if (flow >= last.ref) return { x: Array.from(last.x), y: Array.from(last.y) };
  const k = sorted.findIndex((c, i) => flow >= c.ref && flow < sorted[i + 1].ref);
  const [lo, hi] = [sorted[k], sorted[k + 1]];
  const w = (flow - lo.ref) / (hi.ref - lo.ref);
  // Curves on different x grids: interpolate their densities (share per hour) on the union of points.
  const xs = [...new Set([...Array.from(lo.x), ...Array.from(hi.x)])].sort((p, q) => p - q);
  const density = (c: { x: ArrayLike<number>; y: ArrayLike<number> }, z: number) => {
    for (let i = 0; i + 1 < c.x.length; i++) if (c.x[i] <= z && z < c.x[i + 1]) return c.y[i] / (c.x[i + 1] - c.x[i]);
    return 0;
  };
  return {
    x: xs,
    y: xs.map((z, i) => (i + 1 < xs.length ? ((1 - w) * density(lo, z) + w * density(hi, z)) * (xs[i + 1] - z) : 0)),
  };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/**
 * `past_upstream_flow` pushed through the delay, before the start: the mean flow (m3/s) that
 * leaves the bottom in windows of `windowHours` up to the start, as an xy in the form of
 * `past_upstream_flow` (x: window starts in negative hours, y: m3/s, constant until the next
 * point, the last until the start) — what a river passes on to the river below it
 * (`distributed_past_upstream_flow`). Undefined when none of it leaves before the start.
 * What leaves after the start is the river's `initial_downstream_flow` (pastArrivals).
 */
export function distributedPast(
  kernel: DelayKernel,
  past: { x: ArrayLike<number>; y: ArrayLike<number> } | undefined,
  windowHours: number,
): { x: number[]; y: number[] } | undefined {
  if (!past || past.x.length === 0 || !(windowHours > 0)) return undefined;
  const offset = Math.min(...kernel.diracs.map((d) => d.at), ...kernel.boxes.map((b) => b.from));
  const earliest = Math.min(...Array.from(past.x)) + offset;
  if (!(earliest < 0)) return undefined;
  const first = Math.floor(earliest / windowHours + 1e-9) * windowHours;
  const x: number[] = [];
  const y: number[] = [];
  for (let a = first; a < -1e-9; a += windowHours) {
    const target = { a, b: Math.min(0, a + windowHours) };
    let volume = 0;
    for (let k = 0; k < past.x.length; k++) {
      const source = { a: past.x[k], b: Math.min(0, k + 1 < past.x.length ? past.x[k + 1] : 0) };
      if (!(source.b > source.a)) continue;
      volume += share(kernel, source, target) * past.y[k] * (source.b - source.a);
    }
    x.push(a);
    y.push(volume / (target.b - target.a));
  }
  return { x, y };
}
