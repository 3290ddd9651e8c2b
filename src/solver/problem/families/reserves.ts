/**
 * Reserve capacity (modelling-2.md §4). Per generator, step and key it offers (`fcr_n_up`, ...)
 * a delivery column r ≥ 0 (up to `<key>_max`, at `<key>_cost` per MW and hour), fitted between
 * its production P (with its head-optimization part where its commitment is fixed on) and its
 * limits, with commitment u (a binary, fixed, or on a step without binaries the binary's LP
 * relaxation, a share u ∈ [0, 1] of the hour):
 * - up: `P + frr_up + rr_up_on ≤ p_max·u`, `… + fcr_n_up + fcr_d_up ≤ max(p_max, p_fcr_max)·u`;
 * - down: `P − frr_down − rr_down ≥ p_min·u`, `… − fcr_n_down − fcr_d_down ≥ min(p_min, p_fcr_min)·u`;
 *   with `p_rr_min`, RR has its own row `P − rr_down ≥ p_rr_min·u` and leaves the p_min rows;
 * - a `gen_reserve_capability`'s `p_extended` replaces p_max or p_min in its key's row;
 * - RR up from a stopped unit: `rr_up = rr_up_on + rr_up_off`, `rr_up_off ≤ p_max·(1 − u)`;
 * - `<key>_min`: a binary v, `min·v ≤ r ≤ M·v` (M: `deliveryBound`), `v ≤ u` but for RR up;
 * - `<key>_schedule`: `r − above + below = schedule`, deviations at the schedule penalty cost;
 * - ramping: `|r_t − r_{t−1}|` at `reserve_ramping_cost_up` (increase) / `_down` (decrease) per MW.
 * Per group and key with an obligation: `Σ r + buy − sale + violation − slack = obligation` (buy
 * and sale of the group's reserve markets of that key, `market_type`), violation at the
 * group's `<product>_penalty_cost` (else the global one), slack at the slack cost, per MW and
 * hour (Tarn). A unit in several groups with obligations of one key splits its delivery between
 * them (Tarn).
 */
import type { GeneratorData } from '../hydro-system.js';
import type { MinimumDelivery, ReserveColumns } from '../iteration-input.js';
import {
  droopCostCurve,
  offeredKeys,
  offeredPumpKeys,
  productOf,
  rampingCost,
  type ReserveGroupData,
  type ReserveKey,
  type ReserveSystem,
  type UnitReserveData,
  violationCost,
} from '../reserve-types.js';
import type { ConstraintFamily, ProblemContext, Terms } from './constraint-family.js';

type Delivery = Partial<Record<ReserveKey, number[]>>;

export const reserves: ConstraintFamily = {
  name: 'reserve capacity',
  add(ctx: ProblemContext) {
    const reserveSystem = ctx.system.reserves;
    if (!reserveSystem) return;
    const { lp, system, steps } = ctx;
    const hours = (t: number) => system.steps[t].hours;
    const columns: ReserveColumns = {
      delivery: [],
      scheduleDeviation: [],
      violation: [],
      slack: [],
      droop: [],
      pumpDroop: [],
      minimums: [],
      pumpDelivery: [],
      pumpScheduleDeviation: [],
    };
    /** [plant][generator][t] */
    const spinning: Array<Array<Array<Spinning | undefined>>> = [];
    system.plants.forEach((plant, p) => {
      spinning.push([]);
      columns.delivery.push([]);
      columns.scheduleDeviation.push([]);
      columns.droop.push([]);
      plant.generators.forEach((generator, g) => {
        const keys = offeredKeys(reserveSystem, { plant: p, generator: g });
        const data = reserveSystem.units[p][g];
        const name = `generator.${generator.name}`;
        const delivery: Delivery = {};
        for (const key of keys) {
          delivery[key] = steps.map((t) =>
            lp.addColumn(
              `${name}.${key}_delivery[${t}]`,
              0,
              data.max[key]?.[t] ?? Infinity,
              (data.cost[key]?.[t] ?? 0) * hours(t),
            ),
          );
        }
        columns.delivery[p].push(delivery);
        columns.scheduleDeviation[p].push(
          unitLimits(ctx, p, g, generator, data, delivery, columns, reserveSystem.schedulePenaltyCost),
        );
        spinning[p].push(steps.map((t) => addHeadroomRows(ctx, p, g, t, generator, data, delivery)));
        columns.droop[p].push(steps.map((t) => addDroop(ctx, name, t, data, delivery)));
        addRamping(ctx, name, data, delivery);
        addContribution(ctx, name, generator, data, delivery);
      });
    });
    system.plants.forEach((_, p) => addPlantRows(ctx, p, columns.delivery[p], spinning[p]));
    columns.pumpScheduleDeviation = system.plants.map((plant) => (plant.pumps ?? []).map(() => ({})));
    columns.pumpDroop = system.plants.map((plant) => (plant.pumps ?? []).map(() => []));
    columns.pumpDelivery = system.plants.map((plant, p) =>
      (plant.pumps ?? []).map((_, k) =>
        addPumpReserves(ctx, p, k, columns.minimums, columns.pumpScheduleDeviation[p][k], columns.pumpDroop[p][k]),
      ),
    );
    addGroupRows(ctx, columns);
    ctx.index.reserves = columns;
  },
};

