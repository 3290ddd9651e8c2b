import { MM3_PER_M3S_HOUR } from '../../physics/reservoir.js';
import type { PlantData, PumpData } from '../hydro-system.js';
import type { PumpColumns, PumpStep } from '../iteration-input.js';
import { addFlow, addRelease, type ConstraintFamily, type ProblemContext, type Terms } from './constraint-family.js';

/**
 * Pumps (modelling-2.md §1), per pump and step: commitment u (binary where the plant's units
 * are, else 0..1; fixed where the input says), upflow q and consumption c tied by the pump's
 * curve at the previous iteration's lift (`q = u·qMin + Σ x_k`, `c = u·C(qMin) + Σ s_k·x_k`,
 * `x_k ≤ len_k·u`). Pumped water leaves the reservoir the plant discharges into and enters the
 * object that feeds the plant in the same step (no delay, Tarn); consumption enters the power
 * balance with −1 and costs the plant's `consumption_fee`. Start and stop costs where u is a
 * binary decision (otherwise counted afterwards, as for generators); schedules with SHOP's
 * pump schedule penalties (hard when `pump_schedule_penalty_flag` is 0).
 *
 * No generating and pumping on one penstock in one step (Tarn): `u_gen + u_pump ≤ 1` for each
 * generator and pump on the same penstock. A generator without an on/off column (the relaxed
 * model) counts as on by the share of its largest discharge it uses: `q_gen/Q_max + u_pump ≤ 1`,
 * i.e. `q_gen + Q_max·u_pump ≤ Q_max` — exact at u_pump ∈ {0, 1}, a relaxation in between.
 */
export const pumps: ConstraintFamily = {
  name: 'pumps',
  add(ctx: ProblemContext) {
    const { system, input } = ctx;
    if (!input.pumps || !system.plants.some((plant) => plant.pumps?.length)) return;
    ctx.index.pumps = system.plants.map((plant, p) =>
      (plant.pumps ?? []).map((pump, k) => addPump(ctx, plant, p, pump, input.pumps![p][k])),
    );
    // Head optimization of pumps: consumption moves with the storage before the step.
    for (const term of input.pumpHeadTerms ?? []) {
      if (term.step < 1 || term.step >= ctx.steps.length) continue;
      const balance = ctx.powerBalance;
      balance.terms.add(term.step, ctx.index.storage[term.reservoir][term.step - 1], -term.coefficient);
      balance.load[term.step] -= term.coefficient * term.reference;
    }
  },
};

function addPump(ctx: ProblemContext, plant: PlantData, p: number, pump: PumpData, curves: PumpStep[]): PumpColumns {
  const { lp, system, input } = ctx;
  const gs = system.globalSettings;
  const name = `pump.${pump.name}`;
  const columns: PumpColumns = { upflow: [], consumption: [], on: [] };
  for (const t of ctx.steps) {
    const curve = curves[t];
    const hours = system.steps[t].hours;
    const decide = input.binaries[p][t] && curve.fixed === undefined;
    const fee = plant.consumptionFee?.[t] ?? 0;
    const q = lp.addColumn(`${name}.solver_upflow[${t}]`, 0, Infinity);
    const c = lp.addColumn(`${name}.solver_consumption[${t}]`, 0, Infinity, fee * hours);
    const u = lp.addColumn(`${name}.on[${t}]`, curve.fixed ?? 0, curve.fixed ?? 1, 0, decide);
    const xs = curve.segments.map((segment, s) => {
      const x = lp.addColumn(`${name}.segment${s}[${t}]`, 0, segment.length);
      lp.addRow(`${name}.segment${s}_on[${t}]`, -Infinity, 0, [
        [x, 1],
        [u, -segment.length],
      ]);
      return x;
    });
    const upflowTerms: Terms = [
      [q, 1],
      [u, -curve.qMin],
    ];
    const consumptionTerms: Terms = [
      [c, 1],
      [u, -curve.cAtQmin],
    ];
    xs.forEach((x, s) => {
      upflowTerms.push([x, -1]);
      consumptionTerms.push([x, -curve.segments[s].slope]);
    });
    lp.addRow(`${name}.upflow_curve[${t}]`, 0, 0, upflowTerms);
    lp.addRow(`${name}.consumption_curve[${t}]`, 0, 0, consumptionTerms);
    // Pumped water: out of the reservoir below, into what feeds the plant, in the same step.
    addRelease(ctx, plant.to, t, q);
    addFlow(ctx, plant.from, t, q);
    ctx.powerBalance.terms.add(t, c, -1);
    if (decide) addStartStop(ctx, name, pump, t, u, columns.on[t - 1]);
    addSchedule(ctx, `${name}.consumption_schedule[${t}]`, c, pump.consumptionSchedule?.[t], hours, gs);
    addSchedule(ctx, `${name}.upflow_schedule[${t}]`, q, pump.upflowSchedule?.[t], MM3_PER_M3S_HOUR * hours, gs);
    notGenerating(ctx, plant, p, pump, t, u);
    columns.upflow.push(q);
    columns.consumption.push(c);
    columns.on.push(u);
  }
  return columns;
}

