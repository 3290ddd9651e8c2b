/** The reserve capacity data (modelling-2.md §4) of a HydroSystem: read by reserve-data.ts. */

export const RESERVE_PRODUCTS = ['fcr_n', 'fcr_d', 'frr', 'rr'] as const;
export type ReserveProduct = (typeof RESERVE_PRODUCTS)[number];
export type ReserveDirection = 'up' | 'down';
/** `<product>_<direction>`, as SHOP's attribute names start: `fcr_n_up`, ..., `rr_down`. */
export type ReserveKey = `${ReserveProduct}_${ReserveDirection}`;
export const RESERVE_KEYS: readonly ReserveKey[] = RESERVE_PRODUCTS.flatMap((p) => [
  `${p}_up` as const,
  `${p}_down` as const,
]);

export const productOf = (key: ReserveKey): ReserveProduct => key.replace(/_(up|down)$/, '') as ReserveProduct;
export const directionOf = (key: ReserveKey): ReserveDirection => (key.endsWith('_up') ? 'up' : 'down');

/** A generator, by its indices in `system.plants`. */
export interface UnitRef {
  plant: number;
  generator: number;
}

export interface ReserveGroupData {
  name: string;
  /** MW per step, for the keys the group has an `<key>_obligation` for. */
  obligation: Partial<Record<ReserveKey, number[]>>;
  /** The group's own `<product>_penalty_cost` (currency/MW) per step, where given. */
  penaltyCost: Partial<Record<ReserveProduct, number[]>>;
  /** The generators connected to the group (either direction), in connection order. */
  units: UnitRef[];
  /** The pumps connected to the group (`generator` indexes the plant's pumps); absent: none. */
  pumps?: UnitRef[];
  /** The reserve markets connected to the group (indices into system.markets). */
  markets: number[];
}

/** A generator's reserve attributes (undefined entries: not active at that step). */
export interface UnitReserveData {
  min: Partial<Record<ReserveKey, Array<number | undefined>>>;
  max: Partial<Record<ReserveKey, Array<number | undefined>>>;
  schedule: Partial<Record<ReserveKey, Array<number | undefined>>>;
  /** currency/MW per step */
  cost: Partial<Record<ReserveKey, number[]>>;
  pFcrMin?: number[];
  pFcrMax?: number[];
  pRrMin?: number[];
  /** currency per MW of change from the step before (`reserve_ramping_cost_up`/`_down`), where given. */
  rampingCostUp?: number[];
  rampingCostDown?: number[];
  /**
   * `spinning_reserve_up_max`/`_down_max` (MW): caps on the unit's spinning reserve, the part it
   * gives while running (FCR, FRR, RR; RR up from the stopped unit does not count).
   */
  spinningUpMax?: Array<number | undefined>;
  spinningDownMax?: Array<number | undefined>;
  /**
   * MW per step, per key: `p_extended` of a `gen_reserve_capability` of that `reserve_type_name`,
   * which replaces p_max (up) or p_min (down) in the row of its key.
   */
  pExtended?: Partial<Record<ReserveKey, number[]>>;
  /** `fcr_mip_flag` per step: FCR only with a binary w that also keeps free capacity. */
  fcrMipFlag?: number[];
  /** Droop (FCR): `droop_min`/`droop_max` (default 1, 12), `fixed_droop` (+ flag), `droop_cost` per step. */
  droopMin: number[];
  droopMax: number[];
  fixedDroop?: Array<number | undefined>;
  droopCost?: number[];
  /** `discrete_droop_values`: the legal droops of `set droop_discretization_limit` (else the integers). */
  discreteDroopValues?: number[];
  /** MW: `p_nom` (else p_max). */
  pNom: number;
}

/** A plant's limits on its generators' summed FRR and RR (MW per step; undefined: no limit at that step). */
export interface PlantReserveData {
  frrUpMin?: Array<number | undefined>;
  frrUpMax?: Array<number | undefined>;
  frrDownMin?: Array<number | undefined>;
  frrDownMax?: Array<number | undefined>;
  rrUpMin?: Array<number | undefined>;
  /** `frr_symmetric_flag` per step: each generator's FRR up equals its FRR down. */
  frrSymmetric?: number[];
  /** `spinning_reserve_up_max`/`_down_max`: caps on the generators' summed spinning reserve. */
  spinningUpMax?: Array<number | undefined>;
  spinningDownMax?: Array<number | undefined>;
}

