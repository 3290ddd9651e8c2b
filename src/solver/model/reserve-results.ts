/**
 * Reserve capacity's results (modelling-2.md §4): each generator's and pump's `<key>_delivery`
 * (all eight keys, 0 where it offers none), a generator's `fcr_*_delivery_physical` (Tarn: where
 * it delivers, what its droop gives, 2·band·p_nom/droop_result), `droop_result` and
 * `<key>_schedule_penalty` (MW off its schedule), each reserve market's
 * `reserve_obligation_penalty` (Tarn: MW of its key's obligation unmet in its groups), each
 * group's `<key>_violation` and `<key>_slack` for the keys it has obligations for, and the
 * objective's reserve costs, each per MW and hour as the LP counts them.
 */
import type { Txy } from '../../shop/shop-json.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import {
  droopCostAt,
  RESERVE_KEYS,
  rampingCost,
  type ReserveKey,
  type UnitReserveData,
  violationCost,
} from '../problem/reserve-types.js';
import type { Trajectory } from './trajectory.js';

type Put = (objectType: string, objectName: string, attribute: string, value: unknown) => void;

/** currency over the horizon */
export interface ReserveCosts {
  violationPenalty: number;
  slackCost: number;
  schedulePenalty: number;
  allocationCost: number;
  /** Changes of the units' deliveries from step to step (Tarn: a minor penalty). */
  rampingCost: number;
  /** Reserve markets: (buy_price·buy − sale_price·sale)·Δt. */
  saleBuy: number;
  /** Σ obligation × the group's reserve market's sale price × Δt, per key with a market. */
  obligValue: number;
}

export function reserveOutputs(
  put: Put,
  flow: (values: number[]) => Txy,
  system: HydroSystem,
  solution: Trajectory,
): ReserveCosts | undefined {
  const reserves = system.reserves;
  const values = solution.reserves;
  if (!reserves || !values) return undefined;
  const hours = system.steps.map((step) => step.hours);
  const zero = () => hours.map(() => 0);
  const costs: ReserveCosts = {
    violationPenalty: 0,
    slackCost: 0,
    schedulePenalty: 0,
    allocationCost: 0,
    rampingCost: 0,
    saleBuy: 0,
    obligValue: 0,
  };
  system.plants.forEach((plant, p) =>
    plant.generators.forEach((generator, g) => {
      const data = reserves.units[p][g];
      const delivery = values.delivery[p]?.[g] ?? {};
      const deviation = values.scheduleDeviation[p]?.[g] ?? {};
      droopOutputs(
        put,
        flow,
        'generator',
        generator.name,
        data,
        delivery,
        values.droop?.[p]?.[g] ?? [],
        costs,
        reserves,
      );
      // reserve_contribution_cost: per step with any reserve (in the allocation cost, Tarn).
      hours.forEach((_, t) => {
        const any = RESERVE_KEYS.some((key) => (delivery[key]?.[t] ?? 0) > 1e-9);
        if (any) costs.allocationCost += reserves.contributionCost;
      });
      for (const key of RESERVE_KEYS) {
        const r = delivery[key] ?? zero();
        put('generator', generator.name, `${key}_delivery`, flow(r));
        r.forEach((mw, t) => {
          costs.allocationCost += (data.cost[key]?.[t] ?? 0) * mw * hours[t];
          if (t === 0) return;
          const change = mw - r[t - 1];
          costs.rampingCost += Math.abs(change) * rampingCost(reserves, data, change > 0 ? 'up' : 'down', t, 'pump');
        });
        const off = deviation[key];
        if (!off) continue;
        const penalty = off.map((pair) => (pair ? pair[0] + pair[1] : 0));
        put('generator', generator.name, `${key}_schedule_penalty`, flow(penalty));
        penalty.forEach((mw, t) => (costs.schedulePenalty += reserves.schedulePenaltyCost * mw * hours[t]));
      }
    }),
  );
  // Pumps: `<key>_delivery` (0 where a pump offers none), `_schedule_penalty`, their costs.
  system.plants.forEach((plant, p) =>
    (plant.pumps ?? []).forEach((pump, k) => {
      const delivery = values.pumpDelivery[p]?.[k] ?? {};
      const data = reserves.pumps?.[p]?.[k];
      if (data) {
        droopOutputs(put, flow, 'pump', pump.name, data, delivery, values.pumpDroop?.[p]?.[k] ?? [], costs, reserves);
      }
      for (const [key, off] of Object.entries(values.pumpScheduleDeviation[p]?.[k] ?? {})) {
        const penalty = off!.map((pair) => (pair ? pair[0] + pair[1] : 0));
        put('pump', pump.name, `${key}_schedule_penalty`, flow(penalty));
        penalty.forEach((mw, t) => (costs.schedulePenalty += reserves.schedulePenaltyCost * mw * hours[t]));
      }
      for (const key of RESERVE_KEYS) {
        const r = delivery[key] ?? zero();
        put('pump', pump.name, `${key}_delivery`, flow(r));
        r.forEach((mw, t) => {
          costs.allocationCost += (data?.cost[key]?.[t] ?? 0) * mw * hours[t];
          if (t === 0 || !data) return;
          const change = mw - r[t - 1];
          costs.rampingCost += Math.abs(change) * rampingCost(reserves, data, change > 0 ? 'up' : 'down', t, 'pump');
        });
      }
    }),
  );
  reserves.groups.forEach((group, i) => {
    for (const key of Object.keys(group.obligation) as ReserveKey[]) {
      const violation = values.violation[i]?.[key] ?? zero();
      const slack = values.slack[i]?.[key] ?? zero();
      put('reserve_group', group.name, `${key}_violation`, flow(violation));
      put('reserve_group', group.name, `${key}_slack`, flow(slack));
      violation.forEach((mw, t) => (costs.violationPenalty += violationCost(reserves, group, key, t) * mw * hours[t]));
      slack.forEach((mw, t) => (costs.slackCost += reserves.slackCost * mw * hours[t]));
      for (const m of group.markets) {
        const market = system.markets[m];
        if (market.reserveType !== key) continue;
        const obligation = group.obligation[key]!;
        hours.forEach((h, t) => (costs.obligValue += obligation[t] * market.salePrice[t] * h));
      }
    }
  });
  system.markets.forEach((market, m) => {
    const key = market.reserveType;
    if (!key) return;
    // reserve_obligation_penalty (Tarn): MW of its key's obligation left unmet in its groups.
    const unmet = zero();
    reserves.groups.forEach((group, i) => {
      if (!group.markets.includes(m)) return;
      (values.violation[i]?.[key] ?? []).forEach((mw, t) => (unmet[t] += mw));
    });
    put('market', market.name, 'reserve_obligation_penalty', flow(unmet));
    hours.forEach((h, t) => {
      costs.saleBuy += h * (market.buyPrice[t] * solution.buy[m][t] - market.salePrice[t] * solution.sale[m][t]);
    });
  });
  return costs;
}

