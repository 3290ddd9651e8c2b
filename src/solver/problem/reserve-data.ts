/**
 * Reserve capacity (modelling-2.md §4), read from the model: reserve groups with their
 * obligations per product and direction and the generators connected to them, and each
 * generator's reserve limits, schedules and costs. The costs the commands may change
 * (`set reserve_penalty_cost`, ...) are applied per run (`withReserveSettings`).
 */
import type { Connection, ShopModelJson } from '../../shop/shop-json.js';
import type { SolverSettings } from '../../shop/solver-settings.js';
import { activeSeries, type HydroSystem, series } from './hydro-system.js';
import {
  RESERVE_DEFAULTS,
  RESERVE_KEYS,
  RESERVE_PRODUCTS,
  type PlantReserveData,
  type ReserveGroupData,
  type ReserveKey,
  type UnitRef,
  type UnitReserveData,
} from './reserve-types.js';

type Attributes = Record<string, unknown>;

/** Objects of `type` connected to `name` of `ownType`, written either way (a logical relation). */
function linked(connections: readonly Connection[], ownType: string, name: string, type: string): string[] {
  const names: string[] = [];
  for (const c of connections) {
    if (c.from_type === ownType && c.from === name && c.to_type === type) names.push(c.to);
    if (c.to_type === ownType && c.to === name && c.from_type === type) names.push(c.from);
  }
  return [...new Set(names)];
}

/** The system with the model's reserve groups and the generators' reserve attributes (`reserves`), when it has groups. */
export function withReserves(system: HydroSystem, model: ShopModelJson): HydroSystem {
  const groups = Object.entries((model.model.reserve_group ?? {}) as Record<string, Attributes>);
  if (!groups.length) return system;
  const connections = model.connections ?? [];
  const unitIndex = new Map<string, UnitRef>();
  const pumpIndex = new Map<string, UnitRef>();
  system.plants.forEach((plant, p) => {
    plant.generators.forEach((generator, g) => unitIndex.set(generator.name, { plant: p, generator: g }));
    (plant.pumps ?? []).forEach((pump, k) => pumpIndex.set(pump.name, { plant: p, generator: k }));
  });
  const global = Object.assign({}, ...Object.values(model.model.global_settings ?? {})) as Attributes;
  const units = system.plants.map((plant) =>
    plant.generators.map((generator) =>
      unitReserveData(model, model.model.generator?.[generator.name] ?? {}, generator.pNom),
    ),
  );
  const num = (name: string, fallback: number) =>
    typeof global[name] === 'number' ? (global[name] as number) : fallback;
  return {
    ...system,
    reserves: {
      groups: groups.map(([name, a]): ReserveGroupData => {
        const obligation: ReserveGroupData['obligation'] = {};
        for (const key of RESERVE_KEYS) {
          if (a[`${key}_obligation`] !== undefined) obligation[key] = series(model, a, `${key}_obligation`, 0);
        }
        const penaltyCost: ReserveGroupData['penaltyCost'] = {};
        for (const product of RESERVE_PRODUCTS) {
          if (a[`${product}_penalty_cost`] !== undefined) {
            penaltyCost[product] = series(model, a, `${product}_penalty_cost`, 0);
          }
        }
        const units = linked(connections, 'reserve_group', name, 'generator')
          .map((generator) => unitIndex.get(generator))
          .filter((ref): ref is UnitRef => ref !== undefined);
        // A reserve market trades its key in the group: with no obligation of it, against 0.
        const markets = linked(connections, 'reserve_group', name, 'market')
          .map((market) => system.markets.findIndex((m) => m.name === market))
          .filter((m) => m >= 0 && system.markets[m].reserveType !== undefined);
        for (const m of markets) obligation[system.markets[m].reserveType!] ??= system.steps.map(() => 0);
        const pumps = linked(connections, 'reserve_group', name, 'pump')
          .map((pump) => pumpIndex.get(pump))
          .filter((ref): ref is UnitRef => ref !== undefined);
        return { name, obligation, penaltyCost, units, markets, ...(pumps.length ? { pumps } : {}) };
      }),
      units: withCapabilities(model, units, unitIndex),
      plants: system.plants.map((plant) => plantReserveData(model, model.model.plant?.[plant.name] ?? {})),
      ...(system.plants.some((plant) => plant.pumps?.length)
        ? {
            pumps: system.plants.map((plant) =>
              (plant.pumps ?? []).map((pump) => unitReserveData(model, model.model.pump?.[pump.name] ?? {}, pump.pNom)),
            ),
          }
        : {}),
      penaltyCost: num('reserve_group_penalty_cost', RESERVE_DEFAULTS.penaltyCost),
      slackCost: num('reserve_group_slack_cost', RESERVE_DEFAULTS.slackCost),
      schedulePenaltyCost: num('reserve_schedule_penalty_cost', RESERVE_DEFAULTS.schedulePenaltyCost),
      rampingCost: num('gen_reserve_ramping_cost', RESERVE_DEFAULTS.rampingCost),
      pumpRampingCost: num('pump_reserve_ramping_cost', RESERVE_DEFAULTS.pumpRampingCost),
      minFreeCapFactor: num('gen_reserve_min_free_cap_factor', RESERVE_DEFAULTS.minFreeCapFactor),
      fcrNEquality: num('fcr_n_equality_flag', 0) !== 0,
      fcrNBand: num('fcr_n_band', RESERVE_DEFAULTS.fcrNBand),
      fcrDBand: num('fcr_d_band', RESERVE_DEFAULTS.fcrDBand),
      droopDiscretizationLimit: num('droop_discretization_limit', RESERVE_DEFAULTS.droopDiscretizationLimit),
      contributionCost: num('reserve_contribution_cost', RESERVE_DEFAULTS.contributionCost),
      ...(typeof global.droop_cost_exponent === 'number' ? { droopCostExponent: global.droop_cost_exponent } : {}),
      ...(typeof global.droop_ref_value === 'number' ? { droopRefValue: global.droop_ref_value } : {}),
    },
  };
}

