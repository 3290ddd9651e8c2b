/**
 * Conflicting constraints in the user's terms: a solver conflict (IIS) names rows and columns
 * of the LP (`reservoir.Reservoir1.balance[3]`, `market.Day_ahead.buy[2]`); this turns them
 * into object type, object name, attribute, time and a sentence. Pure.
 *
 * Names are read generically: the type is the first dot-separated segment, `attribute[t]` the
 * last one (t the 0-based time step), the object name what is in between (it may contain dots;
 * `market.balance[4]` has none). A small table words the known rows and columns; any other name
 * falls back to its attribute with spaces for underscores.
 */
import type { ConflictBound, ConflictEntry, SolverConflict } from '../providers/optimization-provider.js';

export interface ConflictItem {
  /** A row of the problem (`constraint`) or the bounds of a column (`bound`). */
  kind: 'constraint' | 'bound';
  objectType: string;
  objectName?: string;
  attribute: string;
  /** Start of the time step, when the name has one (storage is the state at the end of that step). */
  time?: string;
  /** The 0-based time step. */
  step?: number;
  /** In a multi-scenario run, the scenario (2…n; the first scenario's names carry none). */
  scenario?: number;
  bound: ConflictBound;
  /** The conflicting bound (a row's right-hand side), when it is one finite number. */
  value?: number;
  /** The row or column name in the solver's problem. */
  name: string;
  text: string;
}

/** What `start sim` reports about an infeasible iteration. Plain data. */
export interface ConflictReport {
  /** False: a candidate set that the solver did not prove minimal. */
  irreducible: boolean;
  items: ConflictItem[];
}

interface Wording {
  words: string;
  /** A row or column of Tarn's formulation (curves, segments) rather than a SHOP input or balance. */
  internal?: boolean;
  /** A state at the end of step t (storage after the step), not over the step. */
  endOfStep?: boolean;
  /** Where a column's bounds come from, in SHOP terms. */
  lower?: string;
  upper?: string;
}

