/**
 * Gate flow functions of a stored SHOP model (modelling-2.md §3.2) as typed data beside the
 * gates of the HydroSystem. Pure; what is missing is reported with the path to fix.
 */
import type { ShopModelJson, Xy } from '../../shop/shop-json.js';
import { activeSeries, type GateFunctionData, type HydroSystem, HydroModelError, series } from './hydro-system.js';

type Attributes = Record<string, unknown>;

/** Attributes that make a gate's flow more than a free column up to max_discharge. */
const FUNCTION_ATTRIBUTES = [
  'functions_meter_m3s',
  'functions_deltameter_m3s',
  'schedule_flag',
  'schedule_m3s',
  'schedule_percent',
  'lin_rel_a',
  'lin_rel_b',
  'min_flow',
  'max_flow',
  'ramping_up',
  'ramping_down',
  'add_slack',
  'spill_cost_curve',
];

const curves = (value: unknown): Xy[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? (value as Xy[]) : [value as Xy];

/** `system` with each gate's flow functions read (`functions` stays undefined for a plain gate). */
export function withGateFunctions(system: HydroSystem, model: ShopModelJson): HydroSystem {
  const objects = (model.model.gate ?? {}) as Record<string, Attributes>;
  const gs = Object.assign({}, ...(Object.values(model.model.global_settings ?? {}) as Attributes[])) as Attributes;
  const rampFlag = typeof gs.gate_ramp_penalty_flag === 'number' ? gs.gate_ramp_penalty_flag : 1;
  const rampCost = typeof gs.gate_ramp_penalty_cost === 'number' ? gs.gate_ramp_penalty_cost : 360;
  const gates = system.gates.map((gate) => {
    const a = objects[gate.name] ?? {};
    if (!FUNCTION_ATTRIBUTES.some((name) => a[name] !== undefined)) return gate;
    const path = `model.gate.${gate.name}`;
    const has = (name: string) => a[name] !== undefined;
    const meter = curves(a.functions_meter_m3s);
    const deltaMeter = curves(a.functions_deltameter_m3s);
    if ((meter || deltaMeter || has('lin_rel_a')) && gate.upstream === undefined) {
      throw new HydroModelError(
        path,
        'a gate flow function needs a reservoir directly upstream (connect one to the gate)',
      );
    }
    if (deltaMeter && gate.downstream === undefined) {
      throw new HydroModelError(
        `${path}.functions_deltameter_m3s`,
        'needs a reservoir directly downstream (the level difference is upstream − downstream level)',
      );
    }
    const ramp = (name: 'ramping_up' | 'ramping_down') => activeSeries(model, a, name);
    // Soft ramping (SHOP's default, gate_ramp_penalty_flag 1) at ramp_penalty_cost, else the global cost.
    const gateRampCost = activeSeries(model, a, 'ramp_penalty_cost');
    const functions: GateFunctionData = {
      meter,
      deltaMeter,
      scheduleFlag: series(model, a, 'schedule_flag', 0),
      scheduleM3s: has('schedule_m3s') ? series(model, a, 'schedule_m3s', 0) : undefined,
      schedulePercent: has('schedule_percent') ? series(model, a, 'schedule_percent', 0) : undefined,
      setting: activeSeries(model, a, 'setting'),
      linRel:
        typeof a.lin_rel_a === 'number'
          ? { a: a.lin_rel_a, b: typeof a.lin_rel_b === 'number' ? a.lin_rel_b : 0 }
          : undefined,
      minFlow: activeSeries(model, a, 'min_flow'),
      maxFlow: activeSeries(model, a, 'max_flow'),
      minFlowPenaltyCost: softLimitCost(model, a, gs, 'min'),
      maxFlowPenaltyCost: softLimitCost(model, a, gs, 'max'),
      rampingUp: ramp('ramping_up'),
      rampingDown: ramp('ramping_down'),
      rampPenaltyCost: rampFlag === 0 ? undefined : system.steps.map((_, t) => gateRampCost?.[t] ?? rampCost),
      addSlack: a.add_slack === 1,
      spillCostCurve: a.spill_cost_curve as Xy | undefined,
    };
    const percentWithoutMax = functions.schedulePercent && gate.maxDischarge === undefined;
    if (percentWithoutMax && functions.scheduleFlag.some((flag) => flag === 1) && !functions.scheduleM3s) {
      throw new HydroModelError(`${path}.schedule_percent`, 'is a percentage of max_discharge: give max_discharge');
    }
    return { ...gate, functions };
  });
  return { ...system, gates };
}

/** global_settings plant_soft_q_penalty's default: currency per Mm3 (SHOP documents no gate default). */
export const SOFT_Q_PENALTY = 100_000;

/**
 * The cost of flow beyond a gate's min_flow (`kind` min) or max_flow per step where that limit is
 * soft, else undefined (hard). Soft where the gate's `{kind}_q_penalty_flag` is 1, or
 * global_settings `gate_{kind}_q_penalty_flag` is 1, or `{kind}_q_penalty_cost` is given (and its
 * `_flag` lets it); the cost is that, else global_settings `plant_soft_q_penalty` (Tarn: SHOP names
 * no gate default; 100 000 per Mm3).
 */
function softLimitCost(
  model: ShopModelJson,
  a: Attributes,
  gs: Attributes,
  kind: 'min' | 'max',
): Array<number | undefined> | undefined {
  const flag = series(model, a, `${kind}_q_penalty_flag`, 0);
  const global = gs[`gate_${kind}_q_penalty_flag`] === 1;
  const cost = activeSeries(model, a, `${kind}_q_penalty_cost`);
  const fallback = typeof gs.plant_soft_q_penalty === 'number' ? gs.plant_soft_q_penalty : SOFT_Q_PENALTY;
  const soft = flag.map((f, t) => (f === 1 || global || cost?.[t] !== undefined ? (cost?.[t] ?? fallback) : undefined));
  return soft.some((c) => c !== undefined) ? soft : undefined;
}
