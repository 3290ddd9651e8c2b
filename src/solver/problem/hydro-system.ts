/**
 * The stored SHOP model of a session as plain, typed data for the problem builder: the time
 * steps of the horizon, and per object the attributes the hydro model uses, with every
 * series read over the horizon step by step. Pure; what is missing is reported with the
 * path the user has to fix.
 */
import type { Connection, ShopModelJson, Txy, Xy } from '../../shop/shop-json.js';
import { RESERVE_KEYS, type ReserveKey, type ReserveSystem } from './reserve-types.js';
import { expandSeries, stepStarts } from '../../shop/time-steps.js';
import { readWaterways, type Waterways } from './waterways.js';
import type { CutLevel, WeightedLevel } from '../physics/cuts.js';
import type { DelayMatrix } from '../physics/delay.js';
import { EndValueTableError, tableEndValue, type TableEndValue, waterValueTables } from '../physics/end-value.js';

export interface Step {
  start: string;
  hours: number;
}

export interface ReservoirData {
  name: string;
  maxVol: number;
  lrl: number;
  hrl: number;
  volHead: Xy;
  startVol?: number;
  startHead?: number;
  /** m3/s per step */
  inflow: number[];
  energyValueInput: number;
  /**
   * `water_value_input` with one table (modelling-2.md §5): the end value that beats
   * `energy_value_input`. Undefined without one, or for a reservoir of a cut group.
   */
  endValueTable?: TableEndValue;
  /** Connected to a cut_group: its `water_value_input` holds cut coefficients. */
  cutGroup?: string;
  flowDescr?: Xy;
  /** Soft storage limits per step (Mm3, at the end of the step); undefined where not active. */
  minVolConstr?: Array<number | undefined>;
  maxVolConstr?: Array<number | undefined>;
  /** currency per Mm3 of overflow per step where `overflow_cost` is active; undefined: the global cost. */
  overflowCost?: Array<number | undefined>;
  /** per step, SHOP's `overflow_mip_flag` (1: no spill unless full, with binaries) */
  overflowMipFlag?: number[];
}

/** What generators and pumps share: a unit on a penstock of its plant, with its curves and limits. */
export interface UnitData {
  name: string;
  /** 1-based, as SHOP numbers penstocks. */
  penstock: number;
  /** MW produced (generator) or consumed (pump) */
  pMin: number;
  pMax: number;
  pNom: number;
  /** Generator (or motor) efficiency (%) vs MW; absent: 100 %. */
  genEff?: Xy;
  /** Turbine efficiency vs discharge per net head, or pump efficiency vs upflow per lift (`ref`, m). */
  turbEff: Xy[];
  /** per step */
  startcost: number[];
  /** 0 off, 1 on before the first step; undefined when not given (SHOP's -1, the default: unknown). */
  initialState?: 0 | 1;
}

export type GeneratorData = UnitData;

/** A pump unit of a plant (modelling-2.md §1): consumes power to move water upstream. */
export interface PumpData extends UnitData {
  stopcost: number[];
  /** per step: in maintenance (u = 0) */
  maintenance: boolean[];
  /** per step: the commitment `committed_in` fixes where `committed_flag` is set */
  committedIn: Array<0 | 1 | undefined>;
  /** m, per step where active */
  upstreamMax?: Array<number | undefined>;
  downstreamMin?: Array<number | undefined>;
  /** MW / m3/s, per step where active */
  consumptionSchedule?: Array<number | undefined>;
  upflowSchedule?: Array<number | undefined>;
}

/**
 * An object water flows into or out of: a reservoir (water balance in Mm3) or an object
 * without storage (river, tunnel, ...) whose family writes a flow balance (m3/s).
 */
export interface WaterRef {
  type: string;
  name: string;
}

/** The object types water can flow between (the others are logical: units, markets, ...). */
export const WATER_OBJECT_TYPES: ReadonlySet<string> = new Set([
  'reservoir',
  'plant',
  'gate',
  'river',
  'tunnel',
  'junction',
  'junction_gate',
  'creek_intake',
]);

