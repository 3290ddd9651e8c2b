/**
 * A multi-scenario run's results (modelling-2.md §6) from each scenario's: every time series
 * with one inner array per scenario (SHOP JSON's `values[scenario][time]`), the objective as
 * `average_objective` (probability-weighted) and one objective object per scenario (`scen_1`, …).
 * Pure.
 */
import type { OutputAttribute, Txy } from '../../shop/shop-json.js';
import { isTxy, type ScenarioSet } from '../problem/scenarios.js';
import type { ObjectiveBreakdown } from './objective.js';

export interface ScenarioOutcome {
  outputs: OutputAttribute[];
  objective: ObjectiveBreakdown;
}

const AVERAGE = 'average_objective';
export const scenarioObjectiveName = (s: number) => `scen_${s + 1}`;

/**
 * Merges the scenarios' outcomes. A series missing in some scenario is 0 there; a value that is
 * not a series (a scalar, a curve) is the first scenario's, where they differ.
 */
export function scenarioOutcome(outcomes: readonly ScenarioOutcome[], set: ScenarioSet): ScenarioOutcome {
  const { probabilities } = set;
  const key = (o: OutputAttribute) => `${o.objectType}\u0000${o.objectName}\u0000${o.attribute}`;
  const perScenario = outcomes.map((outcome) => new Map(outcome.outputs.map((o) => [key(o), o])));
  const order = new Map<string, OutputAttribute>();
  for (const outcome of outcomes) for (const o of outcome.outputs) if (!order.has(key(o))) order.set(key(o), o);
  const outputs: OutputAttribute[] = [];
  const perScenarioObjectives: OutputAttribute[] = [];
  for (const [k, o] of order) {
    const values = perScenario.map((outputs) => outputs.get(k)?.value);
    if (o.objectType === 'objective' && o.objectName === AVERAGE) {
      const numbers = values.map((v) => (typeof v === 'number' ? v : 0));
      outputs.push({ ...o, value: numbers.reduce((sum, v, s) => sum + probabilities[s] * v, 0) });
      numbers.forEach((value, s) => perScenarioObjectives.push({ ...o, objectName: scenarioObjectiveName(s), value }));
    } else if (isTxy(o.value)) {
      outputs.push({ ...o, value: mergedSeries(values, o.value) });
    } else {
      outputs.push({ ...o, value: values.find((v) => v !== undefined) });
    }
  }
  outputs.push(
    ...perScenarioObjectives.sort((a, b) => a.objectName.localeCompare(b.objectName, 'en', { numeric: true })),
  );
  return {
    outputs,
    objective: weightedObjective(
      outcomes.map((outcome) => outcome.objective),
      probabilities,
    ),
  };
}

/** One inner array per scenario, on the first series' timestamps. */
function mergedSeries(values: readonly unknown[], first: Txy): Txy {
  const length = first.values[0].length;
  return {
    ...first,
    values: values.map((v) =>
      isTxy(v) && v.values[0].length === length ? v.values[0] : new Array<number>(length).fill(0),
    ),
  };
}

function weightedObjective(
  objectives: readonly ObjectiveBreakdown[],
  probabilities: readonly number[],
): ObjectiveBreakdown {
  const fields = new Set(objectives.flatMap((objective) => Object.keys(objective)));
  const weighted: Record<string, number> = {};
  for (const field of fields) {
    weighted[field] = objectives.reduce(
      (sum, objective, s) => sum + probabilities[s] * ((objective as unknown as Record<string, number>)[field] ?? 0),
      0,
    );
  }
  return weighted as unknown as ObjectiveBreakdown;
}
