/**
 * What one run of a session leaves to the next. In SHOP a session is one SHOP instance:
 * a later `start sim` goes on from the iterations before it (incremental iterations fix the
 * last full iteration's commitments, every iteration linearises at the previous solution, the
 * count goes on). Tarn solves each run in a fresh `optimize` call, so the iteration state is
 * handed over as plain data: through the worker thread by structured clone, and stored per
 * session as JSON (`toStoredContinuation`) for the next run, in whichever process it solves.
 */
import { createHash } from 'node:crypto';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { Trajectory } from './trajectory.js';

export interface Continuation {
  /** `systemShape` of the system the trajectories were solved on. */
  shape: string;
  /** The last iteration's solution. */
  previous: Trajectory;
  /** The last full (not incremental) iteration's solution. */
  lastFull?: Trajectory;
  /** Iterations so far, all runs of the session (the log numbers them on). */
  iterations: number;
  fullIterations: number;
  /** A multi-scenario run's other scenarios' solutions (scenarios 2…n; the fields above are S1's). */
  scenarios?: ScenarioPath[];
}

/** One scenario's last and last full solution. */
export interface ScenarioPath {
  previous: Trajectory;
  lastFull?: Trajectory;
}

/**
 * A fingerprint of what the trajectory's arrays are indexed by: the steps, and the reservoirs,
 * plants with their generators and pumps, gates, markets, rivers and tunnel-network nodes and
 * tunnels (with their discrete gate positions), in order. Attribute values may change between
 * runs (SHOP's session goes on with the new inputs); a different fingerprint means the stored
 * trajectories no longer fit.
 */
export function systemShape(system: HydroSystem): string {
  const shape = {
    steps: system.steps.length,
    reservoirs: system.reservoirs.map((r) => r.name),
    plants: system.plants.map((p) => [p.name, p.generators.map((g) => g.name), (p.pumps ?? []).map((u) => u.name)]),
    gates: system.gates.map((g) => g.name),
    markets: system.markets.map((m) => m.name),
    rivers: (system.rivers ?? []).map((r) => r.name),
    nodes: (system.waterways?.nodes ?? []).map((n) => `${n.ref.type}.${n.ref.name}`),
    tunnels: (system.waterways?.tunnels ?? []).map((t) => [t.name, t.gate?.positions.length ?? 0]),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}

/** A continuation as JSON can hold it (see `fromStoredContinuation`). */
export type StoredContinuation = Record<string, unknown>;

/** Numbers JSON cannot hold, by the name they are stored as. */
const SPECIAL_NUMBERS = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0],
]);
const nameOf = (v: number): string | undefined =>
  Object.is(v, -0) ? '-0' : Number.isFinite(v) ? undefined : String(v);

/**
 * The continuation as a JSON value: JSON has no `undefined` in arrays (a trajectory has them,
 * e.g. the positions of tunnels without a discrete gate), non-finite numbers nor -0, so
 * undefined becomes null and such a number its name; `lastFull` is left out when it is the last
 * iteration's solution.
 */
export function toStoredContinuation(continuation: Continuation): StoredContinuation {
  const encode = (value: unknown): unknown => {
    if (value === undefined) return null;
    if (typeof value === 'number') return nameOf(value) ?? value;
    if (Array.isArray(value)) return value.map(encode);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, encode(v)]),
      );
    }
    return value;
  };
  const compact = ({ previous, lastFull }: ScenarioPath) => ({
    previous,
    ...(lastFull === previous ? { lastFullIsPrevious: true } : lastFull ? { lastFull } : {}),
  });
  const { scenarios, previous, lastFull, ...rest } = continuation;
  return encode({
    ...rest,
    ...compact({ previous, lastFull }),
    ...(scenarios ? { scenarios: scenarios.map(compact) } : {}),
  }) as StoredContinuation;
}

/** The inverse of `toStoredContinuation` (nulls back to undefined, names back to numbers). */
export function fromStoredContinuation(stored: StoredContinuation): Continuation {
  const revive = (value: unknown): unknown => {
    if (value === null) return undefined;
    if (typeof value === 'string') return SPECIAL_NUMBERS.get(value) ?? value;
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, revive(v)]),
      );
    }
    return value;
  };
  type Stored<T> = T & { lastFullIsPrevious?: boolean };
  const expand = <T extends ScenarioPath>({ lastFullIsPrevious, ...rest }: Stored<T>): T =>
    (lastFullIsPrevious ? { ...rest, lastFull: rest.previous } : rest) as T;
  const revived = expand(revive(stored) as Stored<Continuation>);
  const scenarios = revived.scenarios as Array<Stored<ScenarioPath>> | undefined;
  return scenarios ? { ...revived, scenarios: scenarios.map(expand) } : revived;
}