export interface PlantData {
  name: string;
  /** The reservoir it takes water from, when it is fed by one directly (its level is the head). */
  upstream?: string;
  /** The reservoir it releases into, when directly; undefined: a river, tunnel, ... or out of the system. */
  downstream?: string;
  /** Where its water comes from and goes to (any water object); undefined: nothing / out of the system. */
  from?: WaterRef;
  to?: WaterRef;
  outletLine: number;
  mainLoss: number;
  penstockLoss: number[];
  /** In steps (the model's time_delay_unit decides what the stored number means). */
  timeDelay: number;
  /** `shape_discharge` (hours after release -> relative share): replaces time_delay when given. */
  shapeDischarge?: Xy;
  /** currency per Mm3 per step where `discharge_fee` is active: values the water still in transit at the end. */
  dischargeFee?: Array<number | undefined>;
  /** The release's arrivals downstream (run-setup.ts, from time_delay or shape_discharge); undefined: none. */
  delay?: DelayMatrix;
  /** per step, SHOP's mip_flag (1: binaries for this plant's units) */
  mipFlag: number[];
  generators: GeneratorData[];
  /** Pump units (modelling-2.md §1); absent or empty for most plants. */
  pumps?: PumpData[];
  /** m, per step: the pumps' intake level (gross lift uses max(upstream level, intake_line)); undefined: none. */
  intakeLine?: number[];
  /** currency per MWh consumed by its pumps, per step where active. */
  consumptionFee?: Array<number | undefined>;
}

export interface GateData {
  name: string;
  /** The reservoirs it takes from and releases into, when directly. */
  upstream?: string;
  downstream?: string;
  /** Where its water comes from and goes to (any water object); undefined: out of the system. */
  from?: WaterRef;
  to?: WaterRef;
  kind: 'default' | 'spill' | 'bypass';
  maxDischarge?: number;
  timeDelay: number;
  shapeDischarge?: Xy;
  dischargeFee?: Array<number | undefined>;
  delay?: DelayMatrix;
  /** Flow functions, schedules, limits and ramping (gate-data.ts); undefined: a free column. */
  functions?: GateFunctionData;
}

/** A gate's flow functions (modelling-2.md §3.2; gate-data.ts, families/gate-functions.ts). */
export interface GateFunctionData {
  /** `functions_meter_m3s`: upstream level (m) → m3/s, one curve per setting (ref). */
  meter?: Xy[];
  /** `functions_deltameter_m3s`: upstream − downstream level (m) → m3/s, one curve per upstream level (ref). */
  deltaMeter?: Xy[];
  /** per step: 0 free, 1 schedule (m3/s or percent of max_discharge), 2 flow from the level by the functions */
  scheduleFlag: number[];
  scheduleM3s?: number[];
  schedulePercent?: number[];
  /** per step where `setting_flag` lets it: the ref picking the meter curves */
  setting?: Array<number | undefined>;
  /** Volume released over a step (Mm3) = a·V_up(start of step) + b. */
  linRel?: { a: number; b: number };
  /** m3/s, per step where active */
  minFlow?: Array<number | undefined>;
  maxFlow?: Array<number | undefined>;
  /** currency per Mm3 below min_flow / above max_flow where the limit is soft (min/max_q_penalty_*); else hard */
  minFlowPenaltyCost?: Array<number | undefined>;
  maxFlowPenaltyCost?: Array<number | undefined>;
  /** m3/s per hour, per step where active */
  rampingUp?: Array<number | undefined>;
  rampingDown?: Array<number | undefined>;
  /** currency per m3/s of ramping beyond the limit, per step; undefined: hard ramping */
  rampPenaltyCost?: number[];
  /** slack on the rows that set the flow and on min/max_flow, at GATE_SLACK_COST */
  addSlack: boolean;
  /** x: m3/s, y: currency per m3/s and hour above x (convex steps): replaces the spill / overflow cost */
  spillCostCurve?: Xy;
}

