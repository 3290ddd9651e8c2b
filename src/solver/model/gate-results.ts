/**
 * Results of gate flow functions (modelling-2.md §3.2): the solution's slack and ramping
 * violations read back, and the objective's gate costs: `gate_discharge_cost` (discharge_fee),
 * `gate_slack_cost` (add_slack), `gate_ramping_penalty`, and the spill_cost_curve's cost of gates
 * that carry no overflow (waterway-results.ts costs an overflow through its curve).
 */
import { MM3_PER_M3S_HOUR } from '../physics/reservoir.js';
import { curveCost, GATE_SLACK_COST } from '../problem/families/gate-functions.js';
import { spillGateOf } from '../problem/families/gates.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import type { ColumnIndex } from '../problem/iteration-input.js';

/** A gate's slack (m3/s) and ramping violations (m3/s, with their cost per m3/s), per step. */
export interface GateFunctionFlows {
  slack: number[];
  ramp: Array<{ step: number; violation: number; cost: number }>;
  /** flow below min_flow / above max_flow where soft (m3/s), with its cost per m3/s in the step */
  qPenalty?: Array<{ step: number; violation: number; cost: number; kind: 'min' | 'max' }>;
}

export function readGateFunctions(
  index: ColumnIndex,
  colValue: ArrayLike<number>,
  steps: number,
): Array<GateFunctionFlows | undefined> | undefined {
  return index.gateFunctions?.map((columns) => {
    if (!columns) return undefined;
    const slack = Array.from({ length: steps }, () => 0);
    for (const [t, c] of columns.slack) slack[t] += colValue[c];
    return {
      slack,
      ramp: columns.ramp.map(([step, c, cost]) => ({ step, violation: colValue[c], cost })),
      ...(columns.qPenalty
        ? { qPenalty: columns.qPenalty.map(([step, c, cost, kind]) => ({ step, violation: colValue[c], cost, kind })) }
        : {}),
    };
  });
}

/** The objective's gate costs (currency). */
export interface GateCosts {
  discharge: number;
  slack: number;
  ramping: number;
  /** spill_cost_curve of gates that carry no reservoir's overflow */
  spillCurve: number;
  /** soft min_flow/max_flow violations (gate_q_constr_penalty), where a gate has them */
  qConstr?: number;
}

export function gateCosts(
  system: HydroSystem,
  discharge: number[][],
  flows: Array<GateFunctionFlows | undefined> | undefined,
): GateCosts | undefined {
  const hasCosts = system.gates.some((gate) => gate.functions || gate.dischargeFee);
  if (!hasCosts) return undefined;
  const costs: GateCosts = { discharge: 0, slack: 0, ramping: 0, spillCurve: 0 };
  const overflowGates = spillGateOf({ system });
  const volume = (t: number) => MM3_PER_M3S_HOUR * system.steps[t].hours;
  system.gates.forEach((gate, i) => {
    system.steps.forEach((step, t) => {
      costs.discharge += (gate.dischargeFee?.[t] ?? 0) * discharge[i][t] * volume(t);
      const curve = gate.functions?.spillCostCurve;
      if (curve && !overflowGates.has(i)) costs.spillCurve += curveCost(curve, discharge[i][t], step.hours);
    });
    const f = flows?.[i];
    if (!f) return;
    f.slack.forEach((s, t) => (costs.slack += s * GATE_SLACK_COST * volume(t)));
    for (const { violation, cost } of f.ramp) costs.ramping += violation * cost;
    for (const { violation, cost } of f.qPenalty ?? []) costs.qConstr = (costs.qConstr ?? 0) + violation * cost;
  });
  return costs;
}

/** Each gate's min_q_penalty / max_q_penalty (currency per step), where its limits are soft. */
export function gateQPenaltyOutputs(
  put: (objectType: string, objectName: string, attribute: string, value: unknown) => void,
  flow: (values: number[]) => unknown,
  system: HydroSystem,
  flows: Array<GateFunctionFlows | undefined> | undefined,
): void {
  system.gates.forEach((gate, i) => {
    const penalties = flows?.[i]?.qPenalty;
    if (!penalties) return;
    for (const kind of ['min', 'max'] as const) {
      if (!penalties.some((p) => p.kind === kind)) continue;
      const series = system.steps.map(() => 0);
      for (const p of penalties) if (p.kind === kind) series[p.step] += p.violation * p.cost;
      put('gate', gate.name, `${kind}_q_penalty`, flow(series));
    }
  });
}