/**
 * `reserve_contribution_cost`: per step where the unit gives any reserve, a binary w at that
 * cost, `Σ r ≤ M·w` (M: the sum of the deliveries' bounds).
 */
function addContribution(
  ctx: ProblemContext,
  name: string,
  generator: GeneratorData,
  data: UnitReserveData,
  delivery: Delivery,
): void {
  const reserveSystem = ctx.system.reserves!;
  const cost = reserveSystem.contributionCost;
  const keys = Object.keys(delivery) as ReserveKey[];
  if (!(cost > 0) || !keys.length) return;
  for (const t of ctx.steps) {
    const w = ctx.lp.addColumn(`${name}.reserve_contribution[${t}]`, 0, 1, cost, true);
    const bound = keys.reduce((sum, key) => sum + deliveryBound(reserveSystem, generator, data, key, t), 0);
    ctx.lp.addRow(`${name}.reserve_contribution_on[${t}]`, -Infinity, 0, [
      ...keys.map((key): [number, number] => [delivery[key]![t], 1]),
      [w, -bound],
    ]);
  }
}

/**
 * Ramping (smooth reserve): per key and step after the first, the increase and decrease of the
 * delivery from the step before, at the unit's `reserve_ramping_cost_up`/`_down` (else the
 * global cost) per MW.
 */
function addRamping(
  ctx: ProblemContext,
  name: string,
  data: UnitReserveData,
  delivery: Delivery,
  unit: 'generator' | 'pump' = 'generator',
): void {
  const reserveSystem = ctx.system.reserves!;
  for (const [key, r] of Object.entries(delivery) as Array<[ReserveKey, number[]]>) {
    for (const t of ctx.steps) {
      if (t === 0) continue;
      const up = rampingCost(reserveSystem, data, 'up', t, unit);
      const down = rampingCost(reserveSystem, data, 'down', t, unit);
      if (up === 0 && down === 0) continue;
      const increase = ctx.lp.addColumn(`${name}.${key}_ramp_up[${t}]`, 0, Infinity, up);
      const decrease = ctx.lp.addColumn(`${name}.${key}_ramp_down[${t}]`, 0, Infinity, down);
      ctx.lp.addRow(`${name}.${key}_ramping[${t}]`, 0, 0, [
        [r[t], 1],
        [r[t - 1], -1],
        [increase, -1],
        [decrease, 1],
      ]);
    }
  }
}

/**
 * The most a delivery of `key` can be at step t whatever the unit does: `<key>_max`, the limit of
 * its headroom or footroom row (p_max, or max(p_max, p_fcr_max) for FCR, or a larger
 * `p_extended`), and for FCR the droop's `2·band·p_nom/droop_min` (or the fixed droop). The
 * big-M of the minimum's binary: the smaller it is, the tighter the MIP's relaxation.
 */
export function deliveryBound(
  reserveSystem: ReserveSystem,
  generator: GeneratorData,
  data: UnitReserveData,
  key: ReserveKey,
  t: number,
): number {
  const rowMax = productOf(key).startsWith('fcr') ? Math.max(generator.pMax, data.pFcrMax?.[t] ?? 0) : generator.pMax;
  const pMax = Math.max(rowMax, data.pExtended?.[key]?.[t] ?? 0);
  let bound = Math.min(data.max[key]?.[t] ?? Infinity, pMax);
  if (productOf(key).startsWith('fcr')) {
    const band = productOf(key) === 'fcr_n' ? reserveSystem.fcrNBand : reserveSystem.fcrDBand;
    bound = Math.min(bound, (2 * band * data.pNom) / (data.fixedDroop?.[t] ?? data.droopMin[t]));
  }
  return bound;
}

/**
 * `<key>_min` (with a binary) and `<key>_schedule` rows; answers the schedule deviation columns.
 * The binary v of a minimum: `min·v ≤ r ≤ M·v` (M: `deliveryBound`), and where the key needs a
 * running unit (all but RR up), `v ≤ u` — implied by the headroom rows for an integer u, but
 * not for the relaxation the MIP search starts from.
 */