/** A river (modelling-2.md §3.4): a storage-less stretch with a travel time; families/rivers.ts. */
export interface RiverData {
  name: string;
  upstreamElevation: number;
  /** Water objects flowing into its top (any number) and the one it flows into (undefined: out of the system). */
  inputs: WaterRef[];
  to?: WaterRef;
  /** m3/s per step, entering at the top */
  inflow: number[];
  minFlow?: Array<number | undefined>;
  maxFlow?: Array<number | undefined>;
  /** currency per m3/s and hour, per step */
  minFlowPenaltyCost: number[];
  maxFlowPenaltyCost: number[];
  flowCost?: number[];
  /** x: m3/s, y: currency per m3/s and hour above x (convex steps), already scaled by cost_curve_scaling */
  flowCostCurve?: Xy;
  flowSchedule?: Array<number | undefined>;
  flowSchedulePenaltyCost: number[];
  /** m3/s per hour, per step */
  rampingUp?: Array<number | undefined>;
  rampingDown?: Array<number | undefined>;
  rampingUpPenaltyCost?: number[];
  rampingDownPenaltyCost?: number[];
  /** hours */
  timeDelayConst?: number;
  timeDelayCurve?: Xy[];
  /** Its own past_upstream_flow, else what the rivers above pass on (river-data.ts). */
  pastUpstreamFlow?: Xy;
  /** The past upstream flow that left its bottom before the start: passed on to the river below. */
  distributedPastFlow?: Xy;
  delayedWaterEnergyValue?: number;
  mainRiver: boolean;
  mipFlag: number[];
  upHeadFlowCurve?: Xy[];
  /** width (m) at depth above upstream_elevation (m) */
  widthDepthCurve?: Xy;
  /** gate position → gate height (m above upstream_elevation, Tarn) */
  gateOpeningCurve?: Xy;
  /** gate position per step where scheduled; elsewhere the position is optimised */
  gateOpeningSchedule?: Array<number | undefined>;
  /** x: upper − lower level (m), y: m3/s (two-way), one curve per upper / lower level (ref) */
  deltaHeadUpFlowCurve?: Xy[];
  deltaHeadDownFlowCurve?: Xy[];
  /** The gate's position before the first step (families/river-gates.ts). */
  initialGateOpening?: number;
  /** currency per m the gate height moves, per step */
  gateAdjustmentCost?: number[];
  /** m per hour the gate height may move, per step (soft with gateRampingPenaltyCost) */
  gateRamping?: Array<number | undefined>;
  /** currency per m and hour of gate movement beyond gate_ramping */
  gateRampingPenaltyCost?: number[];
}

export interface MarketData {
  name: string;
  /** `market_type` other than ENERGY: the reserve it trades (modelling-2.md §4); undefined: energy. */
  reserveType?: ReserveKey;
  salePrice: number[];
  buyPrice: number[];
  maxSale: number[];
  maxBuy: number[];
  load: number[];
}

/**
 * SHOP's `global_settings` that the model uses: penalty flags and costs (currency per Mm3 or
 * MWh), with SHOP's defaults.
 */
export interface GlobalSettingsData {
  rsvPenaltyFlag: boolean;
  loadPenaltyFlag: boolean;
  rsvPenaltyCost: number;
  rsvHardLimitPenaltyCost: number;
  loadPenaltyCost: number;
  overflowCost: number;
  /** Pumps (modelling-2.md §1). */
  pumpTurnOffLimit: number;
  pumpHeadOptimization: boolean;
  pumpSchedulePenaltyFlag: boolean;
  pumpSchedPenaltyCostUp: number;
  pumpSchedPenaltyCostDown: number;
  /** currency per Mm3 and hour since the start, added to the overflow cost */
  overflowCostTimeFactor: number;
  /** SHOP's `universal_overflow_mip`: 1 on, 0 off, −1 not set (the reservoirs' flags decide) */
  universalOverflowMip: number;
  /** currency per m3/s and hour: the default of the rivers' flow penalty costs */
  riverFlowPenaltyCost: number;
  riverFlowSchedulePenaltyCost: number;
}

export const SHOP_GLOBAL_SETTINGS: Readonly<GlobalSettingsData> = Object.freeze({
  rsvPenaltyFlag: true,
  loadPenaltyFlag: true,
  rsvPenaltyCost: 10_000_000,
  rsvHardLimitPenaltyCost: 9_000_000,
  loadPenaltyCost: 5000,
  overflowCost: 50_000,
  pumpTurnOffLimit: 0.5,
  pumpHeadOptimization: false,
  pumpSchedulePenaltyFlag: true,
  pumpSchedPenaltyCostUp: 1_000_000,
  pumpSchedPenaltyCostDown: 1_000_000,
  overflowCostTimeFactor: -1e-6,
  universalOverflowMip: -1,
  // Tarn: SHOP documents no default for the river penalty costs; high, as its other penalties.
  riverFlowPenaltyCost: 1_000_000,
  riverFlowSchedulePenaltyCost: 1_000_000,
});

