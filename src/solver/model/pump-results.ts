/**
 * The pumps' results under SHOP's output names (modelling-2.md §1): upflow and consumption
 * (post-calculated: consumption from the upflow at the recomputed lift, a fixed point in the
 * motor efficiency) next to the LP's `solver_` forms, the lift (`eff_head`) and its losses,
 * the commitment, the PQ curves of the last iteration, the schedule deviations, and the
 * plant's totals.
 */
import type { Txy, Xyt } from '../../shop/shop-json.js';
import { pumpConsumption, type PqPoint, type Pump } from '../physics/pump.js';
import { MM3_PER_M3S_HOUR } from '../physics/reservoir.js';
import type { HydroSystem } from '../problem/hydro-system.js';
import { liftLoss, pumpGrossHead, pumpRan } from './pump-iteration.js';
import { RUNNING, type Trajectory } from './trajectory.js';

/** The objective parts pumps add up across plants. */
export interface PumpCosts {
  /** Start and stop costs of counted 0→1 and 1→0 changes of `committed_out`. */
  startStop: number;
  /** `pump_schedule_penalty` */
  schedulePenalty: number;
  /** `consumption_fee · solver_consumption · Δt` */
  consumptionFee: number;
}

interface Put {
  put(objectType: string, objectName: string, attribute: string, value: unknown): void;
  flow(values: number[]): Txy;
}

/**
 * Puts plant p's pump outputs; answers, per step, the plant's pumping lift (the highest pump
 * `eff_head`) where it pumps, for the plant's `eff_head`/`head_loss` (doc: a plant that pumps
 * reports the highest pump eff_head and a negative head_loss).
 */
export function pumpOutputs(
  out: Put,
  inputs: { system: HydroSystem; pumps?: Pump[][] },
  levels: number[][],
  solution: Trajectory,
  p: number,
  costs: PumpCosts,
  /** [t]: the plant's tunnel intake pressure, where a tunnel network feeds it. */
  upstreamLevels?: number[],
): Array<number | undefined> {
  const { system } = inputs;
  const plant = system.plants[p];
  const pumps = plant.pumps ?? [];
  const steps = system.steps;
  const pumpingLift: Array<number | undefined> = steps.map(() => undefined);
  if (!pumps.length || !solution.pumps || !inputs.pumps) return pumpingLift;
  const trajectory = solution.pumps;
  const reservoirIndex = new Map(system.reservoirs.map((r, i) => [r.name, i]));
  const gross = steps.map((_, t) => pumpGrossHead(plant, levels, reservoirIndex, t, upstreamLevels?.[t]));
  // The LP's upflow is reported (so the water balances hold with it); a pump below
  // pump_turn_off_limit × its minimum upflow counts as off (committed_out 0).
  const upflows = pumps.map((_, k) => trajectory.upflow[p][k].map((q) => (q > RUNNING ? q : 0)));
  const totals = {
    upflow: steps.map(() => 0),
    solverUpflow: steps.map(() => 0),
    consumption: steps.map(() => 0),
    solverConsumption: steps.map(() => 0),
  };
  pumps.forEach((pump, k) => {
    const q = upflows[k];
    const flowsAt = (t: number) => upflows.map((row) => row[t]);
    const headLoss = steps.map((_, t) => (q[t] > 0 ? liftLoss(plant, flowsAt(t), k) : 0));
    const effHead = steps.map((_, t) => gross[t] + headLoss[t]);
    const consumption = steps.map((_, t) => pumpConsumption(inputs.pumps![p][k], q[t], effHead[t]));
    const solverConsumption = trajectory.consumption[p][k];
    const committed = steps.map((_, t) => (pumpRan(system, trajectory, p, k, t) ? 1 : 0));
    committed.forEach((on, t) => {
      const before = t === 0 ? pump.initialState : committed[t - 1];
      if (before === undefined) return;
      if (on === 1 && before === 0) costs.startStop += pump.startcost[t];
      if (on === 0 && before === 1) costs.startStop += pump.stopcost[t];
    });
    out.put('pump', pump.name, 'upflow', out.flow(q));
    out.put('pump', pump.name, 'solver_upflow', out.flow(trajectory.upflow[p][k]));
    out.put('pump', pump.name, 'consumption', out.flow(consumption));
    out.put('pump', pump.name, 'solver_consumption', out.flow(solverConsumption));
    out.put('pump', pump.name, 'committed_out', out.flow(committed));
    out.put('pump', pump.name, 'eff_head', out.flow(effHead));
    out.put('pump', pump.name, 'head_loss', out.flow(headLoss));
    // The consumption range at each step's lift: the ends of the curve the LP used (0 where it cannot run).
    const convex = trajectory.curves[p][k].map((curve) => curve.convex);
    out.put('pump', pump.name, 'max_cons', out.flow(convex.map((points) => points.at(-1)?.c ?? 0)));
    out.put('pump', pump.name, 'min_cons', out.flow(convex.map((points) => points[0]?.c ?? 0)));
    for (const kind of ['original', 'convex', 'final'] as const) {
      out.put(
        'pump',
        pump.name,
        `${kind}_pq_curves`,
        pqCurves(system, trajectory.lifts[p][k], trajectory.curves[p][k], kind),
      );
    }
    scheduleOutputs(out, system, pump.name, 'consumption', pump.consumptionSchedule, solverConsumption, 1, costs);
    scheduleOutputs(
      out,
      system,
      pump.name,
      'upflow',
      pump.upflowSchedule,
      trajectory.upflow[p][k],
      MM3_PER_M3S_HOUR,
      costs,
    );
    steps.forEach((step, t) => {
      totals.upflow[t] += q[t];
      totals.solverUpflow[t] += trajectory.upflow[p][k][t];
      totals.consumption[t] += consumption[t];
      totals.solverConsumption[t] += solverConsumption[t];
      costs.consumptionFee += (plant.consumptionFee?.[t] ?? 0) * solverConsumption[t] * step.hours;
      if (q[t] > 0) pumpingLift[t] = Math.max(pumpingLift[t] ?? -Infinity, effHead[t]);
    });
  });
  plantTotals(out, plant.name, pumps.length, totals);
  return pumpingLift;
}

