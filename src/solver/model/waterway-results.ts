/**
 * Results of overflow, delays and rivers (modelling-2.md §3): the overflow's cost split into
 * physical and nonphysical spill (the overflow itself shows as the spill gate's `discharge`),
 * the value of water still in transit at the end, and each river's flows and penalties.
 */
import { MM3_PER_M3S_HOUR, levelFromVolume } from '../physics/reservoir.js';
import { overflowCostPerMm3, spillCurveGate } from '../problem/families/reservoirs.js';
import { curveCost } from '../problem/families/gate-functions.js';
import { gateHeight, headReservoir, physicalFlow, tailReservoir } from '../problem/families/river-flow-functions.js';
import { gatedFlowPoint, initialHeight } from '../problem/families/river-gates.js';
import type { HydroSystem, RiverData } from '../problem/hydro-system.js';
import type { RiverPenaltyKind, TransitValues } from '../problem/iteration-input.js';
import type { ObjectiveParts, RiverObjectiveField } from './objective.js';
import type { Trajectory } from './trajectory.js';

/** Where outputs go (results.ts's collector). */
interface Outputs {
  put(objectType: string, objectName: string, attribute: string, value: unknown): void;
  flow(values: number[]): unknown;
}

/** What the waterway results read (results.ts's inputs). */
interface ResultInputs {
  system: HydroSystem;
  start: number[];
  transit?: TransitValues;
}

/** Storage within this of max_vol counts as full (physical spill). */
const FULL = 1e-6;

type WaterwayParts = Pick<
  ObjectiveParts,
  'overflowCost' | 'overflowVolume' | 'nonphysicalSpillCost' | 'nonphysicalSpillVolume' | 'vowInTransit' | 'river'
>;

export function waterwayOutputs(out: Outputs, inputs: ResultInputs, solution: Trajectory): WaterwayParts {
  return {
    ...overflowParts(inputs, solution),
    vowInTransit: vowInTransit(inputs, solution),
    river: riverOutputs(out, inputs, solution),
  };
}

function overflowParts(inputs: ResultInputs, solution: Trajectory): WaterwayParts {
  const { system } = inputs;
  const parts = { overflowCost: 0, overflowVolume: 0, nonphysicalSpillCost: 0, nonphysicalSpillVolume: 0 };
  system.reservoirs.forEach((reservoir, r) => {
    // A spill gate's spill_cost_curve replaces the overflow cost.
    const gate = spillCurveGate(system, r);
    const curve = gate === undefined ? undefined : system.gates[gate].functions!.spillCostCurve!;
    system.steps.forEach((step, t) => {
      const volume = solution.overflow[r][t] * MM3_PER_M3S_HOUR * step.hours;
      if (!(volume > 0)) return;
      const cost = curve
        ? curveCost(curve, solution.overflow[r][t], step.hours)
        : overflowCostPerMm3(system, r, t) * volume;
      if (solution.storage[r][t] >= reservoir.maxVol - FULL) {
        parts.overflowCost += cost;
        parts.overflowVolume += volume;
      } else {
        parts.nonphysicalSpillCost += cost;
        parts.nonphysicalSpillVolume += volume;
      }
    });
  });
  return parts;
}

/** −Σ value × volume still travelling at the end, over delayed plants, gates and rivers. */
function vowInTransit(inputs: ResultInputs, solution: Trajectory): number {
  const { system, transit } = inputs;
  if (!transit) return 0;
  const volume = (s: number) => MM3_PER_M3S_HOUR * system.steps[s].hours;
  let value = 0;
  const add = (shares: number[] | undefined, values: number[], flow: (s: number) => number) =>
    shares?.forEach((share, s) => (value += share * values[s] * flow(s) * volume(s)));
  system.plants.forEach((plant, p) =>
    add(plant.delay?.transit, transit.plants[p], (s) => solution.discharge[p].reduce((sum, unit) => sum + unit[s], 0)),
  );
  system.gates.forEach((gate, i) => add(gate.delay?.transit, transit.gates[i], (s) => solution.gate[i][s]));
  solution.rivers.forEach((river, i) => add(river.transit, transit.rivers[i], (s) => river.upstream[s]));
  return value === 0 ? 0 : -value;
}

const PENALTY_OUTPUT: Record<RiverPenaltyKind, { attribute: string; field: RiverObjectiveField }> = {
  min_flow: { attribute: 'min_flow_penalty', field: 'river_min_flow_penalty' },
  max_flow: { attribute: 'max_flow_penalty', field: 'river_max_flow_penalty' },
  flow_schedule_up: { attribute: 'flow_schedule_penalty', field: 'river_flow_schedule_penalty' },
  flow_schedule_down: { attribute: 'flow_schedule_penalty', field: 'river_flow_schedule_penalty' },
  ramping_up: { attribute: 'ramping_up_penalty', field: 'river_ramping_penalty' },
  ramping_down: { attribute: 'ramping_down_penalty', field: 'river_ramping_penalty' },
};