/**
 * `gen_reserve_capability` objects (14.4) on their generators: `p_extended` for the key of its
 * `reserve_type_name` (e.g. `FCR_D_UP`), and its `schedule` as the unit's schedule of that key
 * where the unit has none of its own.
 */
function withCapabilities(
  model: ShopModelJson,
  units: UnitReserveData[][],
  unitIndex: Map<string, UnitRef>,
): UnitReserveData[][] {
  const connections = model.connections ?? [];
  const capabilities = Object.entries((model.model.gen_reserve_capability ?? {}) as Record<string, Attributes>);
  for (const [name, a] of capabilities) {
    const key = String(a.reserve_type_name ?? '').toLowerCase() as ReserveKey;
    if (!RESERVE_KEYS.includes(key)) continue;
    const valueOf = (attribute: string) =>
      typeof a[attribute] === 'number'
        ? series(model, {}, attribute, a[attribute] as number)
        : series(model, a, attribute, Number.NaN);
    for (const generator of linked(connections, 'gen_reserve_capability', name, 'generator')) {
      const ref = unitIndex.get(generator);
      if (!ref) continue;
      const data = units[ref.plant][ref.generator];
      if (a.p_extended !== undefined) (data.pExtended ??= {})[key] = valueOf('p_extended');
      if (a.schedule !== undefined && !data.schedule[key]) data.schedule[key] = valueOf('schedule');
    }
  }
  return units;
}

function plantReserveData(model: ShopModelJson, a: Attributes): PlantReserveData {
  const data: PlantReserveData = {};
  const limits = [
    ['frrUpMin', 'frr_up_min'],
    ['frrUpMax', 'frr_up_max'],
    ['frrDownMin', 'frr_down_min'],
    ['frrDownMax', 'frr_down_max'],
    ['rrUpMin', 'rr_up_min'],
    ['spinningUpMax', 'spinning_reserve_up_max'],
    ['spinningDownMax', 'spinning_reserve_down_max'],
  ] as const;
  for (const [field, attribute] of limits) {
    const values = activeSeries(model, a, attribute);
    if (values) data[field] = values;
  }
  if (a.frr_symmetric_flag !== undefined) data.frrSymmetric = series(model, a, 'frr_symmetric_flag', 0);
  return data;
}