export interface ReserveSystem {
  groups: ReserveGroupData[];
  /** [plant][generator] */
  units: UnitReserveData[][];
  /** [plant] */
  plants: PlantReserveData[];
  /** [plant][pump]: the pumps' reserve attributes (`<key>_max`, `<key>_cost` are read); absent: no pumps. */
  pumps?: UnitReserveData[][];
  /** currency per MW and hour: an obligation not met (`reserve_group_penalty_cost`, `set reserve_penalty_cost`). */
  penaltyCost: number;
  /** currency per MW and hour: delivery above the obligation (`reserve_group_slack_cost`, `set reserve_slack_cost`). */
  slackCost: number;
  /** currency per MW and hour: a delivery off its schedule (`reserve_schedule_penalty_cost`). */
  schedulePenaltyCost: number;
  /** currency per MW a unit's delivery changes from step to step, where the unit sets none (`gen_reserve_ramping_cost`, `set reserve_ramping_cost`). */
  rampingCost: number;
  /** The same for pumps (`pump_reserve_ramping_cost`; `set reserve_ramping_cost` sets both). */
  pumpRampingCost: number;
  /** `gen_reserve_min_free_cap_factor` (`set reserve_min_capacity`): free capacity of an FCR unit with fcr_mip_flag, × p_max. */
  minFreeCapFactor: number;
  /** `fcr_n_equality_flag` (`set fcr_n_equality_flag`): FCR-N up = FCR-N down per unit. */
  fcrNEquality: boolean;
  /** Hz: `fcr_n_band` (0.1), `fcr_d_band` (0.4): FCR ≤ 2·band·p_nom/droop. */
  fcrNBand: number;
  fcrDBand: number;
  /** `droop_discretization_limit` (`set droop_discretization_limit`, 0 = off): problem/droop-discretization.ts. */
  droopDiscretizationLimit: number;
  /** currency per generator and step with any reserve (`reserve_contribution_cost`; a binary each where > 0). */
  contributionCost: number;
  /** `droop_cost_exponent` (> 1) and `droop_ref_value`: the convex droop cost (`droopCostCurve`), when both are set. */
  droopCostExponent?: number;
  droopRefValue?: number;
}

/** SHOP's defaults (global_settings). */
export const RESERVE_DEFAULTS = Object.freeze({
  penaltyCost: 10_000,
  slackCost: 1e-6,
  schedulePenaltyCost: 10_000,
  rampingCost: 0,
  pumpRampingCost: 0,
  minFreeCapFactor: 0.02,
  fcrNEquality: false,
  fcrNBand: 0.1,
  fcrDBand: 0.4,
  droopDiscretizationLimit: 0,
  contributionCost: 0,
});

/**
 * The keys a generator delivers (has a delivery column for): those of the obligations of the
 * groups it belongs to, and those its own minimum or schedule asks for.
 */
export function offeredKeys(reserves: ReserveSystem, unit: UnitRef): ReserveKey[] {
  const data = reserves.units[unit.plant][unit.generator];
  const plant = reserves.plants[unit.plant] ?? {};
  const positive = (values?: Array<number | undefined>) => (values ?? []).some((v) => v !== undefined && v > 0);
  const plantMinimum: Partial<Record<ReserveKey, boolean>> = {
    frr_up: positive(plant.frrUpMin),
    frr_down: positive(plant.frrDownMin),
    rr_up: positive(plant.rrUpMin),
  };
  const keys = RESERVE_KEYS.filter(
    (key) =>
      reserves.groups.some(
        (group) =>
          group.obligation[key] !== undefined &&
          group.units.some((u) => u.plant === unit.plant && u.generator === unit.generator),
      ) ||
      positive(data.min[key]) ||
      (data.schedule[key] ?? []).some((v) => v !== undefined) ||
      plantMinimum[key] === true,
  );
  // frr_symmetric_flag: a unit with FRR in one direction has it in both.
  const symmetric = (plant.frrSymmetric ?? []).some((flag) => flag !== 0);
  if (symmetric && keys.some((key) => key === 'frr_up' || key === 'frr_down')) {
    return RESERVE_KEYS.filter((key) => keys.includes(key) || key === 'frr_up' || key === 'frr_down');
  }
  return keys;
}