export interface HydroSystem {
  steps: Step[];
  globalSettings: GlobalSettingsData;
  reservoirs: ReservoirData[];
  plants: PlantData[];
  gates: GateData[];
  markets: MarketData[];
  /** Tunnel networks with the legacy junctions and creek intakes (waterways.ts); undefined: none. */
  waterways?: Waterways;
  /** Read by river-data.ts (`withRivers`); undefined: none. */
  rivers?: RiverData[];
  /** Read by cut-data.ts (`withCutGroups`, modelling-2.md §5); undefined: none. */
  cutGroups?: CutGroupData[];
  /** Read by reserve-data.ts (`withReserves`, modelling-2.md §4); undefined: no reserve groups. */
  reserves?: ReserveSystem;
}

/** A cut group (cut-data.ts): the future income of its reservoirs' water, bounded by cuts. */
export interface CutGroupData {
  name: string;
  /** The group's reservoirs (indices into system.reservoirs), in connection order. */
  reservoirs: number[];
  /** Sorted by price. */
  levels: CutLevel[];
  /** The levels the objective weighs, by the mean sale price (one for standard cuts). */
  weights: WeightedLevel[];
  /** The mean sale price the weights come from (price-dependent cuts only). */
  meanPrice?: number;
}

/** The model cannot be optimized as it is; `path` names what to fix. */
export class HydroModelError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong there, without the path. */
    readonly reason: string,
    /**
     * A value Tarn refuses (the spec's "Tarn rejects with 400"), not something missing: the
     * run's caller answers 400 instead of 422.
     */
    readonly rejected = false,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'HydroModelError';
  }
}

type Attributes = Record<string, unknown>;

const HOUR_MS = 3_600_000;

function required<T>(attributes: Attributes, path: string, name: string): T {
  const value = attributes[name];
  if (value === undefined) throw new HydroModelError(`${path}.${name}`, 'is required to optimize');
  return value as T;
}

/** Steps of the horizon with their lengths in hours. */
export function timeSteps(model: ShopModelJson): Step[] {
  if (!model.time) throw new HydroModelError('time', 'the model has no time node (start_time, end_time, time_unit)');
  const starts = stepStarts(model.time);
  const ends = [...starts.slice(1), model.time.end_time];
  return starts.map((start, t) => ({ start, hours: (Date.parse(ends[t]) - Date.parse(start)) / HOUR_MS }));
}

/** A series attribute over the horizon (a default when the attribute is not set). */
export function series(model: ShopModelJson, attributes: Attributes, name: string, fallback: number): number[] {
  const value = attributes[name] as Txy | undefined;
  const steps = stepStarts(model.time!);
  return value ? expandSeries(value, model.time!) : steps.map(() => fallback);
}

/**
 * A limit series where it is active: everywhere it is given, except where its `<name>_flag`
 * series (when given) is 0. Undefined when the attribute is not set at all.
 */
export function activeSeries(
  model: ShopModelJson,
  attributes: Attributes,
  name: string,
): Array<number | undefined> | undefined {
  if (attributes[name] === undefined) return undefined;
  const values = series(model, attributes, name, 0);
  const flags = series(model, attributes, `${name}_flag`, 1);
  return values.map((value, t) => (flags[t] !== 0 ? value : undefined));
}

function globalSettings(model: ShopModelJson): GlobalSettingsData {
  const objects = Object.values(model.model.global_settings ?? {}) as Attributes[];
  const a: Attributes = Object.assign({}, ...objects);
  const num = (name: string, fallback: number) => (typeof a[name] === 'number' ? (a[name] as number) : fallback);
  const d = SHOP_GLOBAL_SETTINGS;
  return {
    rsvPenaltyFlag: num('rsv_penalty_flag', 1) !== 0,
    loadPenaltyFlag: num('load_penalty_flag', 1) !== 0,
    rsvPenaltyCost: num('rsv_penalty_cost', d.rsvPenaltyCost),
    rsvHardLimitPenaltyCost: num('rsv_hard_limit_penalty_cost', d.rsvHardLimitPenaltyCost),
    loadPenaltyCost: num('load_penalty_cost', d.loadPenaltyCost),
    overflowCost: num('overflow_cost', d.overflowCost),
    pumpTurnOffLimit: num('pump_turn_off_limit', d.pumpTurnOffLimit),
    pumpHeadOptimization: num('pump_head_optimization', 0) !== 0,
    pumpSchedulePenaltyFlag: num('pump_schedule_penalty_flag', 1) !== 0,
    pumpSchedPenaltyCostUp: num('pump_sched_penalty_cost_up', d.pumpSchedPenaltyCostUp),
    pumpSchedPenaltyCostDown: num('pump_sched_penalty_cost_down', d.pumpSchedPenaltyCostDown),
    overflowCostTimeFactor: num('overflow_cost_time_factor', d.overflowCostTimeFactor),
    universalOverflowMip: num('universal_overflow_mip', d.universalOverflowMip),
    riverFlowPenaltyCost: num('river_flow_penalty_cost', d.riverFlowPenaltyCost),
    riverFlowSchedulePenaltyCost: num(
      'river_flow_schedule_penalty_cost',
      num('river_flow_penalty_cost', d.riverFlowSchedulePenaltyCost),
    ),
  };
}

