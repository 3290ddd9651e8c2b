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
    };
  });
  return { ...system, rivers };
}