/** Each river's flows and penalties (currency per step); the objective's river fields. */
function riverOutputs(out: Outputs, inputs: ResultInputs, solution: Trajectory): WaterwayParts['river'] {
  const { system, start } = inputs;
  const totals: Partial<Record<RiverObjectiveField, number>> = {};
  const hours = system.steps.map((step) => step.hours);
  (system.rivers ?? []).forEach((river, i) => {
    const flows = solution.rivers[i];
    if (!flows) return;
    const put = (attribute: string, value: unknown) => out.put('river', river.name, attribute, value);
    put('flow', out.flow(flows.upstream));
    put('upstream_flow', out.flow(flows.upstream));
    put('downstream_flow', out.flow(flows.downstream));
    put('initial_downstream_flow', out.flow(flows.initialDownstream));
    if (river.distributedPastFlow) put('distributed_past_upstream_flow', river.distributedPastFlow);
    // The flow function at the final step-average levels (river-flow-functions.ts).
    const r = headReservoir(system, river);
    const d = tailReservoir(system, river);
    const level = (i: number, t: number) => {
      const storage = solution.storage[i];
      const before = t === 0 ? start[i] : storage[t - 1];
      const volHead = system.reservoirs[i].volHead;
      return (levelFromVolume(volHead, before) + levelFromVolume(volHead, storage[t])) / 2;
    };
    const release = flows.releases.find((entry) => entry.reservoir === r)?.flow;
    const physical =
      r === undefined || !release
        ? flows.upstream
        : system.steps.map((_, t) => {
            const own = physicalFlow(river, t, release[t], level(r, t), d === undefined ? 0 : level(d, t));
            return flows.upstream[t] - release[t] + own;
          });
    const gate = flows.gateHeight;
    if (r !== undefined && release && gate) {
      // The gate is a variable (river-gates.ts): its height as the LP set it, the flow it passes at the final levels.
      physical.forEach(
        (_, t) => (physical[t] = flows.upstream[t] - release[t] + gatedFlow(river, gate[t], level(r, t))),
      );
      put('gate_height', out.flow(gate.map((z) => river.upstreamElevation + z)));
    } else if (r !== undefined && release) {
      const heights = system.steps.map((_, t) => gateHeight(river, t, release[t], level(r, t)));
      if (heights.every((h) => h !== undefined)) put('gate_height', out.flow(heights as number[]));
    }
    put('physical_flow', out.flow(physical));
    if (gate) {
      const costs = gateMovementCosts(river, gate, flows.gateRampViolation ?? [], hours);
      if (river.gateAdjustmentCost) {
        put('gate_adjustment_penalty', out.flow(costs.adjustment));
        totals.river_gate_adjustment_penalty =
          (totals.river_gate_adjustment_penalty ?? 0) + costs.adjustment.reduce((a, b) => a + b, 0);
      }
      if (river.gateRampingPenaltyCost) {
        put('gate_ramping_penalty', out.flow(costs.ramping));
        totals.river_ramping_penalty = (totals.river_ramping_penalty ?? 0) + costs.ramping.reduce((a, b) => a + b, 0);
      }
    }

    const byAttribute = new Map<string, number[]>();
    for (const { kind, violation, cost } of flows.penalties) {
      const { attribute, field } = PENALTY_OUTPUT[kind];
      const series = byAttribute.get(attribute) ?? hours.map(() => 0);
      violation.forEach((v, t) => (series[t] += v * cost[t] * hours[t]));
      byAttribute.set(attribute, series);
      totals[field] = (totals[field] ?? 0) + violation.reduce((sum, v, t) => sum + v * cost[t] * hours[t], 0);
    }
    // flow_cost and flow_cost_curve: the river's flow_penalty (river_flow_penalty).
    const flowPenalty = hours.map((h, t) => {
      const linear = (river.flowCost?.[t] ?? 0) * flows.upstream[t] * h;
      return linear + flows.costCurve.reduce((sum, segment) => sum + segment.cost * segment.flow[t] * h, 0);
    });
    if (river.flowCost || river.flowCostCurve) {
      byAttribute.set('flow_penalty', flowPenalty);
      totals.river_flow_penalty = (totals.river_flow_penalty ?? 0) + flowPenalty.reduce((a, b) => a + b, 0);
    }
    for (const [attribute, series] of byAttribute) put(attribute, out.flow(series));
  });
  return totals;
}

/** The flow a modelled river gate at height z (m above upstream_elevation) passes at level `up`. */
function gatedFlow(river: RiverData, z: number, up: number): number {
  return gatedFlowPoint(river, z, up).flow;
}

/**
 * Per step: gate_adjustment_cost·|z_t − z_{t−1}| from the reported heights (z_{−1} the
 * initial_gate_opening's height; none: the first step is free), and the gate ramping penalty.
 */
export function gateMovementCosts(
  river: RiverData,
  gate: number[],
  rampViolation: number[],
  hours: number[],
): { adjustment: number[]; ramping: number[] } {
  const initial = initialHeight(river);
  return {
    adjustment: gate.map((z, t) => {
      const before = t > 0 ? gate[t - 1] : initial;
      return before === undefined ? 0 : (river.gateAdjustmentCost?.[t] ?? 0) * Math.abs(z - before);
    }),
    ramping: gate.map((_, t) => (rampViolation[t] ?? 0) * (river.gateRampingPenaltyCost?.[t] ?? 0) * hours[t]),
  };
}