function unitLimits(
  ctx: ProblemContext,
  p: number,
  g: number,
  generator: GeneratorData,
  data: UnitReserveData,
  delivery: Delivery,
  columns: ReserveColumns,
  scheduleCost: number,
): Partial<Record<ReserveKey, Array<[number, number] | undefined>>> {
  const { lp, steps, system } = ctx;
  const name = `generator.${generator.name}`;
  const deviations: Partial<Record<ReserveKey, Array<[number, number] | undefined>>> = {};
  for (const [key, r] of Object.entries(delivery) as Array<[ReserveKey, number[]]>) {
    for (const t of steps) {
      const min = data.min[key]?.[t];
      if (min !== undefined && min > 0) {
        const { u, on } = commitment(ctx, p, g, t);
        const needsRunning = key !== 'rr_up';
        // A fixed stopped unit delivers nothing that needs it running.
        const stopped = needsRunning && u === undefined && on === 0;
        const v = lp.addColumn(`${name}.${key}_on[${t}]`, 0, stopped ? 0 : 1, 0, true);
        const max = deliveryBound(system.reserves!, generator, data, key, t);
        lp.addRow(`${name}.${key}_min[${t}]`, 0, Infinity, [
          [r[t], 1],
          [v, -min],
        ]);
        lp.addRow(`${name}.${key}_max_on[${t}]`, -Infinity, 0, [
          [r[t], 1],
          [v, -max],
        ]);
        if (needsRunning && u !== undefined) {
          lp.addRow(`${name}.${key}_on_running[${t}]`, -Infinity, 0, [
            [v, 1],
            [u, -1],
          ]);
        }
        columns.minimums.push({ on: v, delivery: r[t], min });
      }
    }
    const schedule = data.schedule[key];
    if (schedule) deviations[key] = addSchedule(ctx, `${name}.${key}`, r, schedule, scheduleCost);
  }
  return deviations;
}

/** `r − above + below = schedule` where the schedule is active; answers [above, below] per step. */
function addSchedule(
  ctx: ProblemContext,
  name: string,
  r: number[],
  schedule: Array<number | undefined>,
  scheduleCost: number,
): Array<[number, number] | undefined> {
  const { lp, steps, system } = ctx;
  return steps.map((t) => {
    const value = schedule[t];
    if (value === undefined) return undefined;
    const cost = scheduleCost * system.steps[t].hours;
    const above = lp.addColumn(`${name}_schedule_above[${t}]`, 0, Infinity, cost);
    const below = lp.addColumn(`${name}_schedule_below[${t}]`, 0, Infinity, cost);
    lp.addRow(`${name}_schedule[${t}]`, value, value, [
      [r[t], 1],
      [above, -1],
      [below, 1],
    ]);
    return [above, below];
  });
}

/** Per problem: the continuous commitment columns of relaxed steps, by `plant.generator.step`. */
const shares = new WeakMap<ProblemContext, Map<string, number>>();

/**
 * The unit's commitment at step t: its binary column, or a fixed state. A step without either
 * (no binaries: the unit's curve runs from 0, the envelope of running a share of the hour) has
 * the LP relaxation of the binary, a column u ∈ [0, 1], so that its rows keep
 * `p_min·u ≤ P − down` and `P + up ≤ p_max·u` as the MIP's would for a unit on a share u.
 */
function commitment(ctx: ProblemContext, p: number, g: number, t: number): { u?: number; on: number } {
  const u = ctx.index.unitOn[p]?.[g]?.[t];
  if (u !== undefined) return { u, on: 0 };
  const fixed = ctx.input.fixedCommitment?.[p]?.[g]?.[t];
  if (fixed !== undefined) return { on: fixed };
  let columns = shares.get(ctx);
  if (!columns) shares.set(ctx, (columns = new Map()));
  const key = `${p}.${g}.${t}`;
  let share = columns.get(key);
  if (share === undefined) {
    const name = ctx.system.plants[p].generators[g].name;
    share = ctx.lp.addColumn(`generator.${name}.reserve_on_share[${t}]`, 0, 1);
    // On a share u of the hour, the unit produces at most p_max·u.
    ctx.lp.addRow(`generator.${name}.reserve_on_share_max[${t}]`, -Infinity, 0, [
      [ctx.index.unitPower[p][g][t], 1],
      [share, -ctx.system.plants[p].generators[g].pMax],
    ]);
    columns.set(key, share);
  }
  return { u: share, on: 0 };
}