function unitReserveData(model: ShopModelJson, a: Attributes, pNom: number): UnitReserveData {
  const data: UnitReserveData = {
    min: {},
    max: {},
    schedule: {},
    cost: {},
    droopMin: series(model, a, 'droop_min', 1),
    droopMax: series(model, a, 'droop_max', 12),
    pNom,
  };
  const fixedDroop = activeSeries(model, a, 'fixed_droop');
  if (fixedDroop) data.fixedDroop = fixedDroop;
  if (a.droop_cost !== undefined) data.droopCost = series(model, a, 'droop_cost', 0);
  const discrete = a.discrete_droop_values;
  if (Array.isArray(discrete)) {
    const legal = discrete.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
    if (legal.length) data.discreteDroopValues = [...new Set(legal)].sort((x, y) => x - y);
  }
  for (const key of RESERVE_KEYS) {
    const min = activeSeries(model, a, `${key}_min`);
    if (min) data.min[key] = min;
    const max = activeSeries(model, a, `${key}_max`);
    if (max) data.max[key] = max;
    const schedule = activeSeries(model, a, `${key}_schedule`);
    if (schedule) data.schedule[key] = schedule;
    if (a[`${key}_cost`] !== undefined) data.cost[key] = series(model, a, `${key}_cost`, 0);
  }
  const spinningUp = activeSeries(model, a, 'spinning_reserve_up_max');
  if (spinningUp) data.spinningUpMax = spinningUp;
  const spinningDown = activeSeries(model, a, 'spinning_reserve_down_max');
  if (spinningDown) data.spinningDownMax = spinningDown;
  if (a.p_fcr_min !== undefined) data.pFcrMin = series(model, a, 'p_fcr_min', 0);
  if (a.p_fcr_max !== undefined) data.pFcrMax = series(model, a, 'p_fcr_max', 0);
  if (a.p_rr_min !== undefined) data.pRrMin = series(model, a, 'p_rr_min', 0);
  if (a.fcr_mip_flag !== undefined) data.fcrMipFlag = series(model, a, 'fcr_mip_flag', 0);
  if (a.reserve_ramping_cost_up !== undefined) data.rampingCostUp = series(model, a, 'reserve_ramping_cost_up', 0);
  if (a.reserve_ramping_cost_down !== undefined) {
    data.rampingCostDown = series(model, a, 'reserve_ramping_cost_down', 0);
  }
  return data;
}

/** The run's reserve costs: the commands' values (`set reserve_penalty_cost`, ...) over the model's. */
export function withReserveSettings(system: HydroSystem, settings: SolverSettings): HydroSystem {
  const reserves = system.reserves;
  if (!reserves) return system;
  return {
    ...system,
    reserves: {
      ...reserves,
      penaltyCost: settings.reservePenaltyCost ?? reserves.penaltyCost,
      slackCost: settings.reserveSlackCost ?? reserves.slackCost,
      schedulePenaltyCost: settings.reserveSchedulePenaltyCost ?? reserves.schedulePenaltyCost,
      rampingCost: settings.reserveRampingCost ?? reserves.rampingCost,
      pumpRampingCost: settings.reserveRampingCost ?? reserves.pumpRampingCost,
      minFreeCapFactor: settings.reserveMinCapacity ?? reserves.minFreeCapFactor,
      fcrNEquality: settings.fcrNEquality ?? reserves.fcrNEquality,
      fcrNBand: settings.fcrNBand ?? reserves.fcrNBand,
      fcrDBand: settings.fcrDBand ?? reserves.fcrDBand,
      droopDiscretizationLimit: settings.droopDiscretizationLimit ?? reserves.droopDiscretizationLimit,
      droopCostExponent: settings.droopCostExponent ?? reserves.droopCostExponent,
      droopRefValue: settings.droopRefValue ?? reserves.droopRefValue,
    },
  };
}