const connected = (connections: Connection[], from: string, fromType: string, toType: string) =>
  connections.filter((c) => c.from_type === fromType && c.from === from && c.to_type === toType).map((c) => c.to);

/** The water objects connected into / out of an object (either direction written for none: water is directed). */
export function waterNeighbours(
  connections: Connection[],
  type: string,
  name: string,
  side: 'from' | 'to',
): WaterRef[] {
  return side === 'to'
    ? connections
        .filter((c) => c.from_type === type && c.from === name && WATER_OBJECT_TYPES.has(c.to_type))
        .map((c) => ({ type: c.to_type, name: c.to }))
    : connections
        .filter((c) => c.to_type === type && c.to === name && WATER_OBJECT_TYPES.has(c.from_type))
        .map((c) => ({ type: c.from_type, name: c.from }));
}

/** A generator's or pump's unit attributes (`path`: where a missing one is reported). */
function unitData(model: ShopModelJson, a: Attributes, path: string, name: string): UnitData {
  const pMax = required<number>(a, path, 'p_max');
  return {
    name,
    penstock: (a.penstock as number | undefined) ?? 1,
    pMin: (a.p_min as number | undefined) ?? 0,
    pMax,
    pNom: (a.p_nom as number | undefined) ?? pMax,
    genEff: a.gen_eff_curve as Xy | undefined,
    turbEff: required(a, path, 'turb_eff_curves'),
    startcost: series(model, a, 'startcost', 0),
    initialState: initialState(a.initial_state),
  };
}

/** SHOP's `initial_state`: 1 on, 0 off; -1 (SHOP's default) and anything else mean unknown. */
export function initialState(value: unknown): 0 | 1 | undefined {
  return value === 0 || value === 1 ? value : undefined;
}

/** The one water object on one side of an object; more than one is a modelling error. */
function oneWaterNeighbour(
  connections: Connection[],
  type: string,
  name: string,
  side: 'from' | 'to',
): WaterRef | undefined {
  const refs = waterNeighbours(connections, type, name, side);
  const what = side === 'to' ? 'downstream water objects' : 'upstream water objects';
  atMostOne(
    refs.map((r) => `${r.type} ${r.name}`),
    `model.${type}.${name}`,
    what,
  );
  return refs[0];
}

const reservoirName = (ref: WaterRef | undefined) => (ref?.type === 'reservoir' ? ref.name : undefined);

/** The one object a relation may have; more than one is a modelling error. */
function atMostOne(names: string[], path: string, what: string): string | undefined {
  if (names.length > 1) {
    throw new HydroModelError(path, `has ${names.length} ${what} (${names.join(', ')}); one is supported`);
  }
  return names[0];
}

export function hydroSystem(model: ShopModelJson): HydroSystem {
  const steps = timeSteps(model);
  const reader: Reader = {
    model,
    connections: model.connections ?? [],
    objects: (type: string) => Object.entries(model.model[type] ?? {}) as Array<[string, Attributes]>,
  };
  const reservoirs = readReservoirs(reader);
  const plants = readPlants(reader);
  const gates = readGates(reader);
  const markets = readMarkets(reader);
  const settings = globalSettings(model);
  const waterways = readWaterways(model, settings.overflowCost, (path, reason) => {
    throw new HydroModelError(path, reason);
  });
  return { steps, globalSettings: settings, reservoirs, plants, gates, markets, ...(waterways ? { waterways } : {}) };
}

