import type { AttributeValue } from '../shop/shop-json.js';

/** [first timestamp, step in milliseconds, count]: `count` timestamps `step` apart. */
export type TimestampRun = [string, number, number];

/** The stored form of a series whose timestamps are kept as runs (`compactSeries`). */
interface CompactSeries {
  timestamp_runs: TimestampRun[];
  values: unknown;
  name?: unknown;
}

/** A time in the canonical form results use, UTC seconds: `2018-01-23T00:00:00Z`. */
const canonical = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Runs of equal steps that give `timestamps` back exactly; undefined when they are not in canonical form or irregular. */
function timestampRuns(timestamps: readonly unknown[]): TimestampRun[] | undefined {
  const runs: TimestampRun[] = [];
  let previous = 0;
  for (const text of timestamps) {
    if (typeof text !== 'string' || text.length !== 20) return undefined;
    const ms = Date.parse(text);
    if (canonical(ms) !== text) return undefined;
    const run = runs.at(-1);
    if (run && run[2] === 1) [run[1], run[2]] = [ms - previous, 2];
    else if (run && ms - previous === run[1]) run[2]++;
    else runs.push([text, 0, 1]);
    previous = ms;
  }
  // Worth it only when the runs are much shorter than the list.
  return runs.length * 8 <= timestamps.length ? runs : undefined;
}

/**
 * Stores series (txy) with their timestamps as runs of equal steps when that is exact: a run's
 * results repeat the horizon's timestamps in every series, and as runs a series takes about a
 * third of the bytes, which the embedded database then neither compresses nor logs at length (a
 * run's results were stored in about half the time). One instance per write: series with the same
 * timestamps as an earlier one reuse its runs after a comparison, not a parse.
 */
export class SeriesCompactor {
  private readonly known = new Map<string, { timestamps: readonly unknown[]; runs: TimestampRun[] | undefined }>();

  compact(datatype: string | null, value: AttributeValue): AttributeValue {
    if (datatype !== 'txy' || typeof value !== 'object' || value === null) return value;
    const { timestamps, ...rest } = value as { timestamps?: unknown };
    if (!Array.isArray(timestamps) || timestamps.length < 8 || 'timestamp_runs' in rest) return value;
    const key = `${timestamps.length}\u0000${String(timestamps[0])}\u0000${String(timestamps.at(-1))}`;
    let entry = this.known.get(key);
    if (!entry || !sameItems(entry.timestamps, timestamps)) {
      entry = { timestamps, runs: timestampRuns(timestamps) };
      this.known.set(key, entry);
    }
    return entry.runs ? { ...rest, timestamp_runs: entry.runs } : value;
  }
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A stored value as it was given: a series stored with timestamp runs gets its timestamps back,
 * as its last key (where PostgreSQL's jsonb, which orders keys by length, has them for a series
 * stored whole). One instance per read: equal runs are expanded once.
 */
export class SeriesExpander {
  private readonly expanded = new Map<string, string[]>();

  expand(value: AttributeValue): AttributeValue {
    if (typeof value !== 'object' || value === null || !('timestamp_runs' in value)) return value;
    const { timestamp_runs: runs, ...rest } = value as CompactSeries;
    const key = JSON.stringify(runs);
    let timestamps = this.expanded.get(key);
    if (!timestamps) {
      timestamps = runs.flatMap(([first, step, count]) => {
        const start = Date.parse(first);
        return Array.from({ length: count }, (_, i) => canonical(start + i * step));
      });
      this.expanded.set(key, timestamps);
    }
    // Each series its own array: callers may change what they get.
    return { ...rest, timestamps: timestamps.slice() };
  }
}
