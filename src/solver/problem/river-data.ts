/**
 * The rivers of a stored SHOP model (modelling-2.md §3.4) as typed data beside the rest of the
 * HydroSystem. Pure; what is missing is reported with the path to fix.
 */
import type { ShopModelJson, Xy } from '../../shop/shop-json.js';
import {
  activeSeries,
  type HydroSystem,
  HydroModelError,
  type RiverData,
  series,
  waterNeighbours,
} from './hydro-system.js';
import { distributedPast } from '../physics/delay.js';
import { riverKernel } from './families/rivers.js';

type Attributes = Record<string, unknown>;

/** `system` with the model's rivers read. */
export function withRivers(system: HydroSystem, model: ShopModelJson): HydroSystem {
  const objects = Object.entries(model.model.river ?? {}) as Array<[string, Attributes]>;
  if (!objects.length) return system;
  const connections = model.connections ?? [];
  const gs = system.globalSettings;
  const rivers = objects.map(([name, a]): RiverData => {
    const path = `model.river.${name}`;
    if (typeof a.upstream_elevation !== 'number') {
      throw new HydroModelError(`${path}.upstream_elevation`, 'is required to optimize');
    }
    const outputs = waterNeighbours(connections, 'river', name, 'to');
    if (outputs.length > 1) {
      throw new HydroModelError(
        path,
        `has ${outputs.length} downstream water objects (${outputs.map((r) => `${r.type} ${r.name}`).join(', ')}); a river has at most one`,
      );
    }
    const has = (attribute: string) => a[attribute] !== undefined;
    const optional = (attribute: string) => (has(attribute) ? series(model, a, attribute, 0) : undefined);
    const costs = (attribute: string, fallback: number) => series(model, a, attribute, fallback);
    const curve = a.flow_cost_curve as Xy | undefined;
    const scaling = typeof a.cost_curve_scaling === 'number' ? a.cost_curve_scaling : 1;
    const curves = (attribute: string) => {
      const value = a[attribute] as Xy | Xy[] | undefined;
      return value === undefined ? undefined : Array.isArray(value) ? value : [value];
    };
    return {
      name,
      upstreamElevation: a.upstream_elevation,
      inputs: waterNeighbours(connections, 'river', name, 'from'),
      to: outputs[0],
      inflow: series(model, a, 'inflow', 0),
      minFlow: activeSeries(model, a, 'min_flow'),
      maxFlow: activeSeries(model, a, 'max_flow'),
      minFlowPenaltyCost: costs('min_flow_penalty_cost', gs.riverFlowPenaltyCost),
      maxFlowPenaltyCost: costs('max_flow_penalty_cost', gs.riverFlowPenaltyCost),
      flowCost: optional('flow_cost'),
      flowCostCurve: curve && { ...curve, y: curve.y.map((y) => y * scaling) },
      flowSchedule: activeSeries(model, a, 'flow_schedule'),
      flowSchedulePenaltyCost: costs('flow_schedule_penalty_cost', gs.riverFlowSchedulePenaltyCost),
      rampingUp: activeSeries(model, a, 'ramping_up'),
      rampingDown: activeSeries(model, a, 'ramping_down'),
      rampingUpPenaltyCost: optional('ramping_up_penalty_cost'),
      rampingDownPenaltyCost: optional('ramping_down_penalty_cost'),
      timeDelayConst: typeof a.time_delay_const === 'number' ? a.time_delay_const : undefined,
      timeDelayCurve: curves('time_delay_curve'),
      pastUpstreamFlow: a.past_upstream_flow as Xy | undefined,
      delayedWaterEnergyValue:
        typeof a.delayed_water_energy_value === 'number' ? a.delayed_water_energy_value : undefined,
      mainRiver: a.main_river === 1,
      mipFlag: series(model, a, 'mip_flag', 0),
      upHeadFlowCurve: curves('up_head_flow_curve'),
      widthDepthCurve: a.width_depth_curve as Xy | undefined,
      gateOpeningCurve: a.gate_opening_curve as Xy | undefined,
      gateOpeningSchedule: activeSeries(model, a, 'gate_opening_schedule'),
      deltaHeadUpFlowCurve: curves('delta_head_ref_up_flow_curve'),
      deltaHeadDownFlowCurve: curves('delta_head_ref_down_flow_curve'),
      initialGateOpening: typeof a.initial_gate_opening === 'number' ? a.initial_gate_opening : undefined,
      gateAdjustmentCost: optional('gate_adjustment_cost'),
      gateRamping: activeSeries(model, a, 'gate_ramping'),
      gateRampingPenaltyCost: optional('gate_ramping_penalty_cost'),
    };
  });
  return { ...system, rivers: withPastFlows(rivers, system.steps[0]?.hours ?? 1) };
}

/**
 * Rivers in series pass their past flow on (modelling-2.md §3.4): a river's past upstream flow
 * pushed through its delay, the part that left its bottom before the start
 * (`distributed_past_upstream_flow`, in windows of the first step's length), is the past
 * upstream flow of the river below. Tarn: a river's own `past_upstream_flow`, when given, is the
 * whole past flow at its top and replaces what the rivers above pass on; else it receives the
 * sum of theirs.
 */
function withPastFlows(rivers: RiverData[], windowHours: number): RiverData[] {
  const byName = new Map(rivers.map((river) => [river.name, river]));
  const done = new Map<string, RiverData>();
  const visiting = new Set<string>();
  const resolve = (river: RiverData): RiverData => {
    const known = done.get(river.name);
    if (known) return known;
    if (visiting.has(river.name)) {
      throw new HydroModelError(`model.river.${river.name}`, 'is part of a cycle of rivers');
    }
    visiting.add(river.name);
    let past = river.pastUpstreamFlow;
    if (!past) {
      const received = river.inputs
        .filter((ref) => ref.type === 'river' && byName.has(ref.name))
        .map((ref) => resolve(byName.get(ref.name)!).distributedPastFlow)
        .filter((xy): xy is Xy => xy !== undefined);
      past = sumOfPastFlows(received);
    }
    const distributed = distributedPast(riverKernel(river, undefined), past, windowHours);
    const resolved = {
      ...river,
      pastUpstreamFlow: past,
      distributedPastFlow: distributed && { ref: 0, ...distributed },
    };
    visiting.delete(river.name);
    done.set(river.name, resolved);
    return resolved;
  };
  return rivers.map(resolve);
}

/** The sum of past flows (step functions: each y until the next x, the last until the start). */
function sumOfPastFlows(flows: Xy[]): Xy | undefined {
  if (!flows.length) return undefined;
  if (flows.length === 1) return flows[0];
  const x = [...new Set(flows.flatMap((flow) => flow.x))].sort((a, b) => a - b);
  const at = (flow: Xy, z: number) => {
    let value = 0;
    flow.x.forEach((xk, k) => {
      if (xk <= z) value = flow.y[k];
    });
    return value;
  };
  return { ref: 0, x, y: x.map((z) => flows.reduce((sum, flow) => sum + at(flow, z), 0)) };
}