/** One unit at one step, as its headroom and footroom rows see it. */
interface UnitStep {
  ctx: ProblemContext;
  name: string;
  t: number;
  generator: GeneratorData;
  data: UnitReserveData;
  /** The binary (or its LP relaxation), or the fixed state `on`. */
  u?: number;
  on: number;
  /** The delivery column of a key, where the unit offers it. */
  r: (key: ReserveKey) => number | undefined;
  /** `production + terms ≤ limit·u` ('le') or `≥` ('ge'). */
  row: (label: string, terms: Terms, limit: number, sense: 'le' | 'ge') => void;
  /** The production terms (power column and head part) and the head part's constant. */
  production: Terms;
  headConstant: number;
}

/** A unit's spinning reserve at one step: the terms of its up and down reserve while running. */
interface Spinning {
  up: Terms;
  down: Terms;
}

/** The headroom and footroom rows of one unit at one step; answers its spinning reserve. */
function addHeadroomRows(
  ctx: ProblemContext,
  p: number,
  g: number,
  t: number,
  generator: GeneratorData,
  data: UnitReserveData,
  delivery: Delivery,
): Spinning | undefined {
  if (!Object.keys(delivery).length) return undefined;
  const { lp, index } = ctx;
  const name = `generator.${generator.name}`;
  const { u, on } = commitment(ctx, p, g, t);
  // The production the rows hold: the power column, plus its head-optimization part where the
  // commitment is fixed on (a unit that may stop has no head part to keep within its limits).
  const production: Terms = [[index.unitPower[p][g][t], 1]];
  let headConstant = 0;
  if (u === undefined && on === 1) {
    for (const term of ctx.input.unitHeadTerms?.[p]?.[g] ?? []) {
      if (term.step !== t || term.step < 1) continue;
      production.push([index.storage[term.reservoir][t - 1], term.coefficient]);
      headConstant += term.coefficient * term.reference;
    }
  }
  const row: UnitStep['row'] = (label, terms, limit, sense) => {
    const all: Terms = [...production, ...terms];
    let rhs = headConstant;
    if (u !== undefined) all.push([u, -limit]);
    else rhs += limit * on;
    if (sense === 'le') lp.addRow(`${name}.${label}[${t}]`, -Infinity, rhs, all);
    else lp.addRow(`${name}.${label}[${t}]`, rhs, Infinity, all);
  };
  const r = (key: ReserveKey) => delivery[key]?.[t];
  const unit: UnitStep = { ctx, name, t, generator, data, u, on, r, row, production, headConstant };
  const spinning = { up: addUpRows(unit), down: addDownRows(unit) };
  addFcrRules(unit);
  addSpinningCap(ctx, `${name}.spinning_reserve_up`, spinning.up, data.spinningUpMax?.[t], t);
  addSpinningCap(ctx, `${name}.spinning_reserve_down`, spinning.down, data.spinningDownMax?.[t], t);
  return spinning;
}

/** `Σ terms ≤ cap` at step t, where a cap is set (`spinning_reserve_up_max`/`_down_max`). */
function addSpinningCap(ctx: ProblemContext, label: string, terms: Terms, cap: number | undefined, t: number): void {
  if (cap === undefined || !terms.length) return;
  ctx.lp.addRow(`${label}[${t}]`, -Infinity, cap, terms);
}

const termsOf = (unit: UnitStep, keys: ReserveKey[], sign: number): Terms =>
  keys.flatMap((key) => {
    const column = unit.r(key);
    return column === undefined ? [] : [[column, sign] as [number, number]];
  });
const offers = (unit: UnitStep, keys: ReserveKey[]) => keys.some((key) => unit.r(key) !== undefined);
/**
 * The `p_extended` of the keys of a row that the unit offers (the largest for an up row, the
 * smallest for a down one), which replaces p_max or p_min there; undefined where none has one.
 */
function extended(unit: UnitStep, keys: ReserveKey[], pick: (...values: number[]) => number): number | undefined {
  const values = keys
    .filter((key) => unit.r(key) !== undefined)
    .map((key) => unit.data.pExtended?.[key]?.[unit.t])
    .filter((value): value is number => value !== undefined && Number.isFinite(value));
  return values.length ? pick(...values) : undefined;
}