/** start ≥ u[t] − u[t−1], stop ≥ u[t−1] − u[t]; the first step is free without `initial_state`. */
function addStartStop(
  ctx: ProblemContext,
  name: string,
  pump: PumpData,
  t: number,
  u: number,
  previous: number | undefined,
): void {
  const { lp } = ctx;
  const initial = t === 0 ? pump.initialState : undefined;
  if (previous === undefined && initial === undefined) return;
  const start = lp.addColumn(`${name}.startup[${t}]`, 0, 1, pump.startcost[t]);
  const stop = lp.addColumn(`${name}.stop[${t}]`, 0, 1, pump.stopcost[t]);
  if (previous !== undefined) {
    lp.addRow(`${name}.startup_def[${t}]`, 0, Infinity, [
      [start, 1],
      [u, -1],
      [previous, 1],
    ]);
    lp.addRow(`${name}.stop_def[${t}]`, 0, Infinity, [
      [stop, 1],
      [u, 1],
      [previous, -1],
    ]);
  } else {
    lp.addRow(`${name}.startup_def[${t}]`, -initial!, Infinity, [
      [start, 1],
      [u, -1],
    ]);
    lp.addRow(`${name}.stop_def[${t}]`, initial!, Infinity, [
      [stop, 1],
      [u, 1],
    ]);
  }
}

/**
 * `column − above + below = schedule` with the pump schedule penalty per unit of deviation
 * (`perUnit`: hours for MW, Mm3 per m3/s for upflow); `column = schedule` (hard) when
 * `pump_schedule_penalty_flag` is 0.
 */
function addSchedule(
  ctx: ProblemContext,
  name: string,
  column: number,
  schedule: number | undefined,
  perUnit: number,
  gs: ProblemContext['system']['globalSettings'],
): void {
  if (schedule === undefined) return;
  const { lp } = ctx;
  if (!gs.pumpSchedulePenaltyFlag) {
    lp.addRow(name, schedule, schedule, [[column, 1]]);
    return;
  }
  const base = name.replace(/\[\d+\]$/, '');
  const t = name.slice(base.length);
  const above = lp.addColumn(`${base}_above${t}`, 0, Infinity, gs.pumpSchedPenaltyCostUp * perUnit);
  const below = lp.addColumn(`${base}_below${t}`, 0, Infinity, gs.pumpSchedPenaltyCostDown * perUnit);
  lp.addRow(name, schedule, schedule, [
    [column, 1],
    [above, -1],
    [below, 1],
  ]);
}

/** No generating and pumping on one penstock in one step (see the family's comment). */
function notGenerating(ctx: ProblemContext, plant: PlantData, p: number, pump: PumpData, t: number, u: number): void {
  const { lp, input, index } = ctx;
  plant.generators.forEach((generator, g) => {
    if (generator.penstock !== pump.penstock) return;
    const on = index.unitOn[p]?.[g]?.[t];
    const name = `pump.${pump.name}.not_generating${g + 1}[${t}]`;
    if (on !== undefined) {
      lp.addRow(name, -Infinity, 1, [
        [on, 1],
        [u, 1],
      ]);
      return;
    }
    const curve = input.curves[p][g][t];
    const qMax = curve.qMin + curve.segments.reduce((sum, s) => sum + s.length, 0);
    if (!(qMax > 0)) return;
    lp.addRow(name, -Infinity, qMax, [
      [index.unitDischarge[p][g][t], 1],
      [u, qMax],
    ]);
  });
}
