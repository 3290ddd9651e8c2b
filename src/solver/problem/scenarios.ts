/**
 * Multi-scenario runs (modelling-2.md §6): the scenario objects read into probabilities and the
 * steps each pair of scenarios shares, the inputs' agreement where they share one, and the model
 * as one scenario sees it. Pure.
 */
import type { ShopModelJson, Txy } from '../../shop/shop-json.js';
import { expandSeries, stepStarts } from '../../shop/time-steps.js';
import { HydroModelError, timeSteps } from './hydro-system.js';

export interface ScenarioSet {
  /** Scenario object names in `scenario_id` order (`S1` first); one name for a deterministic model. */
  names: string[];
  /** Per scenario; sum 1. */
  probabilities: number[];
  /** [t][s]: scenarios with equal values at step t share that step's decisions (`common_scenario`). */
  commonScenario: number[][];
  /** Markets with a `common_scenario` of their own: [t][s] decides which scenarios share their trades. */
  marketCommon: Map<string, number[][]>;
}

type Attributes = Record<string, unknown>;

/** Two scenarios' inputs at a shared step may differ by rounding only. */
const AGREEMENT_TOLERANCE = 1e-9;

export const isTxy = (value: unknown): value is Txy =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as Txy).values) &&
  (value as Txy).values.every((inner) => Array.isArray(inner));

/** SHOP's scenario objects read and checked; a model without any is one scenario, `S1`, of probability 1. */
export function scenarioSet(model: ShopModelJson): ScenarioSet {
  const steps = timeSteps(model).map((step) => step.start);
  const time = model.time!;
  const objects = (model.model.scenario ?? {}) as Record<string, Attributes>;
  const names = [...new Set(['S1', ...Object.keys(objects)])];
  const ids = names.map((name) => scenarioId(name, objects[name] ?? {}));
  const order = names.map((_, s) => s).sort((a, b) => ids[a] - ids[b]);
  order.forEach((s, position) => {
    if (ids[s] !== position + 1) {
      throw new HydroModelError(
        `scenario.${names[s]}.scenario_id`,
        `is ${ids[s]}: the model's ${names.length} scenarios need the ids 1 to ${names.length}, each once`,
        true,
      );
    }
  });
  const sorted = order.map((s) => names[s]);
  const attributes = sorted.map((name) => objects[name] ?? {});
  const commonScenario = steps.map(() => new Array<number>(sorted.length));
  attributes.forEach((a, s) => {
    const own = s + 1;
    const common = isTxy(a.common_scenario) ? expandSeries(a.common_scenario, time) : steps.map(() => own);
    common.forEach((value, t) => (commonScenario[t][s] = value));
    if (isTxy(a.common_history)) {
      const t = expandSeries(a.common_history, time).findIndex((value) => value !== own);
      if (t >= 0) {
        throw new HydroModelError(
          `scenario.${sorted[s]}.common_history`,
          `is not ${own} at ${steps[t]}: Tarn supports a scenario that continues its own history only`,
          true,
        );
      }
    }
  });
  return {
    names: sorted,
    probabilities: probabilities(sorted, attributes),
    commonScenario,
    marketCommon: marketCommon(model, sorted.length),
  };
}

function scenarioId(name: string, attributes: Attributes): number {
  const id = attributes.scenario_id;
  if (id === undefined) {
    const numbered = /^S(\d+)$/i.exec(name);
    if (numbered) return Number(numbered[1]);
    throw new HydroModelError(`scenario.${name}.scenario_id`, 'is required to optimize several scenarios', true);
  }
  if (typeof id !== 'number' || !Number.isInteger(id)) {
    throw new HydroModelError(
      `scenario.${name}.scenario_id`,
      `must be a whole number, got ${JSON.stringify(id)}`,
      true,
    );
  }
  return id;
}

/** A scenario's probability is its series' last value; scenarios without one share what the others leave. */
function probabilities(names: string[], attributes: Attributes[]): number[] {
  const given = attributes.map((a, s): number | undefined => {
    const p = a.probability;
    if (p === undefined) return undefined;
    const value = isTxy(p) ? p.values[0][p.values[0].length - 1] : p;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new HydroModelError(`scenario.${names[s]}.probability`, `must be between 0 and 1, got ${value}`, true);
    }
    return value;
  });
  const missing = given.filter((p) => p === undefined).length;
  const sum = given.reduce<number>((total, p) => total + (p ?? 0), 0);
  const rest = missing ? (1 - sum) / missing : 0;
  const result = given.map((p) => p ?? rest);
  if (Math.abs(result.reduce((total, p) => total + p, 0) - 1) > 1e-6 || rest < -1e-9) {
    throw new HydroModelError(
      'scenario.probability',
      `sums to ${sum}${missing ? ` over the ${names.length - missing} scenarios that set it` : ''}: the scenarios' probabilities must sum to 1`,
      true,
    );
  }
  return result;
}