/** What the readers of each object type share. */
interface Reader {
  model: ShopModelJson;
  connections: Connection[];
  objects: (type: string) => Array<[string, Attributes]>;
}

function readReservoirs({ model, connections, objects }: Reader): ReservoirData[] {
  return objects('reservoir').map(([name, a]): ReservoirData => {
    const path = `model.reservoir.${name}`;
    const startVol = a.start_vol as number | undefined;
    const startHead = a.start_head as number | undefined;
    if (startVol === undefined && startHead === undefined) {
      throw new HydroModelError(`${path}.start_vol`, 'start_vol or start_head is required to optimize');
    }
    return {
      name,
      maxVol: required(a, path, 'max_vol'),
      lrl: required(a, path, 'lrl'),
      hrl: required(a, path, 'hrl'),
      volHead: required(a, path, 'vol_head'),
      startVol,
      startHead,
      inflow: series(model, a, 'inflow', 0),
      energyValueInput: (a.energy_value_input as number | undefined) ?? 0,
      ...endValueOf(connections, name, a, path),
      flowDescr: a.flow_descr as Xy | undefined,
      minVolConstr: activeSeries(model, a, 'min_vol_constr'),
      maxVolConstr: activeSeries(model, a, 'max_vol_constr'),
      overflowCost: activeSeries(model, a, 'overflow_cost'),
      overflowMipFlag: a.overflow_mip_flag === undefined ? undefined : series(model, a, 'overflow_mip_flag', 0),
    };
  });
}

/** A reservoir's cut group, or the end value of its one water-value table (modelling-2.md §5). */
function endValueOf(
  connections: Connection[],
  name: string,
  a: Attributes,
  path: string,
): Pick<ReservoirData, 'endValueTable' | 'cutGroup'> {
  const cutGroup = [
    ...connected(connections, name, 'reservoir', 'cut_group'),
    ...connections
      .filter((c) => c.to === name && c.from_type === 'cut_group' && c.to_type === 'reservoir')
      .map((c) => c.from),
  ][0];
  if (cutGroup !== undefined) return { cutGroup };
  const tables = waterValueTables(a.water_value_input);
  if (!tables.length) return {};
  if (tables.length > 1) {
    throw new HydroModelError(
      `${path}.water_value_input`,
      `${tables.length} tables are cuts (one per price level), but reservoir ${name} is not connected to a cut_group`,
      true,
    );
  }
  try {
    return { endValueTable: tableEndValue(tables[0]) };
  } catch (error) {
    if (!(error instanceof EndValueTableError)) throw error;
    throw new HydroModelError(`${path}.water_value_input`, `reservoir ${name}: ${error.reason}`, true);
  }
}

function readPlants({ model, connections, objects }: Reader): PlantData[] {
  const generatorsOf = (plant: string) =>
    objects('generator').filter(
      ([name]) =>
        connected(connections, name, 'generator', 'plant').includes(plant) ||
        connected(connections, plant, 'plant', 'generator').includes(name),
    );

  return objects('plant').map(([name, a]): PlantData => {
    const path = `model.plant.${name}`;
    const generators = generatorsOf(name).map(([generator, g]) =>
      unitData(model, g, `model.generator.${generator}`, generator),
    );
    const pumps = pumpsOf(model, connections, objects, name);
    if (!generators.length && !pumps.length) throw new HydroModelError(path, 'has no generator connected to it');
    const from = oneWaterNeighbour(connections, 'plant', name, 'from');
    const to = oneWaterNeighbour(connections, 'plant', name, 'to');
    if (pumps.length && to?.type !== 'reservoir') {
      throw new HydroModelError(
        `model.pump.${pumps[0].name}`,
        `pumps from below plant ${name}, which has no downstream reservoir (connect plant ${name} to a reservoir)`,
      );
    }
    return {
      name,
      upstream: reservoirName(from),
      downstream: reservoirName(to),
      from,
      to,
      outletLine: (a.outlet_line as number | undefined) ?? 0,
      mainLoss: ((a.main_loss as number[] | undefined) ?? [0])[0] ?? 0,
      penstockLoss: (a.penstock_loss as number[] | undefined) ?? [0],
      timeDelay: (a.time_delay as number | undefined) ?? 0,
      shapeDischarge: a.shape_discharge as Xy | undefined,
      dischargeFee: activeSeries(model, a, 'discharge_fee'),
      mipFlag: series(model, a, 'mip_flag', 0),
      generators,
      pumps,
      intakeLine: a.intake_line === undefined ? undefined : series(model, a, 'intake_line', 0),
      consumptionFee: activeSeries(model, a, 'consumption_fee'),
    };
  });
}