/** The up rows; answers the unit's spinning up reserve (all up but RR from the stopped unit). */
function addUpRows(unit: UnitStep): Terms {
  const { ctx, name, t, generator, data, u, on } = unit;
  const pMax = generator.pMax;
  // RR up from a stopped unit: rr_up = rr_up_on + rr_up_off, rr_up_off ≤ p_max·(1 − u).
  const rrUpOn = termsOf(unit, ['rr_up'], 1);
  const rrUp = unit.r('rr_up');
  if (rrUp !== undefined && (u !== undefined || on === 0)) {
    const off = ctx.lp.addColumn(`${name}.rr_up_off[${t}]`, 0, pMax);
    rrUpOn.push([off, -1]);
    ctx.lp.addRow(`${name}.rr_up_on[${t}]`, 0, Infinity, [
      [rrUp, 1],
      [off, -1],
    ]);
    if (u !== undefined) {
      ctx.lp.addRow(`${name}.rr_up_off_stopped[${t}]`, -Infinity, pMax, [
        [off, 1],
        [u, pMax],
      ]);
    }
  }
  const slow: Terms = [...termsOf(unit, ['frr_up'], 1), ...rrUpOn];
  if (offers(unit, ['frr_up', 'rr_up'])) {
    unit.row('reserve_up', slow, extended(unit, ['frr_up', 'rr_up'], Math.max) ?? pMax, 'le');
  }
  if (offers(unit, ['fcr_n_up', 'fcr_d_up'])) {
    const fcrMax = extended(unit, ['fcr_n_up', 'fcr_d_up'], Math.max) ?? Math.max(pMax, data.pFcrMax?.[t] ?? pMax);
    unit.row('reserve_up_fcr', [...slow, ...termsOf(unit, ['fcr_n_up', 'fcr_d_up'], 1)], fcrMax, 'le');
  }
  return [...slow, ...termsOf(unit, ['fcr_n_up', 'fcr_d_up'], 1)];
}

/** The down rows; answers the unit's spinning down reserve (all down reserve). */
function addDownRows(unit: UnitStep): Terms {
  const { t, generator, data } = unit;
  const pMin = generator.pMin;
  const pRrMin = data.pRrMin?.[t];
  const slowKeys: ReserveKey[] = pRrMin === undefined ? ['frr_down', 'rr_down'] : ['frr_down'];
  const slow = termsOf(unit, slowKeys, -1);
  if (offers(unit, slowKeys)) unit.row('reserve_down', slow, extended(unit, slowKeys, Math.min) ?? pMin, 'ge');
  if (pRrMin !== undefined && offers(unit, ['rr_down'])) {
    const limit = extended(unit, ['rr_down'], Math.min) ?? pRrMin;
    unit.row('reserve_down_rr', termsOf(unit, ['rr_down'], -1), limit, 'ge');
  }
  if (offers(unit, ['fcr_n_down', 'fcr_d_down'])) {
    const fcrMin = extended(unit, ['fcr_n_down', 'fcr_d_down'], Math.min) ?? Math.min(pMin, data.pFcrMin?.[t] ?? pMin);
    unit.row('reserve_down_fcr', [...slow, ...termsOf(unit, ['fcr_n_down', 'fcr_d_down'], -1)], fcrMin, 'ge');
  }
  return termsOf(unit, ['fcr_n_down', 'fcr_d_down', 'frr_down', 'rr_down'], 1);
}

/**
 * Droop (doc): a unit offering FCR has an inverse droop x ∈ [1/droop_max, 1/droop_min]
 * (`fixed_droop` fixes it), at `droop_cost`·x, and `fcr_n_* ≤ 2·fcr_n_band·p_nom·x`,
 * `fcr_d_* ≤ 2·fcr_d_band·p_nom·x`. Answers x's column.
 */
function addDroop(
  ctx: ProblemContext,
  name: string,
  t: number,
  data: UnitReserveData,
  delivery: Delivery,
): number | undefined {
  const fcr = (['fcr_n_up', 'fcr_n_down', 'fcr_d_up', 'fcr_d_down'] as const).filter((key) => delivery[key]);
  if (!fcr.length) return undefined;
  const reserveSystem = ctx.system.reserves!;
  const fixed = data.fixedDroop?.[t];
  const lower = fixed !== undefined ? 1 / fixed : 1 / data.droopMax[t];
  const upper = fixed !== undefined ? 1 / fixed : 1 / data.droopMin[t];
  const cost = data.droopCost?.[t] ?? 0;
  // The curve spans the unit's droop range, also where x is fixed (as the results count it).
  const curve = droopCostCurve(cost, 1 / data.droopMax[t], 1 / data.droopMin[t], reserveSystem);
  const x = ctx.lp.addColumn(`${name}.inverse_droop[${t}]`, lower, upper, curve ? 0 : cost);
  if (curve) {
    // Convex: x = Σ segments from 0, each at its slope; the LP fills them in order.
    const segments = curve.x.slice(1).map((end, k) => {
      const length = end - curve.x[k];
      const slope = (curve.y[k + 1] - curve.y[k]) / length;
      return ctx.lp.addColumn(`${name}.inverse_droop_segment${k}[${t}]`, 0, length, slope);
    });
    ctx.lp.addRow(`${name}.inverse_droop_cost[${t}]`, 0, 0, [
      [x, 1],
      ...segments.map((s): [number, number] => [s, -1]),
    ]);
  }
  for (const key of fcr) {
    const band = key.startsWith('fcr_n') ? reserveSystem.fcrNBand : reserveSystem.fcrDBand;
    ctx.lp.addRow(`${name}.${key}_droop[${t}]`, -Infinity, 0, [
      [delivery[key]![t], 1],
      [x, -2 * band * data.pNom],
    ]);
  }
  return x;
}