function marketCommon(model: ShopModelJson, count: number): Map<string, number[][]> {
  const result = new Map<string, number[][]>();
  const time = model.time!;
  for (const [name, attributes] of Object.entries((model.model.market ?? {}) as Record<string, Attributes>)) {
    const series = attributes?.common_scenario;
    if (!isTxy(series)) continue;
    const perScenario = Array.from({ length: count }, (_, s) => expandSeries(series, time, s));
    result.set(
      name,
      perScenario[0].map((_, t) => perScenario.map((values) => values[t])),
    );
  }
  return result;
}

/** Groups (two or more scenario indexes) with equal values; `values[s]` per scenario. */
export function sharingGroups(values: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  values.forEach((value, s) => {
    const group = groups.get(value);
    if (group) group.push(s);
    else groups.set(value, [s]);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}

/** Every stochastic series (several inner arrays) of the model's objects, by path. */
function stochasticSeries(model: ShopModelJson): Array<{ path: string; type: string; attribute: string; series: Txy }> {
  const found: Array<{ path: string; type: string; attribute: string; series: Txy }> = [];
  for (const [type, objects] of Object.entries(model.model)) {
    for (const [name, attributes] of Object.entries(objects ?? {})) {
      for (const [attribute, value] of Object.entries(attributes ?? {})) {
        if (isTxy(value) && value.values.length > 1) {
          found.push({ path: `${type}.${name}.${attribute}`, type, attribute, series: value });
        }
      }
    }
  }
  return found;
}

/** The paths of the series that hold several scenarios (a one-scenario model uses their first). */
export function stochasticSeriesPaths(model: ShopModelJson): string[] {
  return stochasticSeries(model).map(({ path }) => path);
}

/**
 * Every stochastic series holds one inner array per scenario, and scenarios that share a step
 * have the same inputs there (their decisions are one decision). HydroModelError (400) otherwise.
 */
export function checkScenarioInputs(model: ShopModelJson, set: ScenarioSet): void {
  const count = set.names.length;
  if (count === 1) return;
  const found = stochasticSeries(model);
  const time = model.time!;
  const steps = stepStarts(time);
  for (const { path, type, attribute, series } of found) {
    if (series.values.length !== count) {
      throw new HydroModelError(
        path,
        `holds ${series.values.length} scenarios; the model has ${count} (scenario objects ${set.names[0]}…${set.names[count - 1]})`,
        true,
      );
    }
    // A market's common_scenario says which trades are shared: it may differ where the scenarios do.
    if (type === 'market' && attribute === 'common_scenario') continue;
    const values = series.values.map((_, s) => expandSeries(series, time, s));
    set.commonScenario.forEach((common, t) => {
      for (const group of sharingGroups(common)) {
        const first = values[group[0]][t];
        const other = group.find(
          (s) => Math.abs(values[s][t] - first) > AGREEMENT_TOLERANCE * Math.max(1, Math.abs(first)),
        );
        if (other !== undefined) {
          throw new HydroModelError(
            path,
            `is ${first} in ${set.names[group[0]]} and ${values[other][t]} in ${set.names[other]} at ${steps[t]}, a step ` +
              'they share (common_scenario): scenarios that share a step need the same inputs there',
            true,
          );
        }
      }
    });
  }
}

/** The model as scenario s sees it: each stochastic series reduced to its s-th inner array. */
export function scenarioModel(model: ShopModelJson, s: number): ShopModelJson {
  const objectsOf = (objects: Record<string, Attributes>) =>
    Object.fromEntries(
      Object.entries(objects).map(([name, attributes]) => [
        name,
        Object.fromEntries(
          Object.entries(attributes ?? {}).map(([attribute, value]) => [
            attribute,
            isTxy(value) && value.values.length > 1
              ? { ...value, values: [value.values[Math.min(s, value.values.length - 1)]] }
              : value,
          ]),
        ),
      ]),
    );
  return {
    ...model,
    model: Object.fromEntries(
      Object.entries(model.model).map(([type, objects]) => [
        type,
        objectsOf((objects ?? {}) as Record<string, Attributes>),
      ]),
    ),
  } as ShopModelJson;
}
