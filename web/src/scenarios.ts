// Multi-scenario series (modelling-2.md §6, shop-json.md §4.9): a txy's `values[scenario][time]`
// summed up per time step as a band (lowest and highest scenario) and a mean. Pure: no DOM, no
// ECharts, so that the unit tests run it under Node.

export interface Txy {
  timestamps: string[];
  values: number[][];
}
export type Point = [number, number];

/** Per time step: the lowest and highest scenario value and the (probability-weighted) mean. */
export interface Band {
  min: number[];
  max: number[];
  mean: number[];
}

export const isTxy = (value: unknown): value is Txy =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as Txy).timestamps) &&
  Array.isArray((value as Txy).values);

/** How many scenarios a series holds (0 when the value is not a series). */
export const scenarioCount = (value: unknown): number => (isTxy(value) ? value.values.length : 0);

/** Each scenario's points `[epoch ms, value]`. */
export function scenarioPoints(series: Txy): Point[][] {
  const times = series.timestamps.map((time) => Date.parse(time));
  return series.values.map((scenario) => times.map((time, i) => [time, scenario[i]] as Point));
}

/**
 * The band of `values[scenario][time]`: at each step the scenarios that have a finite value there
 * give the min, the max and the mean, weighted by `weights` (one per scenario) when given, else
 * plain. A step where no scenario has a value gets NaN (a gap in a chart).
 */
export function scenarioBand(values: number[][], weights?: number[]): Band {
  const steps = Math.max(0, ...values.map((scenario) => scenario.length));
  const band: Band = { min: [], max: [], mean: [] };
  for (let t = 0; t < steps; t++) {
    let min = Infinity;
    let max = -Infinity;
    let weighted = 0;
    let weightSum = 0;
    values.forEach((scenario, s) => {
      const value = scenario[t];
      if (typeof value !== 'number' || !Number.isFinite(value)) return;
      const weight = weights ? weights[s] : 1;
      min = Math.min(min, value);
      max = Math.max(max, value);
      weighted += weight * value;
      weightSum += weight;
    });
    const any = min <= max;
    band.min.push(any ? min : NaN);
    band.max.push(any ? max : NaN);
    // Scenarios of zero probability alone at a step: their plain mean rather than 0/0.
    band.mean.push(!any ? NaN : weightSum > 0 ? weighted / weightSum : (min + max) / 2);
  }
  return band;
}

type ModelObject = Record<string, unknown>;

/** A scenario object's number (`scenario_id`, else the digits of a name like `S2`), 1-based. */
function scenarioId(name: string, scenario: ModelObject): number | undefined {
  if (typeof scenario.scenario_id === 'number') return scenario.scenario_id;
  const digits = /^S(\d+)$/.exec(name)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

/** A probability given as a number or a txy, whose last value applies to all steps (modelling-2.md §6). */
function probabilityOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return isTxy(value) ? value.values[0]?.at(-1) : undefined;
}

/**
 * The weights of `count` scenarios from the model's `scenario` objects: scenario i+1's
 * probability, scaled to sum 1. Undefined (a plain mean) unless every scenario has a finite,
 * non-negative probability and they sum to more than 0.
 */
export function scenarioWeights(
  scenarios: Record<string, ModelObject> | undefined,
  count: number,
): number[] | undefined {
  const probabilities: (number | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const [name, scenario] of Object.entries(scenarios ?? {})) {
    const id = scenarioId(name, scenario);
    if (id !== undefined && id >= 1 && id <= count) probabilities[id - 1] = probabilityOf(scenario.probability);
  }
  if (!probabilities.every((p): p is number => typeof p === 'number' && Number.isFinite(p) && p >= 0)) return undefined;
  const sum = probabilities.reduce((a, b) => a + b, 0);
  return sum > 0 ? probabilities.map((p) => p / sum) : undefined;
}

/** The names of `count` scenarios: the scenario object numbered i+1, else `S<i+1>`. */
export function scenarioNames(scenarios: Record<string, ModelObject> | undefined, count: number): string[] {
  const names = Array.from({ length: count }, (_, i) => `S${i + 1}`);
  for (const [name, scenario] of Object.entries(scenarios ?? {})) {
    const id = scenarioId(name, scenario);
    if (id !== undefined && id >= 1 && id <= count) names[id - 1] = name;
  }
  return names;
}