/**
 * `fcr_n_equality_flag`: FCR-N up = FCR-N down. `fcr_mip_flag`: a binary w, FCR only with w
 * (`Σ FCR ≤ p_max·w`), and w keeps free capacity: `P + factor·p_max·w ≤ p_max`
 * (`gen_reserve_min_free_cap_factor`).
 */
function addFcrRules(unit: UnitStep): void {
  const { ctx, name, t, generator, data } = unit;
  const up = unit.r('fcr_n_up');
  const down = unit.r('fcr_n_down');
  if (ctx.system.reserves!.fcrNEquality && up !== undefined && down !== undefined) {
    ctx.lp.addRow(`${name}.fcr_n_equality[${t}]`, 0, 0, [
      [up, 1],
      [down, -1],
    ]);
  }
  const fcr = termsOf(unit, ['fcr_n_up', 'fcr_n_down', 'fcr_d_up', 'fcr_d_down'], 1);
  if (!fcr.length || !data.fcrMipFlag?.[t]) return;
  const pMax = generator.pMax;
  const w = ctx.lp.addColumn(`${name}.fcr_on[${t}]`, 0, 1, 0, true);
  ctx.lp.addRow(`${name}.fcr_only_with_binary[${t}]`, -Infinity, 0, [...fcr, [w, -2 * pMax]]);
  const factor = ctx.system.reserves!.minFreeCapFactor;
  ctx.lp.addRow(`${name}.fcr_free_capacity[${t}]`, -Infinity, pMax + unit.headConstant, [
    ...unit.production,
    [w, factor * pMax],
  ]);
}

/**
 * A plant's limits on its generators' summed FRR and RR: `frr_up_min ≤ Σ frr_up ≤ frr_up_max`,
 * the same for FRR down, `Σ rr_up ≥ rr_up_min`; `spinning_reserve_up_max`/`_down_max` on the
 * sum of their spinning reserve; `frr_symmetric_flag`: each generator's FRR up equals its FRR
 * down.
 */
function addPlantRows(
  ctx: ProblemContext,
  p: number,
  delivery: Delivery[],
  spinning: Array<Array<Spinning | undefined>>,
): void {
  const limits = ctx.system.reserves!.plants[p];
  if (!limits) return;
  const plantName = `plant.${ctx.system.plants[p].name}`;
  const sums: Array<[ReserveKey, Array<number | undefined> | undefined, Array<number | undefined> | undefined]> = [
    ['frr_up', limits.frrUpMin, limits.frrUpMax],
    ['frr_down', limits.frrDownMin, limits.frrDownMax],
    ['rr_up', limits.rrUpMin, undefined],
  ];
  for (const t of ctx.steps) {
    for (const [key, min, max] of sums) {
      const lower = min?.[t];
      const upper = max?.[t];
      if (lower === undefined && upper === undefined) continue;
      const terms: Terms = delivery.flatMap((unit) => (unit[key] ? [[unit[key][t], 1] as [number, number]] : []));
      ctx.lp.addRow(`${plantName}.${key}_sum[${t}]`, lower ?? -Infinity, upper ?? Infinity, terms);
    }
    const sumOf = (direction: 'up' | 'down') => spinning.flatMap((unit) => unit[t]?.[direction] ?? []);
    addSpinningCap(ctx, `${plantName}.spinning_reserve_up`, sumOf('up'), limits.spinningUpMax?.[t], t);
    addSpinningCap(ctx, `${plantName}.spinning_reserve_down`, sumOf('down'), limits.spinningDownMax?.[t], t);
    if (!limits.frrSymmetric?.[t]) continue;
    ctx.system.plants[p].generators.forEach((generator, g) => {
      const up = delivery[g].frr_up?.[t];
      const down = delivery[g].frr_down?.[t];
      if (up === undefined || down === undefined) return;
      ctx.lp.addRow(`generator.${generator.name}.frr_symmetric[${t}]`, 0, 0, [
        [up, 1],
        [down, -1],
      ]);
    });
  }
}

