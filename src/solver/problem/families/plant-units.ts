import type { GeneratorData } from '../hydro-system.js';
import type { UnitCurve } from '../iteration-input.js';
import { addRelease, type ConstraintFamily, type ProblemContext } from './constraint-family.js';
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
        const names = unitNames(generator);
        const columns: UnitStep[] = [];
        for (const t of ctx.steps) columns.push(addUnitStep(ctx, names, generator, p, g, t, columns[t - 1]?.on));
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

/** The prefixes of a unit's column and row names, made once per unit (the step goes in `[t]`). */
interface UnitNames {
  unit: string;
  discharge: string;
  power: string;
  on: string;
  dischargeCurve: string;
  productionCurve: string;
  startup: string;
  startupDef: string;
  /** By segment k, made as needed. */
  segment: string[];
  segmentOn: string[];
}

function unitNames(generator: GeneratorData): UnitNames {
  const name = `generator.${generator.name}`;
  return {
    unit: name,
    discharge: `${name}.discharge`,
    power: `${name}.solver_production`,
    on: `${name}.on`,
    dischargeCurve: `${name}.discharge_curve`,
    productionCurve: `${name}.production_curve`,
    startup: `${name}.startup`,
    startupDef: `${name}.startup_def`,
    segment: [],
    segmentOn: [],
  };
}

function segmentName(names: UnitNames, k: number): string {
  return (names.segment[k] ??= `${names.unit}.segment${k}`);
}

function segmentOnName(names: UnitNames, k: number): string {
  return (names.segmentOn[k] ??= `${segmentName(names, k)}_on`);
}

function addUnitStep(
  ctx: ProblemContext,
  names: UnitNames,
  generator: GeneratorData,
  p: number,
  g: number,
  t: number,
  previousOn: number | undefined,
): UnitStep {
  const { lp, input } = ctx;
  const curve = input.curves[p][g][t];
  const fixed = input.fixedCommitment?.[p]?.[g]?.[t];
  const decide = input.binaries[p][t] && fixed === undefined;
  const discharge = lp.column(names.discharge, t, 0, Infinity);
  const power = lp.column(names.power, t, 0, Infinity);
  // Without an on/off decision the unit is on (u = 1, or the fixed commitment), and the
  // segments' own bounds say all that x_k <= length_k·u would.
  const on = decide ? 1 : (fixed ?? 1);
  const { segments } = curve;
  const first = lp.numCols;
  for (let k = 0; k < segments.length; k++) {
    lp.column(segmentName(names, k), t, 0, decide ? segments[k].length : on * segments[k].length);
  }
  let u: number | undefined;
  if (decide) {
    u = lp.column(names.on, t, 0, 1, 0, true);
    for (let k = 0; k < segments.length; k++) {
      lp.row(segmentOnName(names, k), t, -Infinity, 0);
      lp.term(first + k, 1);
      lp.term(u, -segments[k].length);
    }
  }
  addCurveRows(ctx, names, t, curve, discharge, power, u, first, on);
  ctx.powerBalance.terms.add(t, power, 1);
  if (u === undefined) return { discharge, power };
  const startup = addStartup(ctx, names, generator, t, u, previousOn);
  return { discharge, power, on: u, startup };
}

/**
 * The discharge and production rows of the curve, over the segment columns `first ..`; `on`
 * is the fixed state when there is no binary `u`.
 */
function addCurveRows(
  ctx: ProblemContext,
  names: UnitNames,
  t: number,
  curve: UnitCurve,
  discharge: number,
  power: number,
  u: number | undefined,
  first: number,
  on: number,
): void {
  const { lp } = ctx;
  const { segments } = curve;
  const qRhs = u === undefined ? on * curve.qMin : 0;
  const pRhs = u === undefined ? on * curve.pAtQmin : 0;
  lp.row(names.dischargeCurve, t, qRhs, qRhs);
  lp.term(discharge, 1);
  if (u !== undefined) lp.term(u, -curve.qMin);
  for (let k = 0; k < segments.length; k++) lp.term(first + k, -1);
  lp.row(names.productionCurve, t, pRhs, pRhs);
  lp.term(power, 1);
  if (u !== undefined) lp.term(u, -curve.pAtQmin);
  for (let k = 0; k < segments.length; k++) lp.term(first + k, -segments[k].slope);
}

/** start[t] >= on[t] - on[t-1]; the first step is free without an initial state. */
function addStartup(
  ctx: ProblemContext,
  names: UnitNames,
  generator: GeneratorData,
  t: number,
  u: number,
  previousOn: number | undefined,
): number {
  const { lp } = ctx;
  const s = lp.column(names.startup, t, 0, 1, generator.startcost[t]);
  const previous = t > 0 ? previousOn : undefined;
  const initial = t === 0 ? generator.initialState : undefined;
  if (previous !== undefined) {
    lp.row(names.startupDef, t, 0, Infinity);
    lp.term(s, 1);
    lp.term(u, -1);
    lp.term(previous, 1);
  } else if (initial !== undefined) {
    lp.row(names.startupDef, t, -initial, Infinity);
    lp.term(s, 1);
    lp.term(u, -1);
  }
  return s;
}