/** currency per MW and hour of violation of `group`'s obligation of `key` at step t. */
export function violationCost(reserves: ReserveSystem, group: ReserveGroupData, key: ReserveKey, t: number): number {
  return group.penaltyCost[productOf(key)]?.[t] ?? reserves.penaltyCost;
}

/** currency per MW of increase (`up`) or decrease of a unit's delivery into step t. */
export function rampingCost(
  reserves: ReserveSystem,
  data: UnitReserveData,
  direction: 'up' | 'down',
  t: number,
  unit: 'generator' | 'pump' = 'generator',
): number {
  const own = direction === 'up' ? data.rampingCostUp : data.rampingCostDown;
  return own?.[t] ?? (unit === 'pump' ? reserves.pumpRampingCost : reserves.rampingCost);
}

/** Segments of the convex droop cost between breakpoints (`droop_cost_exponent`). */
const DROOP_COST_SEGMENTS = 10;

/**
 * The droop cost of inverse droop x ∈ [lower, upper] as breakpoints from x = 0 (cost 0): linear
 * `cost·x`, or with `droop_cost_exponent` e > 1 and `droop_ref_value` v the convex
 * `cost·x_ref·(x/x_ref)^e` (x_ref = 1/v), equal to the linear cost at v, as a piecewise-linear
 * curve through 0, lower, x_ref (when inside) and ten equal steps to upper (Tarn's breakpoints).
 * Undefined for the linear cost.
 */
export function droopCostCurve(
  cost: number,
  lower: number,
  upper: number,
  reserves: Pick<ReserveSystem, 'droopCostExponent' | 'droopRefValue'>,
): { x: number[]; y: number[] } | undefined {
  const e = reserves.droopCostExponent;
  const ref = reserves.droopRefValue;
  if (!cost || e === undefined || !(e > 1) || ref === undefined || !(ref > 0) || !(upper > lower)) return undefined;
  const xRef = 1 / ref;
  const points = new Set([0, lower, upper]);
  for (let k = 1; k < DROOP_COST_SEGMENTS; k++) points.add(lower + ((upper - lower) * k) / DROOP_COST_SEGMENTS);
  if (xRef > lower && xRef < upper) points.add(xRef);
  const x = [...points].sort((a, b) => a - b);
  return { x, y: x.map((v) => cost * xRef * Math.pow(v / xRef, e)) };
}

/** The droop cost at inverse droop x: `cost·x`, or on `droopCostCurve` between its breakpoints. */
export function droopCostAt(
  cost: number,
  x: number,
  lower: number,
  upper: number,
  reserves: Pick<ReserveSystem, 'droopCostExponent' | 'droopRefValue'>,
): number {
  const curve = droopCostCurve(cost, lower, upper, reserves);
  if (!curve) return cost * x;
  const k = Math.max(0, curve.x.findIndex((b) => b >= x) - 1);
  const [x0, x1, y0, y1] = [curve.x[k], curve.x[k + 1] ?? curve.x[k], curve.y[k], curve.y[k + 1] ?? curve.y[k]];
  return x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y0;
}

/** The keys a pump delivers: those of the obligations of the groups it belongs to, and of its own minimums and schedules. */
export function offeredPumpKeys(reserves: ReserveSystem, pump: UnitRef): ReserveKey[] {
  const data = reserves.pumps?.[pump.plant]?.[pump.generator];
  return RESERVE_KEYS.filter(
    (key) =>
      reserves.groups.some(
        (group) =>
          group.obligation[key] !== undefined &&
          (group.pumps ?? []).some((u) => u.plant === pump.plant && u.generator === pump.generator),
      ) ||
      (data?.min[key] ?? []).some((v) => v !== undefined && v > 0) ||
      (data?.schedule[key] ?? []).some((v) => v !== undefined),
  );
}