/**
 * A pump's reserves (modelling-2.md §4: pumps mirror generators with consumption c): per key of
 * its groups' obligations a delivery (up to `<key>_max`, at `<key>_cost`); up lowers c,
 * `c − up ≥ p_min·u`; down raises it, `c + down ≤ p_max·u`; RR down may come from the stopped
 * pump, `rr_down = rr_down_on + rr_down_off`, `rr_down_off ≤ p_max·(1 − u)`; minimums,
 * ramping, schedules, droop (into `droops`) and spinning caps as a generator's: a pump's
 * spinning reserve is all it gives while running (not RR down from the stopped pump).
 */
function addPumpReserves(
  ctx: ProblemContext,
  p: number,
  k: number,
  minimums: MinimumDelivery[],
  deviations: Partial<Record<ReserveKey, Array<[number, number] | undefined>>>,
  droops: Array<number | undefined>,
): Delivery {
  const reserveSystem = ctx.system.reserves!;
  const keys = offeredPumpKeys(reserveSystem, { plant: p, generator: k });
  const pumpColumns = ctx.index.pumps?.[p]?.[k];
  if (!keys.length || !pumpColumns) return {};
  const { lp, steps, system } = ctx;
  const pump = system.plants[p].pumps![k];
  const data = reserveSystem.pumps![p][k];
  const name = `pump.${pump.name}`;
  const delivery: Delivery = {};
  for (const key of keys) {
    delivery[key] = steps.map((t) =>
      lp.addColumn(
        `${name}.${key}_delivery[${t}]`,
        0,
        data.max[key]?.[t] ?? Infinity,
        (data.cost[key]?.[t] ?? 0) * system.steps[t].hours,
      ),
    );
  }
  const sum = (list: ReserveKey[], sign: number, t: number): Terms =>
    list.flatMap((key) => (delivery[key] ? [[delivery[key][t], sign] as [number, number]] : []));
  for (const t of steps) {
    const c = pumpColumns.consumption[t];
    const u = pumpColumns.on[t];
    const up = sum(['fcr_n_up', 'fcr_d_up', 'frr_up', 'rr_up'], -1, t);
    if (up.length) lp.addRow(`${name}.reserve_up[${t}]`, 0, Infinity, [[c, 1], ...up, [u, -pump.pMin]]);
    const down = sum(['fcr_n_down', 'fcr_d_down', 'frr_down', 'rr_down'], 1, t);
    const rrDown = delivery.rr_down?.[t];
    if (rrDown !== undefined) {
      const off = lp.addColumn(`${name}.rr_down_off[${t}]`, 0, pump.pMax);
      down.push([off, -1]);
      lp.addRow(`${name}.rr_down_on[${t}]`, 0, Infinity, [
        [rrDown, 1],
        [off, -1],
      ]);
      lp.addRow(`${name}.rr_down_off_stopped[${t}]`, -Infinity, pump.pMax, [
        [off, 1],
        [u, pump.pMax],
      ]);
    }
    if (down.length) lp.addRow(`${name}.reserve_down[${t}]`, -Infinity, 0, [[c, 1], ...down, [u, -pump.pMax]]);
    const spinningUp = up.map(([column]): [number, number] => [column, 1]);
    const spinningDown = down.map(([column, sign]): [number, number] => [column, sign]);
    addSpinningCap(ctx, `${name}.spinning_reserve_up`, spinningUp, data.spinningUpMax?.[t], t);
    addSpinningCap(ctx, `${name}.spinning_reserve_down`, spinningDown, data.spinningDownMax?.[t], t);
    droops.push(addDroop(ctx, name, t, data, delivery));
  }
  addPumpMinimums(ctx, name, pump.pMax, data, delivery, pumpColumns.on, minimums);
  addRamping(ctx, name, data, delivery, 'pump');
  for (const [key, r] of Object.entries(delivery) as Array<[ReserveKey, number[]]>) {
    const schedule = data.schedule[key];
    if (schedule) deviations[key] = addSchedule(ctx, `${name}.${key}`, r, schedule, reserveSystem.schedulePenaltyCost);
  }
  return delivery;
}

/**
 * A pump's `<key>_min`: a binary v, `min·v ≤ r ≤ M·v` (M: `<key>_max`, else p_max), and but for
 * RR down (which a stopped pump gives) `v ≤ u`; solved lazily as the generators' are.
 */