/** By `type.attribute`, digits in the attribute replaced by `#` (written back into the words). */
const WORDING: Record<string, Wording> = {
  'reservoir.balance': { words: 'water balance' },
  'reservoir.storage': { words: 'storage', upper: 'max_vol, or the top of vol_head with flow_descr', endOfStep: true },
  'reservoir.overflow': { words: 'overflow (spill gate discharge)' },
  'reservoir.flow_descr#': { words: 'forced overflow by flow_descr (line #)', endOfStep: true },
  'reservoir.overflow_on': { words: 'overflow on/off (overflow_mip_flag)', internal: true },
  'reservoir.overflow_only_when_full': { words: 'overflow only when full (overflow_mip_flag)', internal: true },
  'reservoir.full_when_overflowing': { words: 'full while overflowing (overflow_mip_flag)', endOfStep: true },
  'gate.max_discharge': { words: 'overflow through the spill gate (max_discharge)' },
  'river.balance': { words: 'flow balance at the top (inputs + inflow = upstream flow)' },
  'river.upstream_flow': { words: 'upstream flow' },
  'river.downstream_flow': { words: 'downstream flow' },
  'river.delay': { words: 'travel time (downstream flow from delayed upstream flow and past flow)' },
  'river.min_flow': { words: 'minimum flow (min_flow)' },
  'river.max_flow': { words: 'maximum flow (max_flow)' },
  'river.flow_schedule': { words: 'flow schedule (flow_schedule)' },
  'river.ramping_up': { words: 'ramping up (ramping_up)' },
  'river.ramping_down': { words: 'ramping down (ramping_down)' },
  'river.flow_function': {
    words: 'flow from the upstream level (up_head_flow_curve, width_depth_curve or delta-head curves)',
  },
  'river.flow_function_min': { words: 'flow at least the flow function at the level (the gate fully closed)' },
  'river.flow_function_max': { words: 'flow at most the flow function at the level (the gate fully open)' },
  'river.flowing': { words: 'flowing or not (mip_flag)', internal: true },
  'river.level_when_flowing': { words: 'upstream level at least upstream_elevation while flowing (mip_flag)' },
  'river.no_level_no_flow': { words: 'no flow below upstream_elevation (mip_flag)' },
  'river.flow_when_flowing': { words: 'flow only while flowing (mip_flag)', internal: true },
  'river.back_flow_when_flowing': { words: 'backward flow only while flowing (mip_flag)', internal: true },
  'gate.schedule': { words: 'flow schedule (schedule_flag 1: schedule_m3s or schedule_percent)' },
  'gate.function': { words: 'flow from the level (schedule_flag 2: functions_meter_m3s or functions_deltameter_m3s)' },
  'gate.lin_rel': { words: 'flow from the upstream volume (lin_rel_a, lin_rel_b)' },
  'gate.min_flow': { words: 'minimum flow (min_flow)' },
  'gate.max_flow': { words: 'maximum flow (max_flow)' },
  'gate.ramping_up': { words: 'ramping up (ramping_up)' },
  'gate.ramping_down': { words: 'ramping down (ramping_down)' },
  'gate.ramping_up_violation': { words: 'ramping up violation', internal: true },
  'gate.ramping_down_violation': { words: 'ramping down violation', internal: true },
  'gate.spill_cost_curve': { words: 'spill cost curve (spill_cost_curve)', internal: true },
  'gate.spill_cost_segment#': { words: 'spill cost curve segment #', internal: true },
  'river.flow_cost_curve': { words: 'flow cost curve (flow_cost_curve)', internal: true },
  'river.flow_cost_segment#': { words: 'flow cost curve segment #', internal: true },
  'river.min_flow_violation': { words: 'minimum flow violation', internal: true },
  'river.max_flow_violation': { words: 'maximum flow violation', internal: true },
  'river.flow_schedule_up_violation': { words: 'flow above schedule', internal: true },
  'river.flow_schedule_down_violation': { words: 'flow below schedule', internal: true },
  'river.ramping_up_violation': { words: 'ramping up violation', internal: true },
  'river.ramping_down_violation': { words: 'ramping down violation', internal: true },
  'gate.min_flow_violation': { words: 'flow below min_flow (min_q_penalty)', internal: true },
  'gate.max_flow_violation': { words: 'flow above max_flow (max_q_penalty)', internal: true },
  'river.gate_height': {
    words: 'gate height',
    lower: 'gate_opening_curve or gate_opening_schedule',
    upper: 'gate_opening_curve or gate_opening_schedule',
  },
  'river.gate_adjustment': { words: 'gate adjustment', internal: true },
  'river.gate_adjustment_up': { words: 'gate adjustment (raising)', internal: true },
  'river.gate_adjustment_down': { words: 'gate adjustment (lowering)', internal: true },
  'river.gate_ramping_up': { words: 'gate ramping up (gate_ramping)' },
  'river.gate_ramping_down': { words: 'gate ramping down (gate_ramping)' },
  'river.gate_ramping_violation': { words: 'gate ramping violation', internal: true },
  'reservoir.min_vol_constr': { words: 'minimum volume (min_vol_constr)', endOfStep: true },
  'reservoir.max_vol_constr': { words: 'maximum volume (max_vol_constr)', endOfStep: true },
  'reservoir.end_value_segment#': {
    words: 'end value segment # (water_value_input)',
    upper: 'segment length',
    internal: true,
    endOfStep: true,
  },
  'cut_group.future_income#': { words: 'future income of price level #', internal: true, endOfStep: true },
  'cut_group.cut#_level#': { words: 'cut # of price level #', endOfStep: true },
  'reservoir.cut_end_volume': { words: 'end volume with water in transit (cuts)', internal: true, endOfStep: true },
  'reservoir.end_value_segments': { words: 'end value segments (water_value_input)', internal: true, endOfStep: true },
  'plant.head_term': { words: 'head term', internal: true },
  'generator.discharge_curve': { words: 'production curve (discharge)', internal: true },
  'generator.production_curve': { words: 'production curve (power)', internal: true },
  'generator.segment#': { words: 'production curve segment #', upper: 'segment length', internal: true },
  'generator.segment#_on': { words: 'production curve segment # only when running', internal: true },
  'generator.on': { words: 'on/off state', internal: true },
  'generator.discharge': { words: 'discharge', internal: true },
  'generator.solver_production': { words: 'production', internal: true },
  'generator.startup': { words: 'start-up', internal: true },
  'generator.startup_def': { words: 'start-up count', internal: true },
  // Reserve capacity (families/reserves.ts); deliveries, violations and slacks read as their names.
  'generator.reserve_up': { words: 'production + FRR/RR up within p_max' },
  'generator.reserve_up_fcr': { words: 'production + all up reserve within max(p_max, p_fcr_max)' },
  'generator.reserve_down': { words: 'production − FRR/RR down above p_min' },
  'generator.reserve_down_rr': { words: 'production − RR down above p_rr_min' },
  'generator.reserve_down_fcr': { words: 'production − all down reserve above min(p_min, p_fcr_min)' },
  'generator.rr_up_off': { words: 'RR up from the stopped unit', internal: true },
  'generator.rr_up_on': { words: 'RR up split into running and stopped parts', internal: true },
  'generator.rr_up_off_stopped': { words: 'RR up from the stopped unit only when stopped', internal: true },
  'generator.reserve_on_share': { words: 'share of the hour on (a step without binaries)', internal: true },
  'generator.reserve_on_share_max': { words: 'production within p_max times the share on', internal: true },
  'gate.discharge': { words: 'discharge', upper: 'max_discharge' },
  'pump.solver_upflow': { words: 'upflow', internal: true },
  'pump.solver_consumption': { words: 'consumption', internal: true },
  'pump.on': {
    words: 'on/off state',
    lower: 'committed_in',
    upper: 'committed_in, maintenance_flag, upstream_max or downstream_min',
  },
  'pump.segment#': { words: 'consumption curve segment #', upper: 'segment length', internal: true },
  'pump.segment#_on': { words: 'consumption curve segment # only when running', internal: true },
  'pump.upflow_curve': { words: 'consumption curve (upflow)', internal: true },
  'pump.consumption_curve': { words: 'consumption curve (power)', internal: true },
  'pump.startup': { words: 'start-up', internal: true },
  'pump.startup_def': { words: 'start-up count', internal: true },
  'pump.stop': { words: 'stop', internal: true },
  'pump.stop_def': { words: 'stop count', internal: true },
  'pump.consumption_schedule': { words: 'consumption schedule (consumption_schedule)' },
  'pump.consumption_schedule_above': { words: 'consumption above its schedule', internal: true },
  'pump.consumption_schedule_below': { words: 'consumption below its schedule', internal: true },
  'pump.upflow_schedule': { words: 'upflow schedule (upflow_schedule)' },
  'pump.upflow_schedule_above': { words: 'upflow above its schedule', internal: true },
  'pump.upflow_schedule_below': { words: 'upflow below its schedule', internal: true },
  'pump.not_generating#': { words: "no pumping while the plant's generator # (model order) runs on its penstock" },
  'market.balance': { words: 'load balance (production + buy - sale = load)' },
  'market.sale': { words: 'sale', upper: 'max_sale' },
  'market.buy': { words: 'buy', upper: 'max_buy' },
  'market.load_penalty': { words: 'load penalty' },
  // Tunnel networks (families/tunnels.ts); a junction's branches are its tunnels 1 and 2.
  'reservoir.head': { words: 'level in the tunnel network', endOfStep: true, internal: true },
  'reservoir.level': { words: 'level from storage (vol_head, linearised)', endOfStep: true, internal: true },
  'tunnel.flow': { words: 'flow', lower: 'min_flow', upper: 'max_flow' },
  'tunnel.head_loss': { words: 'head loss (start − end pressure = loss_factor·flow·|flow|, linearised)' },
  'tunnel.end_pressure': { words: 'pressure at its end' },
  'tunnel.pressure': { words: 'pressure at its start' },
  'tunnel.balance': { words: 'flow balance where it ends' },
  'tunnel.min_start_pressure': { words: 'minimum start pressure (min_start_pressure)' },
  'tunnel.weir_capacity': {
    words: 'entrance weir capacity (flow ≤ 1.705·weir_width·(level − start_height)^1.5, linearised)',
  },
  'tunnel.min_flow': { words: 'minimum flow (min_flow)' },
  'tunnel.max_flow': { words: 'maximum flow (max_flow)' },
  'tunnel.gate_direction': { words: 'gate flow direction (a gate only throttles)', internal: true },
  'tunnel.gate_flow_limit': { words: 'gate flow limit (flow ≤ sqrt(ΔH/loss_factor), linearised)' },
  'tunnel.gate_position': { words: 'one gate position per step' },
  'tunnel.gate_position#': { words: 'gate position #', internal: true },
  'tunnel.gate_closed#': { words: 'no flow at closed gate position #', internal: true },
  'tunnel.gate_closed#_reverse': { words: 'no flow at closed gate position #', internal: true },
  'tunnel.head_loss_at_position#': { words: 'head loss at gate position # (linearised)' },
  'tunnel.head_loss_at_position#_lower': { words: 'head loss at gate position # (linearised)' },
  'tunnel.gate_adjustment': { words: 'gate adjustment', internal: true },
  'tunnel.gate_adjustment_up': { words: 'gate adjustment (opening)', internal: true },
  'tunnel.gate_adjustment_down': { words: 'gate adjustment (closing)', internal: true },
  'junction.tunnel_flow_#': { words: 'flow in tunnel #' },
  'junction.head_loss_#': {
    words: 'head loss in tunnel # (pressure_height = level − loss_factor_#·flow·|flow|, linearised)',
  },
  'junction.pressure_height': { words: 'pressure height' },
  'junction.balance': { words: 'flow balance (tunnel_flow_1 + tunnel_flow_2 = output)' },
  'junction.min_pressure': { words: 'minimum pressure (min_pressure)' },
  'junction_gate.tunnel_flow_#': { words: 'flow in tunnel #', lower: 'schedule', upper: 'schedule' },
  'junction_gate.head_loss_#': { words: 'head loss in tunnel # (linearised)' },
  'junction_gate.pressure_height': { words: 'pressure height' },
  'junction_gate.balance': { words: 'flow balance (tunnel_flow_1 + tunnel_flow_2 = output)' },
  'junction_gate.output_closed': { words: 'output closed (schedule 0)' },
  'creek_intake.pressure_height': { words: 'pressure at the intake', upper: 'net_head' },
  'creek_intake.balance': { words: 'flow balance (inflow = intake + spill)' },
  'creek_intake.spill': { words: 'spill', internal: true },
  'interlock_constraint.open_tunnels': { words: 'open tunnels (min_open … max_open)' },
  'interlock_constraint.switch_time': { words: 'plants still after a tunnel closes (forward/backward_switch_time)' },
  'tunnel.closing': { words: 'gate closing', internal: true },
  'tunnel.closing_def': { words: 'gate closing', internal: true },
};

