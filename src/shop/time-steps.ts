import type { TimeNode, Txy } from './shop-json.js';

/** Milliseconds per time unit. */
export const UNIT_MS = { hour: 3_600_000, minute: 60_000, second: 1000 } as const;

const toMs = (timestamp: string) => Date.parse(timestamp);
const toTimestamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The value in force at `at` of breakpoints (ascending), forward-filled, back-filled before the first. */
function valueAt(timestamps: number[], values: number[], at: number): number {
  let index = 0;
  while (index + 1 < timestamps.length && timestamps[index + 1] <= at) index++;
  return values[index];
}

/**
 * The start of every time step of the horizon [start_time, end_time), with the step lengths of
 * time_resolution (breakpoints in time_unit, forward-filled; one time_unit when absent).
 */
export function stepStarts(time: TimeNode): string[] {
  return [...horizon(time).starts];
}

interface Horizon {
  starts: readonly string[];
  /** The starts in ms since the epoch, as `Date.parse` reads them back. */
  ms: readonly number[];
}

/**
 * The step starts of the last few horizons: every series of a model is read over the same one,
 * and working it out again for each was most of the time of reading a model's series.
 */
const horizons = new Map<string, Horizon>();
const KEPT_HORIZONS = 8;

function horizon(time: TimeNode): Horizon {
  const key = JSON.stringify([time.start_time, time.end_time, time.time_unit, time.time_resolution]);
  let found = horizons.get(key);
  if (!found) {
    const starts = computeStepStarts(time);
    found = { starts, ms: starts.map(toMs) };
    if (horizons.size >= KEPT_HORIZONS) horizons.delete(horizons.keys().next().value!);
    horizons.set(key, found);
  }
  return found;
}

function computeStepStarts(time: TimeNode): string[] {
  const unit = UNIT_MS[time.time_unit];
  const end = toMs(time.end_time);
  const resolution = time.time_resolution;
  const breakpoints = resolution?.timestamps?.map(toMs) ?? [toMs(time.start_time)];
  const lengths = resolution?.values[0] ?? [1];
  const starts: string[] = [];
  for (let t = toMs(time.start_time); t < end;) {
    starts.push(toTimestamp(t));
    t += valueAt(breakpoints, lengths, t) * unit;
  }
  return starts;
}

/**
 * A series read over the horizon step by step (what the solver uses): at each step start the
 * latest value at or before it; before the first timestamp the first value; a constant
 * series everywhere. History before start_time is skipped; points after end_time are ignored.
 */
export function expandSeries(series: Txy, time: TimeNode, scenario = 0): number[] {
  const values = series.values[Math.min(scenario, series.values.length - 1)];
  const starts = horizon(time).ms;
  if (!series.timestamps) return starts.map(() => values[0]);
  const timestamps = series.timestamps.map(toMs);
  if (!ascending(timestamps)) return starts.map((at) => valueAt(timestamps, values, at));
  // The same as valueAt at each start, in one pass (the starts ascend too).
  let index = 0;
  return starts.map((at) => {
    while (index + 1 < timestamps.length && timestamps[index + 1] <= at) index++;
    return values[index];
  });
}

function ascending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i] >= values[i - 1])) return false;
  return true;
}
