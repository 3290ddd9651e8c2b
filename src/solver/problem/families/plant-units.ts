import type { GeneratorData } from '../hydro-system.js';
import type { UnitCurve } from '../iteration-input.js';
import { addRelease, type ConstraintFamily, type ProblemContext, type Terms } from './constraint-family.js';
import { addDelayed } from './gates.js';

/** The columns of one unit at one step. */
interface UnitStep {
  discharge: number;
  power: number;
  /** The on/off binary, where the step decides it. */
  on?: number;
  startup?: number;
}

/**
 * Each generator's discharge and power at every step, tied by its piecewise-linear curve at
 * that step's head: `q = qMin·u + Σ x_k`, `p = pAtQmin·u + Σ slope_k·x_k`, with an on/off
 * binary u and a start-up column (at `startcost`) where the step decides commitment. The
 * discharge leaves the plant's upstream reservoir and arrives downstream after its delay
 * (time_delay or shape_discharge); the power enters the power balance.
 */
export const plantUnits: ConstraintFamily = {
  name: 'plants and units',
  add(ctx: ProblemContext) {
    const { system, index } = ctx;
    system.plants.forEach((plant, p) => {
      index.unitDischarge.push([]);
      index.unitPower.push([]);
      index.unitOn.push([]);
      index.startups.push([]);
      plant.generators.forEach((generator, g) => {
        const columns: UnitStep[] = [];
        for (const t of ctx.steps) columns.push(addUnitStep(ctx, generator, p, g, t, columns[t - 1]?.on));
        const discharge = columns.map((c) => c.discharge);
        index.unitDischarge[p].push(discharge);
        index.unitPower[p].push(columns.map((c) => c.power));
        index.unitOn[p].push(columns.map((c) => c.on));
        index.startups[p].push(columns.map((c) => c.startup));
        for (const t of ctx.steps) addRelease(ctx, plant.from, t, discharge[t]);
        const values = ctx.input.transitValues?.plants[p];
        addDelayed(ctx, plant.to, plant.timeDelay, plant.delay, (s) => discharge[s], values);
      });
    });
  },
};

function addUnitStep(
  ctx: ProblemContext,
  generator: GeneratorData,
  p: number,
  g: number,
  t: number,
  previousOn: number | undefined,
): UnitStep {
  const { lp, input } = ctx;
  const name = `generator.${generator.name}`;
  const curve = input.curves[p][g][t];
  const fixed = input.fixedCommitment?.[p]?.[g]?.[t];
  const decide = input.binaries[p][t] && fixed === undefined;
  const discharge = lp.addColumn(`${name}.discharge[${t}]`, 0, Infinity);
  const power = lp.addColumn(`${name}.solver_production[${t}]`, 0, Infinity);
  // Without an on/off decision the unit is on (u = 1, or the fixed commitment), and the
  // segments' own bounds say all that x_k <= length_k·u would.
  const on = decide ? 1 : (fixed ?? 1);
  const xs = curve.segments.map((segment, k) =>
    lp.addColumn(`${name}.segment${k}[${t}]`, 0, decide ? segment.length : on * segment.length),
  );
  let u: number | undefined;
  if (decide) {
    u = lp.addColumn(`${name}.on[${t}]`, 0, 1, 0, true);
    curve.segments.forEach((segment, k) =>
      lp.addRow(`${name}.segment${k}_on[${t}]`, -Infinity, 0, [
        [xs[k], 1],
        [u!, -segment.length],
      ]),
    );
  }
  addCurveRows(ctx, name, t, curve, { discharge, power, on: u }, xs, on);
  ctx.powerBalance[t].terms.push([power, 1]);
  if (u === undefined) return { discharge, power };
  const startup = addStartup(ctx, name, generator, t, u, previousOn);
  return { discharge, power, on: u, startup };
}

/** The discharge and production rows of the curve; `on` is the fixed state when there is no binary. */
function addCurveRows(
  ctx: ProblemContext,
  name: string,
  t: number,
  curve: UnitCurve,
  columns: UnitStep,
  xs: number[],
  on: number,
): void {
  const u = columns.on;
  const dischargeTerms: Terms = [[columns.discharge, 1]];
  const productionTerms: Terms = [[columns.power, 1]];
  if (u !== undefined) {
    dischargeTerms.push([u, -curve.qMin]);
    productionTerms.push([u, -curve.pAtQmin]);
  }
  xs.forEach((x, k) => {
    dischargeTerms.push([x, -1]);
    productionTerms.push([x, -curve.segments[k].slope]);
  });
  const qRhs = u === undefined ? on * curve.qMin : 0;
  const pRhs = u === undefined ? on * curve.pAtQmin : 0;
  ctx.lp.addRow(`${name}.discharge_curve[${t}]`, qRhs, qRhs, dischargeTerms);
  ctx.lp.addRow(`${name}.production_curve[${t}]`, pRhs, pRhs, productionTerms);
}

/** start[t] >= on[t] - on[t-1]; the first step is free without an initial state. */
function addStartup(
  ctx: ProblemContext,
  name: string,
  generator: GeneratorData,
  t: number,
  u: number,
  previousOn: number | undefined,
): number {
  const { lp } = ctx;
  const s = lp.addColumn(`${name}.startup[${t}]`, 0, 1, generator.startcost[t]);
  const previous = t > 0 ? previousOn : undefined;
  const initial = t === 0 ? generator.initialState : undefined;
  if (previous !== undefined) {
    lp.addRow(`${name}.startup_def[${t}]`, 0, Infinity, [
      [s, 1],
      [u, -1],
      [previous, 1],
    ]);
  } else if (initial !== undefined) {
    lp.addRow(`${name}.startup_def[${t}]`, -initial, Infinity, [
      [s, 1],
      [u, -1],
    ]);
  }
  return s;
}