/**
 * `reservoir.Res.1.storage[3]` -> reservoir, "Res.1", storage, step 3; a multi-scenario run's
 * `scen_2/reservoir.R.storage[3]` is the same in scenario 2.
 */
export function parseProblemName(full: string): {
  objectType: string;
  objectName?: string;
  attribute: string;
  step?: number;
  scenario?: number;
} {
  const scenario = /^scen_(\d+)\//.exec(full);
  const name = scenario ? full.slice(scenario[0].length) : full;
  const first = name.indexOf('.');
  const last = name.lastIndexOf('.');
  const objectType = first < 0 ? 'problem' : name.slice(0, first);
  const objectName = first < 0 || first === last ? undefined : name.slice(first + 1, last);
  const tail = name.slice(last + 1);
  const indexed = /^(.*)\[(\d+)\]$/.exec(tail);
  return {
    objectType,
    ...(objectName !== undefined ? { objectName } : {}),
    attribute: indexed ? indexed[1] : tail,
    ...(indexed ? { step: Number(indexed[2]) } : {}),
    ...(scenario ? { scenario: Number(scenario[1]) } : {}),
  };
}

function wording(objectType: string, attribute: string): Wording {
  const digits = /\d+/.exec(attribute)?.[0];
  const known = WORDING[`${objectType}.${attribute.replace(/\d+/, '#')}`];
  if (!known) return { words: attribute.replace(/_/g, ' ') };
  return digits === undefined ? known : { ...known, words: known.words.replace('#', digits) };
}

