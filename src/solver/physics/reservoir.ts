/**
 * Reservoir physics (modelling.md §reservoir): level ↔ volume through `vol_head`, the start
 * volume, the regulated volume range and overflow over the crest.
 *
 * Units: volumes in Mm3, levels in m above sea level, flows in m3/s.
 *
 * `vol_head` is evaluated with linear *extrapolation* beyond its end points, so every volume
 * the LP may try has a level (and every level a volume); `flow_descr` is 0 below its first
 * point and extrapolated above its last (spill keeps growing with the level).
 */
import { interpolate, interpolateAll, inverseInterpolate, slopeAt, type Table } from './piecewise.js';

/** The reservoir attributes this module reads (SHOP names). */
export interface ReservoirData {
  vol_head: Table;
  max_vol?: number;
  lrl?: number;
  hrl?: number;
  start_vol?: number;
  start_head?: number;
  flow_descr?: Table;
}

/** Level (m) at storage `volume` (Mm3). */
export function levelFromVolume(volHead: Table, volume: number): number {
  return interpolate(volHead, volume, 'extrapolate');
}

/** Levels for many volumes (e.g. a storage trajectory). */
export function levelsFromVolumes(volHead: Table, volumes: ArrayLike<number>): Float64Array {
  return interpolateAll(volHead, volumes, 'extrapolate');
}

/** Storage (Mm3) at `level` (m); `vol_head` must be strictly increasing in level. */
export function volumeFromLevel(volHead: Table, level: number): number {
  return inverseInterpolate(volHead, level, 'extrapolate');
}

/** d(level)/dV (m per Mm3) at `volume`: the slope of the `vol_head` segment there (right slope at a breakpoint). */
export function dLevelDVolume(volHead: Table, volume: number): number {
  return slopeAt(volHead, volume, 'extrapolate');
}

/**
 * Start storage (Mm3): `start_vol`, or `start_head` converted through `vol_head`. When both are
 * given, `start_vol` wins, as SHOP's `global_settings.prefer_start_vol` (default 1) says; pass
 * `preferStartVol = false` for the other choice. Throws when neither is given.
 */
export function startVolume(reservoir: ReservoirData, preferStartVol = true): number {
  const { start_vol: vol, start_head: head } = reservoir;
  if (vol !== undefined && (preferStartVol || head === undefined)) return vol;
  if (head !== undefined) return volumeFromLevel(reservoir.vol_head, head);
  throw new RangeError('reservoir has neither start_vol nor start_head');
}

/** Start level (m): `start_head`, or the level at `start_vol` (same preference as `startVolume`). */
export function startLevel(reservoir: ReservoirData, preferStartVol = true): number {
  const { start_vol: vol, start_head: head } = reservoir;
  if (head !== undefined && (!preferStartVol || vol === undefined)) return head;
  return levelFromVolume(reservoir.vol_head, startVolume(reservoir, preferStartVol));
}

/**
 * Bounds of the storage V: `[max(0, V(lrl)), min(max_vol, V(hrl))]`. A missing `lrl` / `hrl`
 * leaves the bound at 0 / `max_vol`; a missing `max_vol` is the top of `vol_head`.
 */
export function volumeBounds(reservoir: ReservoirData): { min: number; max: number } {
  const { vol_head: volHead, lrl, hrl } = reservoir;
  const maxVol = reservoir.max_vol ?? volHead.x[volHead.x.length - 1];
  const min = Math.max(0, lrl === undefined ? 0 : volumeFromLevel(volHead, lrl));
  const max = Math.min(maxVol, hrl === undefined ? maxVol : volumeFromLevel(volHead, hrl));
  return { min, max };
}

/**
 * Overflow (m3/s) over the crest at `level`, from `flow_descr` (level -> m3/s): the table's
 * first value (normally 0) below its first level, linear extrapolation above its last.
 * No table means no overflow.
 */
export function overflowAtLevel(flowDescr: Table | undefined, level: number): number {
  if (!flowDescr) return 0;
  if (level <= flowDescr.x[0]) return flowDescr.y[0];
  return Math.max(0, interpolate(flowDescr, level, 'extrapolate'));
}

/** Overflow (m3/s) at storage `volume`: `flow_descr` at the level of that volume. */
export function overflowAtVolume(reservoir: ReservoirData, volume: number): number {
  return overflowAtLevel(reservoir.flow_descr, levelFromVolume(reservoir.vol_head, volume));
}

/** Mm3 per (m3/s · hour): 3600 s / 1e6. */
export const MM3_PER_M3S_HOUR = 0.0036;

/**
 * Storage after one step: `V = V0 + 0.0036·Δt_hours·(inflow + fromUpstream − release)`, where
 * `release` is everything leaving (plant discharge, gate flow, overflow), all in m3/s.
 */
export function nextVolume(previous: number, stepHours: number, netInflow: number): number {
  return previous + MM3_PER_M3S_HOUR * stepHours * netInflow;
}

/** A line `overflow >= slope·V + intercept` (m3/s against Mm3). */
export interface SpillLine {
  slope: number;
  intercept: number;
}

/**
 * Forced overflow as lines in the storage V (modelling-2.md §3.1): `flow_descr ∘ vol_head` is
 * piecewise linear in V; its lower convex hull over [0, top] (the function itself when it is
 * convex, Tarn's choice otherwise) as the lines of its rising edges, so that
 * `overflow >= max_k (slope_k·V + intercept_k)`. None without `flow_descr`.
 */
export function forcedSpillLines(volHead: Table, flowDescr: Table | undefined, top: number): SpillLine[] {
  if (!flowDescr || flowDescr.x.length === 0) return [];
  const volumes = new Set<number>([0, top]);
  for (let i = 0; i < volHead.x.length; i++) if (volHead.x[i] > 0 && volHead.x[i] < top) volumes.add(volHead.x[i]);
  for (let i = 0; i < flowDescr.x.length; i++) {
    const volume = volumeFromLevel(volHead, flowDescr.x[i]);
    if (volume > 0 && volume < top) volumes.add(volume);
  }
  const points = [...volumes]
    .sort((a, b) => a - b)
    .map((v) => ({ v, q: overflowAtVolume({ vol_head: volHead, flow_descr: flowDescr }, v) }));
  // Lower convex hull (monotone chain).
  const hull: typeof points = [];
  for (const p of points) {
    while (hull.length >= 2) {
      const [a, b] = [hull[hull.length - 2], hull[hull.length - 1]];
      const cross = (b.v - a.v) * (p.q - a.q) - (b.q - a.q) * (p.v - a.v);
      if (cross <= 0) hull.pop();
      else break;
    }
    hull.push(p);
  }
  const lines: SpillLine[] = [];
  for (let i = 0; i + 1 < hull.length; i++) {
    const [a, b] = [hull[i], hull[i + 1]];
    const slope = (b.q - a.q) / (b.v - a.v);
    if (slope > 1e-12) lines.push({ slope, intercept: a.q - slope * a.v });
  }
  if (points[0].q > 0) lines.push({ slope: 0, intercept: Math.min(...points.map((p) => p.q)) });
  return lines;
}