/** The plant's pump totals: upflow, consumption (+ solver_), cons_unbalance, num_pump. */
function plantTotals(out: Put, plant: string, pumps: number, totals: Record<string, number[]>): void {
  out.put('plant', plant, 'upflow', out.flow(totals.upflow));
  out.put('plant', plant, 'solver_upflow', out.flow(totals.solverUpflow));
  out.put('plant', plant, 'consumption', out.flow(totals.consumption));
  out.put('plant', plant, 'solver_consumption', out.flow(totals.solverConsumption));
  out.put(
    'plant',
    plant,
    'cons_unbalance',
    out.flow(totals.consumption.map((c, t) => c - totals.solverConsumption[t])),
  );
  out.put('plant', plant, 'num_pump', pumps);
}

/** One xy table per step: upflow (x) → consumption (y) at that step's lift (ref). */
function pqCurves(
  system: HydroSystem,
  lifts: number[],
  curves: Array<Record<'original' | 'convex' | 'final', PqPoint[]>>,
  kind: 'original' | 'convex' | 'final',
): Xyt[] {
  return system.steps.map((step, t) => ({
    time: step.start,
    ref: lifts[t],
    x: curves[t][kind].map((point) => point.q),
    y: curves[t][kind].map((point) => point.c),
  }));
}

/**
 * A schedule's deviation per step (`<what>_schedule_penalty`: MW, or Mm3 for upflow) and its
 * cost at SHOP's pump schedule penalty costs (per MWh, per Mm3).
 */
function scheduleOutputs(
  out: Put,
  system: HydroSystem,
  name: string,
  what: 'consumption' | 'upflow',
  schedule: Array<number | undefined> | undefined,
  solver: number[],
  volumePerFlowHour: number,
  costs: PumpCosts,
): void {
  if (!schedule) return;
  const gs = system.globalSettings;
  const deviation = system.steps.map((step, t) => {
    if (schedule[t] === undefined) return 0;
    const difference = solver[t] - schedule[t]!;
    const perUnit = what === 'upflow' ? volumePerFlowHour * step.hours : step.hours;
    if (gs.pumpSchedulePenaltyFlag) {
      costs.schedulePenalty +=
        Math.abs(difference) * perUnit * (difference > 0 ? gs.pumpSchedPenaltyCostUp : gs.pumpSchedPenaltyCostDown);
    }
    return Math.abs(difference) * (what === 'upflow' ? perUnit : 1);
  });
  out.put('pump', name, `${what}_schedule_penalty`, out.flow(deviation));
}
