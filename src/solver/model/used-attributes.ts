import { attributeInfo } from '../../shop/catalog.js';
import type { ShopModelJson } from '../../shop/shop-json.js';
import type { Log } from './optimizer.types.js';
import { RESERVE_KEYS, RESERVE_PRODUCTS } from '../problem/reserve-types.js';

/** A generator's reserve attributes that families/reserves.ts reads (modelling-2.md §4). */
const UNIT_RESERVE_ATTRIBUTES = [
  ...RESERVE_KEYS.flatMap((key) => [
    `${key}_min`,
    `${key}_max`,
    `${key}_schedule`,
    `${key}_schedule_flag`,
    `${key}_cost`,
  ]),
  ...['p_fcr_min', 'p_fcr_max', 'p_rr_min', 'reserve_ramping_cost_up', 'reserve_ramping_cost_down'],
  ...['spinning_reserve_up_max', 'spinning_reserve_down_max'],
  'fcr_mip_flag',
  ...['droop_min', 'droop_max', 'fixed_droop', 'fixed_droop_flag', 'droop_cost', 'discrete_droop_values'],
];

/**
 * The input attributes the optimization reads, per object type it models (`objective` holds
 * results). Others are stored and returned, but named in a WARNING when a model sets them.
 * `prod_area` counts as read: it is one area in every model Tarn optimizes.
 */