const formatNumber = (value: number) => String(Number(value.toPrecision(6)));

function describe(
  entry: ConflictEntry,
  kind: ConflictItem['kind'],
  steps: ReadonlyArray<{ start: string }>,
): ConflictItem & { internal: boolean } {
  const name = entry.name ?? (kind === 'constraint' ? `r${entry.index}` : `x${entry.index}`);
  const { objectType, objectName, attribute, step, scenario }: ReturnType<typeof parseProblemName> = entry.name
    ? parseProblemName(entry.name)
    : { objectType: 'problem', attribute: kind === 'constraint' ? `row ${entry.index}` : `column ${entry.index}` };
  const time = step === undefined ? undefined : steps[step]?.start;
  const { words, lower: lowerSource, upper: upperSource, internal = false, endOfStep } = wording(objectType, attribute);
  const { lower, upper, bound } = entry;
  const fixed = lower === upper;
  const candidate = bound === 'lower' ? lower : bound === 'upper' ? upper : fixed ? lower : undefined;
  const value = candidate !== undefined && Number.isFinite(candidate) ? candidate : undefined;

  const subject =
    (scenario === undefined ? '' : `scenario ${scenario}, `) +
    (objectName === undefined ? objectType : `${objectType} ${objectName}`);
  const at = endOfStep ? ' at the end of the step from' : ' at';
  const when = step === undefined ? '' : time !== undefined ? `${at} ${time}` : ` at step ${step}`;
  const source = (text: string | undefined) => (text ? ` (${text})` : '');
  let limit = '';
  if (kind === 'constraint') {
    if (fixed) limit = ` (= ${formatNumber(lower)})`;
    else if (bound === 'lower') limit = ` (>= ${formatNumber(lower)})`;
    else if (bound === 'upper') limit = ` (<= ${formatNumber(upper)})`;
    else if (bound === 'both') limit = ` (between ${formatNumber(lower)} and ${formatNumber(upper)})`;
  } else if (bound === 'lower') limit = `, lower bound ${formatNumber(lower)}${source(lowerSource)}`;
  else if (bound === 'upper') limit = `, upper bound ${formatNumber(upper)}${source(upperSource)}`;
  else if (bound === 'both' && fixed) limit = `, fixed at ${formatNumber(lower)}`;
  else if (bound === 'both') limit = `, bounds ${formatNumber(lower)} to ${formatNumber(upper)}`;

  return {
    kind,
    objectType,
    ...(objectName !== undefined ? { objectName } : {}),
    attribute,
    ...(time !== undefined ? { time } : {}),
    ...(step !== undefined ? { step } : {}),
    ...(scenario !== undefined ? { scenario } : {}),
    bound,
    ...(value !== undefined ? { value } : {}),
    name,
    text: `${subject}: ${words}${when}${limit}`,
    internal,
  };
}