/**
 * A unit's `droop_result` (1/x; droop_max without FCR), its `fcr_*_delivery_physical` (Tarn: what
 * its droop gives where it delivers, 2·band·p_nom/droop) and its droop cost (in the allocation
 * cost, Tarn).
 */
function droopOutputs(
  put: Put,
  flow: (values: number[]) => Txy,
  type: 'generator' | 'pump',
  name: string,
  data: UnitReserveData,
  delivery: Partial<Record<ReserveKey, number[]>>,
  droop: Array<number | undefined>,
  costs: ReserveCosts,
  reserves: NonNullable<HydroSystem['reserves']>,
): void {
  const steps = data.droopMax.map((_, t) => t);
  put(type, name, 'droop_result', flow(steps.map((t) => (droop[t] ? 1 / droop[t]! : data.droopMax[t]))));
  droop.forEach((x, t) => {
    const range = [1 / data.droopMax[t], 1 / data.droopMin[t]] as const;
    if (x !== undefined) costs.allocationCost += droopCostAt(data.droopCost?.[t] ?? 0, x, ...range, reserves);
  });
  for (const key of ['fcr_n_up', 'fcr_n_down', 'fcr_d_up', 'fcr_d_down'] as const) {
    const band = key.startsWith('fcr_n') ? reserves.fcrNBand : reserves.fcrDBand;
    const r = delivery[key] ?? steps.map(() => 0);
    const physical = r.map((mw, t) => (mw > 1e-9 && droop[t] ? 2 * band * data.pNom * droop[t]! : 0));
    put(type, name, `${key}_delivery_physical`, flow(physical));
  }
}