const USED_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  reservoir: new Set([
    ...['max_vol', 'lrl', 'hrl', 'vol_head', 'start_vol', 'start_head', 'inflow', 'energy_value_input', 'flow_descr'],
    ...['min_vol_constr', 'min_vol_constr_flag', 'max_vol_constr', 'max_vol_constr_flag'],
    'endpoint_desc_nok_mwh', // one value: start-rules.ts
    'water_value_input', // one table: families/end-value.ts (modelling-2.md §5)
    ...['overflow_cost', 'overflow_cost_flag', 'overflow_mip_flag'],
  ]),
  plant: new Set([
    ...['outlet_line', 'main_loss', 'penstock_loss', 'time_delay', 'mip_flag', 'prod_area'],
    ...['intake_line', 'consumption_fee', 'consumption_fee_flag'],
    ...['shape_discharge', 'discharge_fee', 'discharge_fee_flag'],
    // Reserve limits on the generators' sums (families/reserves.ts).
    ...['frr_up_min', 'frr_up_max', 'frr_down_min', 'frr_down_max', 'rr_up_min', 'frr_symmetric_flag'],
    ...['spinning_reserve_up_max', 'spinning_reserve_down_max'],
  ]),
  pump: new Set([
    ...['penstock', 'p_min', 'p_max', 'p_nom', 'gen_eff_curve', 'turb_eff_curves', 'startcost', 'stopcost'],
    ...['initial_state', 'maintenance_flag', 'committed_in', 'committed_flag'],
    ...['upstream_max', 'upstream_max_flag', 'downstream_min', 'downstream_min_flag'],
    ...['consumption_schedule', 'consumption_schedule_flag', 'upflow_schedule', 'upflow_schedule_flag'],
    // Reserves (families/reserves.ts): a pump's deliveries' limits and costs.
    ...RESERVE_KEYS.flatMap((key) => [`${key}_min`, `${key}_max`, `${key}_cost`]),
    ...RESERVE_KEYS.flatMap((key) => [`${key}_schedule`, `${key}_schedule_flag`]),
    ...['reserve_ramping_cost_up', 'reserve_ramping_cost_down'],
    ...['droop_min', 'droop_max', 'fixed_droop', 'fixed_droop_flag', 'droop_cost'],
    ...['spinning_reserve_up_max', 'spinning_reserve_down_max'],
  ]),
  generator: new Set([
    'penstock',
    'p_min',
    'p_max',
    'p_nom',
    'gen_eff_curve',
    'turb_eff_curves',
    'startcost',
    'initial_state',
    ...UNIT_RESERVE_ATTRIBUTES,
  ]),
  // Reserve capability of a generator (modelling-2.md §4, 14.4; problem/reserve-data.ts).
  gen_reserve_capability: new Set(['reserve_type_name', 'p_extended', 'schedule']),
  // Reserve groups (modelling-2.md §4; problem/reserve-data.ts, families/reserves.ts).
  reserve_group: new Set([
    ...RESERVE_KEYS.map((key) => `${key}_obligation`),
    ...RESERVE_PRODUCTS.map((product) => `${product}_penalty_cost`),
  ]),
  gate: new Set([
    ...['max_discharge', 'time_delay', 'shape_discharge', 'discharge_fee', 'discharge_fee_flag'],
    // Flow functions (families/gate-functions.ts)
    ...['functions_meter_m3s', 'functions_deltameter_m3s', 'schedule_flag', 'schedule_m3s', 'schedule_percent'],
    ...['setting', 'setting_flag', 'lin_rel_a', 'lin_rel_b', 'min_flow', 'min_flow_flag', 'max_flow', 'max_flow_flag'],
    ...['ramping_up', 'ramping_up_flag', 'ramping_down', 'ramping_down_flag', 'ramp_penalty_cost'],
    ...['ramp_penalty_cost_flag', 'add_slack', 'spill_cost_curve'],
    ...['min_q_penalty_flag', 'max_q_penalty_flag', 'min_q_penalty_cost', 'max_q_penalty_cost'],
    ...['min_q_penalty_cost_flag', 'max_q_penalty_cost_flag'],
  ]),
  // Rivers (families/rivers.ts, river-flow-functions.ts, river-gates.ts).
  river: new Set([
    ...['upstream_elevation', 'inflow', 'min_flow', 'max_flow', 'min_flow_penalty_cost', 'max_flow_penalty_cost'],
    ...['flow_cost', 'flow_cost_curve', 'cost_curve_scaling', 'flow_schedule', 'flow_schedule_penalty_cost'],
    ...['ramping_up', 'ramping_down', 'ramping_up_penalty_cost', 'ramping_down_penalty_cost'],
    ...['time_delay_const', 'time_delay_curve', 'past_upstream_flow', 'delayed_water_energy_value'],
    ...['up_head_flow_curve', 'main_river', 'mip_flag', 'width_depth_curve', 'gate_opening_curve'],
    ...['gate_opening_schedule', 'delta_head_ref_up_flow_curve', 'delta_head_ref_down_flow_curve'],
    ...['initial_gate_opening', 'gate_adjustment_cost', 'gate_ramping', 'gate_ramping_penalty_cost'],
  ]),
  market: new Set([
    ...['sale_price', 'buy_price', 'max_sale', 'max_buy', 'load', 'market_type', 'prod_area'],
    'common_scenario', // which scenarios share its trades (problem/scenario-problem.ts)
  ]),
  // Multi-scenario runs (modelling-2.md §6; problem/scenarios.ts).
  scenario: new Set(['scenario_id', 'probability', 'common_scenario', 'common_history']),
  global_settings: new Set([
    ...['rsv_penalty_flag', 'load_penalty_flag', 'rsv_penalty_cost', 'rsv_hard_limit_penalty_cost'],
    ...['load_penalty_cost', 'overflow_cost', 'overflow_cost_time_factor', 'universal_overflow_mip'],
    ...['pump_turn_off_limit', 'pump_head_optimization', 'pump_schedule_penalty_flag'],
    ...['pump_sched_penalty_cost_up', 'pump_sched_penalty_cost_down'],
    ...['river_flow_penalty_cost', 'river_flow_schedule_penalty_cost'],
    ...['gate_ramp_penalty_flag', 'gate_ramp_penalty_cost', 'gate_min_q_penalty_flag', 'gate_max_q_penalty_flag'],
    'plant_soft_q_penalty', // the default cost of soft gate flow limits (problem/gate-data.ts)
    ...['reserve_group_penalty_cost', 'reserve_group_slack_cost', 'reserve_schedule_penalty_cost'],
    ...['gen_reserve_ramping_cost', 'pump_reserve_ramping_cost', 'gen_reserve_min_free_cap_factor'],
    'fcr_n_equality_flag',
    ...['fcr_n_band', 'fcr_d_band', 'droop_discretization_limit', 'droop_cost_exponent', 'droop_ref_value'],
    'reserve_contribution_cost',
  ]),
  objective: new Set(),
  // Tunnel networks (modelling-2.md §2; problem/waterways.ts). Not read: tunnel length (unused by SHOP too);
  // junction altitude. A tunnel's time_delay other than 0 is refused (legacy: use a river).
  tunnel: new Set([
    ...['loss_factor', 'start_height', 'end_height', 'diameter', 'length', 'min_flow', 'max_flow'],
    ...['weir_width', 'time_delay'],
    ...['min_flow_penalty_cost', 'max_flow_penalty_cost', 'min_start_pressure', 'gate_opening_curve'],
    ...['continuous_gate', 'initial_opening', 'gate_adjustment_cost', 'gate_opening_schedule'],
  ]),
  junction: new Set(['loss_factor_1', 'loss_factor_2', 'junc_slack', 'min_pressure']),
  junction_gate: new Set(['loss_factor_1', 'loss_factor_2', 'add_slack', 'min_pressure', 'schedule']),
  creek_intake: new Set([
    ...['net_head', 'max_inflow', 'max_inflow_dynamic', 'inflow', 'inflow_percentage', 'overflow_cost'],
  ]),
  interlock_constraint: new Set(['min_open', 'max_open', 'forward_switch_time', 'backward_switch_time']),
  // Cut groups (modelling-2.md §5; problem/cut-data.ts, families/cuts.ts).
  cut_group: new Set(['rhs']),
  inflow_series: new Set(['cut_coeffs']),
};