function addPumpMinimums(
  ctx: ProblemContext,
  name: string,
  pMax: number,
  data: UnitReserveData,
  delivery: Delivery,
  on: number[],
  minimums: MinimumDelivery[],
): void {
  for (const [key, r] of Object.entries(delivery) as Array<[ReserveKey, number[]]>) {
    for (const t of ctx.steps) {
      const min = data.min[key]?.[t];
      if (min === undefined || !(min > 0)) continue;
      const v = ctx.lp.addColumn(`${name}.${key}_on[${t}]`, 0, 1, 0, true);
      const max = Math.min(data.max[key]?.[t] ?? pMax, pMax);
      ctx.lp.addRow(`${name}.${key}_min[${t}]`, 0, Infinity, [
        [r[t], 1],
        [v, -min],
      ]);
      ctx.lp.addRow(`${name}.${key}_max_on[${t}]`, -Infinity, 0, [
        [r[t], 1],
        [v, -max],
      ]);
      if (key !== 'rr_down') {
        ctx.lp.addRow(`${name}.${key}_on_running[${t}]`, -Infinity, 0, [
          [v, 1],
          [on[t], -1],
        ]);
      }
      minimums.push({ on: v, delivery: r[t], min });
    }
  }
}

/** A generator or pump in groups: its delivery columns, and its name in the LP. */
interface Member {
  id: string;
  name: string;
  delivery: Delivery;
}

/** Each group's obligations: `Σ delivery + violation − slack = obligation` per key and step. */
function addGroupRows(ctx: ProblemContext, columns: ReserveColumns): void {
  const reserveSystem = ctx.system.reserves!;
  const { lp, steps, system } = ctx;
  const hours = (t: number) => system.steps[t].hours;
  const membersOf = (group: ReserveGroupData): Member[] => [
    ...group.units.map(({ plant, generator }) => ({
      id: `generator.${plant}.${generator}`,
      name: `generator.${system.plants[plant].generators[generator].name}`,
      delivery: columns.delivery[plant][generator],
    })),
    ...(group.pumps ?? []).map(({ plant, generator: k }) => ({
      id: `pump.${plant}.${k}`,
      name: `pump.${system.plants[plant].pumps![k].name}`,
      delivery: columns.pumpDelivery[plant]?.[k] ?? {},
    })),
  ];
  // The groups of each member and key that have obligations of the key: more than one share it.
  const groupsOf = new Map<string, { member: Member; key: ReserveKey; groups: number[] }>();
  reserveSystem.groups.forEach((group, i) => {
    for (const key of Object.keys(group.obligation) as ReserveKey[]) {
      for (const member of membersOf(group)) {
        const k = `${member.id}.${key}`;
        const entry = groupsOf.get(k) ?? { member, key, groups: [] };
        entry.groups.push(i);
        groupsOf.set(k, entry);
      }
    }
  });
  // The column each group counts: the delivery itself, or the group's share of it.
  const counted = new Map<string, number[]>();
  for (const [k, { member, key, groups }] of groupsOf) {
    const delivery = member.delivery[key];
    if (!delivery) continue;
    if (groups.length === 1) {
      counted.set(`${k}.${groups[0]}`, delivery);
      continue;
    }
    const shares = groups.map((i) =>
      steps.map((t) => lp.addColumn(`${member.name}.${key}_share_${reserveSystem.groups[i].name}[${t}]`, 0, Infinity)),
    );
    groups.forEach((i, s) => counted.set(`${k}.${i}`, shares[s]));
    for (const t of steps) {
      lp.addRow(`${member.name}.${key}_shares[${t}]`, 0, 0, [
        [delivery[t], -1],
        ...shares.map((share): [number, number] => [share[t], 1]),
      ]);
    }
  }
  reserveSystem.groups.forEach((group, i) => {
    const violation: Delivery = {};
    const slack: Delivery = {};
    const name = `reserve_group.${group.name}`;
    const members = membersOf(group);
    for (const [key, obligation] of Object.entries(group.obligation) as Array<[ReserveKey, number[]]>) {
      violation[key] = steps.map((t) =>
        lp.addColumn(
          `${name}.${key}_violation[${t}]`,
          0,
          Infinity,
          violationCost(reserveSystem, group, key, t) * hours(t),
        ),
      );
      slack[key] = steps.map((t) =>
        lp.addColumn(`${name}.${key}_slack[${t}]`, 0, Infinity, reserveSystem.slackCost * hours(t)),
      );
      for (const t of steps) {
        const terms: Terms = [
          [violation[key]![t], 1],
          [slack[key]![t], -1],
        ];
        for (const member of members) {
          const column = counted.get(`${member.id}.${key}.${i}`);
          if (column) terms.push([column[t], 1]);
        }
        for (const m of group.markets) {
          if (system.markets[m].reserveType !== key) continue;
          terms.push([ctx.index.buy[m][t], 1], [ctx.index.sale[m][t], -1]);
        }
        lp.addRow(`${name}.${key}_obligation[${t}]`, obligation[t], obligation[t], terms);
      }
    }
    columns.violation.push(violation);
    columns.slack.push(slack);
  });
}