/**
 * The conflict's rows and the column bounds that take part in it: first those a user sets or
 * recognises (balances, limits from SHOP attributes), then the formulation's own (production
 * curves and their segments); rows before bounds within each. Columns marked `free` only
 * occur in the conflicting rows (their own bounds do not matter) and are left out.
 */
export function describeConflict(conflict: SolverConflict, steps: ReadonlyArray<{ start: string }>): ConflictItem[] {
  const described = [
    ...conflict.rows.map((row) => describe(row, 'constraint', steps)),
    ...conflict.columns.filter((column) => column.bound !== 'free').map((column) => describe(column, 'bound', steps)),
  ];
  return [...described.filter((item) => !item.internal), ...described.filter((item) => item.internal)].map(
    ({ internal: _internal, ...item }) => item,
  );
}

export function conflictReport(conflict: SolverConflict, steps: ReadonlyArray<{ start: string }>): ConflictReport {
  return { irreducible: conflict.irreducible, items: describeConflict(conflict, steps) };
}

/** Session log lines: a heading, then one line per item (at most `limit`). */
export function conflictLogLines(report: ConflictReport, limit = 50): string[] {
  const { items } = report;
  const heading = report.irreducible
    ? `Conflicting constraints (a minimal infeasible set, HiGHS IIS): ${items.length}`
    : `Constraints that may conflict (the solver did not prove this set minimal): ${items.length}`;
  const lines = items.slice(0, limit).map((item) => `  ${item.text}`);
  if (items.length > limit) lines.push(`  ... and ${items.length - limit} more`);
  return [heading, ...lines];
}

/** One line for an answer's message: the first few items. */
export function conflictSummary(report: ConflictReport, shown = 5): string {
  const { items } = report;
  const more = items.length > shown ? `; and ${items.length - shown} more` : '';
  return `${items
    .slice(0, shown)
    .map((item) => item.text)
    .join('; ')}${more}`;
}