/**
 * Attributes read for some objects of a type and not for others: `when` says for which objects
 * the attribute is left out, `why` how Tarn uses it instead.
 */
const UNUSED_WHEN: ReadonlyArray<{
  type: string;
  attribute: string;
  when: (attributes: Record<string, unknown>) => boolean;
  why: string;
}> = [
  {
    type: 'tunnel',
    attribute: 'gate_adjustment_cost',
    when: (a) => Number(a.continuous_gate ?? 0) === 1,
    why: 'charged for discrete gates only; a continuous gate’s opening is not an LP variable',
  },
];

/** WARNINGs for what the model holds that the optimization leaves out. */
export function warnAboutUnused(model: ShopModelJson, log: Log): void {
  for (const [type, objects] of Object.entries(model.model)) {
    const names = Object.keys(objects ?? {});
    if (!names.length) continue;
    const used = USED_ATTRIBUTES[type];
    if (!used) {
      log(
        'WARNING',
        `${type} ${names.join(', ')}: Tarn does not model ${type} objects yet; left out of the optimization`,
      );
      continue;
    }
    const unused = new Set<string>();
    for (const attributes of Object.values(objects as Record<string, Record<string, unknown>>)) {
      for (const attribute of Object.keys(attributes ?? {})) {
        if (!used.has(attribute) && attributeInfo(type, attribute)?.isOutput !== true) unused.add(attribute);
      }
    }
    if (unused.size) {
      log('WARNING', `${type} attributes ${[...unused].join(', ')}: not used by Tarn's optimization yet`);
    }
    for (const rule of UNUSED_WHEN.filter((r) => r.type === type)) {
      const left = Object.entries(objects as Record<string, Record<string, unknown>>)
        .filter(([, a]) => a?.[rule.attribute] !== undefined && rule.when(a))
        .map(([name]) => name);
      if (left.length) {
        log('WARNING', `${type} ${left.join(', ')}: ${rule.attribute} not used by Tarn's optimization (${rule.why})`);
      }
    }
  }
}