function readGates({ model, connections, objects }: Reader): GateData[] {
  return objects('gate').map(([name, a]): GateData => {
    const into = connections.filter(
      (c) => c.to_type === 'gate' && c.to === name && WATER_OBJECT_TYPES.has(c.from_type),
    );
    const from = oneWaterNeighbour(connections, 'gate', name, 'from');
    const to = oneWaterNeighbour(connections, 'gate', name, 'to');
    return {
      name,
      upstream: reservoirName(from),
      downstream: reservoirName(to),
      from,
      to,
      kind: into[0]?.relation_type ?? 'default',
      maxDischarge: a.max_discharge as number | undefined,
      timeDelay: (a.time_delay as number | undefined) ?? 0,
      shapeDischarge: a.shape_discharge as Xy | undefined,
      dischargeFee: activeSeries(model, a, 'discharge_fee'),
    };
  });
}

/**
 * Markets. A price series without its limit (`max_sale`, `max_buy`) trades without limit, as
 * SHOP's examples rely on (the pyshop tunnel example sets prices only); without a price there
 * is nothing to trade.
 */
function readMarkets({ model, objects }: Reader): MarketData[] {
  const limit = (a: Attributes, name: string, price: string) =>
    series(model, a, name, a[price] === undefined ? 0 : Infinity);
  return objects('market').map(([name, a]): MarketData => ({
    name,
    ...marketType(a.market_type, `model.market.${name}.market_type`),
    salePrice: series(model, a, 'sale_price', 0),
    buyPrice: series(model, a, 'buy_price', 0),
    maxSale: limit(a, 'max_sale', 'sale_price'),
    maxBuy: limit(a, 'max_buy', 'buy_price'),
    load: series(model, a, 'load', 0),
  }));
}

/** `market_type`: ENERGY (the default) or the reserve key it names (`FCR_N_UP` … `RR_DOWN`). */
function marketType(value: unknown, path: string): Pick<MarketData, 'reserveType'> {
  if (value === undefined || (typeof value === 'string' && value.toUpperCase() === 'ENERGY')) return {};
  const key = typeof value === 'string' ? (value.toLowerCase() as ReserveKey) : undefined;
  if (key !== undefined && RESERVE_KEYS.includes(key)) return { reserveType: key };
  throw new HydroModelError(
    path,
    `${String(value)} is not a market type (ENERGY, ${RESERVE_KEYS.map((k) => k.toUpperCase()).join(', ')})`,
    true,
  );
}

/** The pumps of a plant (pump ↔ plant, either direction), read as PumpData. */
function pumpsOf(
  model: ShopModelJson,
  connections: Connection[],
  objects: (type: string) => Array<[string, Attributes]>,
  plant: string,
): PumpData[] {
  return objects('pump')
    .filter(
      ([name]) =>
        connected(connections, name, 'pump', 'plant').includes(plant) ||
        connected(connections, plant, 'plant', 'pump').includes(name),
    )
    .map(([name, a]): PumpData => {
      const path = `model.pump.${name}`;
      // committed_in counts where committed_flag is set (absent flag: active, as the limits' flags).
      const committed = a.committed_in === undefined ? undefined : series(model, a, 'committed_in', 0);
      const committedFlag = series(model, a, 'committed_flag', 1);
      return {
        ...unitData(model, a, path, name),
        stopcost: series(model, a, 'stopcost', 0),
        maintenance: series(model, a, 'maintenance_flag', 0).map((flag) => flag !== 0),
        committedIn: committedFlag.map((flag, t) =>
          committed && flag !== 0 ? ((committed[t] > 0 ? 1 : 0) as 0 | 1) : undefined,
        ),
        upstreamMax: activeSeries(model, a, 'upstream_max'),
        downstreamMin: activeSeries(model, a, 'downstream_min'),
        consumptionSchedule: activeSeries(model, a, 'consumption_schedule'),
        upflowSchedule: activeSeries(model, a, 'upflow_schedule'),
      };
    });
}
