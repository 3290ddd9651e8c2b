import type { Highs, Model } from 'highs';
import { mappedBasis, type NamedBasis } from './basis-map.js';
import { FEASIBLE, highsOptions, interruptCallbacks, MODEL_STATUS, stopRequested, toModelData } from './highs-model.js';
import {
  checkBeforeSolve,
  emptyResult,
  isMip,
  type LinearProgram,
  type SolveOptions,
  type SolveResult,
  type SolveSequence,
} from './optimization-provider.js';

/** A cold solve of the provider; `start` is a MIP start. */
export type ColdSolve = (
  lp: LinearProgram,
  options: SolveOptions,
  signal: AbortSignal | undefined,
  start?: Float64Array,
) => Promise<SolveResult>;

/** HiGHS's defaults, for a MIP solved here without HiGHS's branch and bound. */
const DEFAULT_MIP_REL_GAP = 1e-4;
const DEFAULT_MIP_ABS_GAP = 1e-6;
/** An integer column's value counts as integral this close to an integer (HiGHS's mip_feasibility_tolerance). */
const INTEGRALITY_TOLERANCE = 1e-6;
const OPTIMAL = 7;
const BASIS_VALID = 1;
/** Bases kept, one per problem shape (columns × rows): scenarios and reserve minimums solve several shapes per run. */
const KEPT_BASES = 4;
/** A basis is carried over by names to a problem whose rows differ in number by at most this share… */
const NEAR_ROWS = 0.05;
/** …and whose columns differ by at most this share (an incremental iteration after a full one of an LP). */
const NEAR_COLUMNS = 0.25;

/**
 * The iterations of one optimization, solved by HiGHS from where the previous ones ended. SHOP's
 * iterations change coefficients and bounds (PQ curves, head terms), rarely the structure:
 *
 * - An LP starts from the simplex basis of the last solve of the same shape (columns × rows),
 *   which HiGHS then solves without presolve, by a few simplex iterations; the model itself is
 *   kept and changed where the next problem of the same structure differs. A problem of a new
 *   shape but about the same size starts from the last basis carried over by column and row
 *   names (`mappedBasis`); a much smaller or larger one starts cold, with HiGHS's presolve.
 * - A MIP starts with its LP relaxation, warm like an LP. Where the relaxation's optimum is
 *   integral it is the MIP's optimum. Otherwise its integer columns are fixed at their values
 *   rounded (to the nearest, then up) and the LP solved again from the same basis: when that
 *   solution is within the MIP gap of the relaxation's bound (`mipRelGap`, `mipAbsGap`, HiGHS's
 *   defaults without them) it is returned, as a MIP solver would at its root. Otherwise HiGHS's
 *   branch and bound solves the MIP cold, from that rounded solution when it was feasible.
 *
 * Every answer is therefore optimal within the MIP gap, as a cold solve's is. Anything but an
 * optimum (infeasible, unbounded, errors) is solved again cold, so statuses, messages and
 * conflicts are the cold solve's; a time limit or a stop is answered as it is. The interior point
 * method (`method: 'ipm'`) and a problem with `warmStart: false` are solved cold.
 */
export class HighsSolveSequence implements SolveSequence {
  /** By shape, the most recent last; names only where the problem had them. */
  private readonly bases = new Map<string, Omit<NamedBasis, 'colNames' | 'rowNames'> & Partial<NamedBasis>>();
  private closed = false;
  /** The last solve's model, with a copy of the problem it holds. */
  private kept?: { model: Model; lp: LinearProgram; options: string };

  constructor(
    private readonly runtime: () => Promise<Highs>,
    private readonly cold: ColdSolve,
  ) {}

  close(): void {
    this.closed = true;
    this.bases.clear();
    this.dropKept();
  }

  async solve(lp: LinearProgram, options: SolveOptions = {}, signal?: AbortSignal): Promise<SolveResult> {
    const started = performance.now();
    const checked = checkBeforeSolve(lp, started, signal);
    if ('result' in checked) return checked.result;
    const { numCols, numRows } = checked;
    if (this.closed || options.warmStart === false || options.method === 'ipm' || numCols === 0 || numRows === 0) {
      return this.cold(lp, options, signal);
    }
    const highs = await this.runtime();
    if (signal?.aborted) return emptyResult('interrupted', started, 'cancelled before the solve started');
    try {
      return await this.solveWarm(highs, lp, options, signal, started);
    } catch (error) {
      return emptyResult('error', started, `HiGHS: ${(error as Error).message}`);
    }
  }

  private async solveWarm(
    highs: Highs,
    lp: LinearProgram,
    options: SolveOptions,
    signal: AbortSignal | undefined,
    started: number,
  ): Promise<SolveResult> {
    const numCols = lp.colCost.length;
    const numRows = lp.rowLower.length;
    const deadline = options.timeLimitSeconds === undefined ? undefined : started + options.timeLimitSeconds * 1000;
    const remaining = (): SolveOptions =>
      deadline === undefined
        ? options
        : { ...options, timeLimitSeconds: Math.max(0.001, (deadline - performance.now()) / 1000) };
    // The LP, or the MIP's relaxation: the kept model with what changed, or a new one from a kept basis.
    const model = this.modelFor(highs, lp, options);
    let keep = false;
    try {
      const key = `${numCols}x${numRows}`;
      const callbacks = interruptCallbacks(highs, options.interruptFlag, signal);
      const { modelStatus } = model.run(callbacks);
      const simplexIterations = Number(model.info.get('simplex_iteration_count'));
      if (modelStatus !== OPTIMAL) {
        const status = MODEL_STATUS[modelStatus] ?? 'error';
        const stopped = stopRequested(options.interruptFlag, signal);
        if (!stopped && status !== 'time_limit') return await this.cold(lp, remaining(), signal);
        return this.unfinished(model, status, isMip(lp), stopped, started, simplexIterations);
      }
      this.keepBasis(key, model, lp);
      const solution = model.getSolution();
      const answer = { status: 'optimal' as const, hasSolution: true, objective: model.getObjectiveValue() };
      const { colValue, rowValue } = solution;
      keep = true;
      if (!isMip(lp)) {
        const dual = model.info.get('dual_solution_status') === FEASIBLE;
        const duals = dual ? { colDual: solution.colDual, rowDual: solution.rowDual } : {};
        return this.finish(started, { ...answer, colValue, rowValue, simplexIterations, ...duals });
      }
      const integers = integerColumns(lp);
      if (integral(colValue, integers)) {
        return this.finish(started, { ...answer, colValue, rowValue, mipGap: 0, simplexIterations });
      }
      keep = false; // until the model holds `lp`'s bounds again
      const rounded = this.roundedSolution(model, lp, integers, colValue, answer.objective, options, callbacks);
      const lower = Float64Array.from(integers, (j) => lp.colLower[j]);
      const upper = Float64Array.from(integers, (j) => lp.colUpper[j]);
      model.changeColsBounds({ kind: 'set', indices: integers }, lower, upper);
      keep = true;
      if (rounded?.withinGap) {
        const iterations = simplexIterations + rounded.simplexIterations;
        return this.finish(started, { ...rounded.result, simplexIterations: iterations });
      }
      if (stopRequested(options.interruptFlag, signal)) return emptyResult('interrupted', started, 'cancelled');
      return this.finish(started, await this.cold(lp, remaining(), signal, rounded?.result.colValue));
    } finally {
      if (keep) this.kept = { model, lp: copyOf(lp), options: optionsKey(options) };
      else model.dispose();
    }
  }

  /**
   * The model to solve `lp` (without integrality) in: the kept one, changed where `lp` differs
   * from the problem it holds, when both have the same structure and options; else a new one,
   * started from a kept basis.
   */
  private modelFor(highs: Highs, lp: LinearProgram, options: SolveOptions): Model {
    const kept = this.kept;
    if (kept && kept.options === optionsKey(options) && applyChanges(kept.model, kept.lp, lp)) {
      kept.model.zeroAllClocks(); // time_limit counts from here
      if (options.timeLimitSeconds !== undefined) kept.model.options.set({ time_limit: options.timeLimitSeconds });
      this.kept = undefined; // held by the solve now; kept again when it ends well
      return kept.model;
    }
    this.dropKept();
    const numCols = lp.colCost.length;
    const numRows = lp.rowLower.length;
    const model = highs.createModel(toModelData(highs, lp, numCols, numRows, false));
    model.options.set(highsOptions(options, false));
    const basis = this.startingBasis(`${numCols}x${numRows}`, lp);
    if (basis) {
      try {
        model.setBasis(basis);
      } catch {
        // Not a basis of this problem after all: HiGHS starts from its own.
      }
    }
    return model;
  }

  private dropKept(): void {
    this.kept?.model.dispose();
    this.kept = undefined;
  }

  /** A stop or a time limit before the optimum: an LP's point where HiGHS has a feasible one. */
  private unfinished(
    model: Model,
    status: SolveResult['status'],
    mip: boolean,
    stopped: boolean,
    started: number,
    simplexIterations: number,
  ): SolveResult {
    if (mip || model.info.get('primal_solution_status') !== FEASIBLE) {
      return emptyResult(status, started, stopped ? 'cancelled' : 'HiGHS: time limit reached');
    }
    const { colValue, rowValue } = model.getSolution();
    const objective = model.getObjectiveValue();
    return this.finish(started, { status, hasSolution: true, objective, colValue, rowValue, simplexIterations });
  }

  /**
   * The relaxation's solution with its integer columns fixed at rounded values, solved from the
   * relaxation's basis: to the nearest integer, else (infeasible) up. `withinGap` when its
   * objective is within the MIP gap of the relaxation's `bound`.
   */
  private roundedSolution(
    model: Model,
    lp: LinearProgram,
    integers: Int32Array,
    relaxed: Float64Array,
    bound: number,
    options: SolveOptions,
    callbacks: ReturnType<typeof interruptCallbacks>,
  ): { result: SolveResult; withinGap: boolean; simplexIterations: number } | undefined {
    const relGap = options.mipRelGap ?? DEFAULT_MIP_REL_GAP;
    const absGap = options.mipAbsGap ?? DEFAULT_MIP_ABS_GAP;
    const values = new Float64Array(integers.length);
    const roundings: Array<(x: number) => number> = [Math.round, (x) => Math.ceil(x - INTEGRALITY_TOLERANCE)];
    let simplexIterations = 0;
    for (const round of roundings) {
      integers.forEach((j, k) => {
        values[k] = Math.min(lp.colUpper[j], Math.max(lp.colLower[j], round(relaxed[j])));
      });
      model.changeColsBounds({ kind: 'set', indices: integers }, values, values);
      const { modelStatus } = model.run(callbacks);
      simplexIterations += Number(model.info.get('simplex_iteration_count'));
      if (stopRequested(options.interruptFlag)) return undefined;
      if (modelStatus !== OPTIMAL) continue;
      const objective = model.getObjectiveValue();
      const difference = Math.abs(objective - bound);
      const mipGap = objective === 0 ? (difference === 0 ? 0 : Infinity) : difference / Math.abs(objective);
      const { colValue, rowValue } = model.getSolution();
      return {
        result: { status: 'optimal', hasSolution: true, objective, colValue, rowValue, mipGap, seconds: 0 },
        withinGap: difference <= absGap || mipGap <= relGap,
        simplexIterations,
      };
    }
    return undefined;
  }

  /** The basis of the last solve of this shape, else the last one's carried over by name. */
  private startingBasis(key: string, lp: LinearProgram): { colStatus: Int32Array; rowStatus: Int32Array } | undefined {
    const same = this.bases.get(key);
    if (same) return same;
    const last = [...this.bases.values()].at(-1);
    if (!last?.colNames || !last.rowNames) return undefined;
    // Only from a problem of about these constraints: the next full iteration (a segment more or
    // less) or an LP's first incremental one (the same rows, the curves' columns replaced). From
    // one with many more rows (a MIP's relaxation before the commitments are fixed) HiGHS's
    // presolve starts better.
    const near = (a: number, b: number, share: number) => Math.abs(a - b) <= share * Math.max(a, b);
    if (
      !near(last.colStatus.length, lp.colCost.length, NEAR_COLUMNS) ||
      !near(last.rowStatus.length, lp.rowLower.length, NEAR_ROWS)
    ) {
      return undefined;
    }
    return mappedBasis(last as NamedBasis, lp);
  }

  private keepBasis(key: string, model: Model, lp: LinearProgram): void {
    if (model.info.get('basis_validity') !== BASIS_VALID) return;
    this.bases.delete(key);
    const { colStatus, rowStatus } = model.getBasis();
    this.bases.set(key, { colStatus, rowStatus, colNames: lp.colNames, rowNames: lp.rowNames });
    if (this.bases.size > KEPT_BASES) this.bases.delete(this.bases.keys().next().value!);
  }

  private finish(started: number, result: Omit<SolveResult, 'seconds'> & { seconds?: number }): SolveResult {
    return { ...result, seconds: (performance.now() - started) / 1000 };
  }
}

function integerColumns(lp: LinearProgram): Int32Array {
  const indices: number[] = [];
  const integrality = lp.integrality!;
  for (let j = 0; j < integrality.length; j++) if (integrality[j] !== 0) indices.push(j);
  return Int32Array.from(indices);
}

function integral(values: Float64Array, integers: Int32Array): boolean {
  for (let k = 0; k < integers.length; k++) {
    const x = values[integers[k]];
    if (Math.abs(x - Math.round(x)) > INTEGRALITY_TOLERANCE) return false;
  }
  return true;
}

/** The options a kept model was made with, but its time limit (set for each solve). */
function optionsKey(options: SolveOptions): string {
  const { time_limit: limit, ...rest } = highsOptions(options, false);
  return JSON.stringify({ ...rest, limited: limit !== undefined });
}

/** The numbers of `lp` (a problem builder may reuse its arrays). */
function copyOf(lp: LinearProgram): LinearProgram {
  return {
    sense: lp.sense,
    offset: lp.offset ?? 0,
    colCost: Float64Array.from(lp.colCost),
    colLower: Float64Array.from(lp.colLower),
    colUpper: Float64Array.from(lp.colUpper),
    rowLower: Float64Array.from(lp.rowLower),
    rowUpper: Float64Array.from(lp.rowUpper),
    aStart: Int32Array.from(lp.aStart),
    aIndex: Int32Array.from(lp.aIndex),
    aValue: Float64Array.from(lp.aValue),
  };
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Positions where `a` and `b` (of one length) differ. */
function changed(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  also?: [ArrayLike<number>, ArrayLike<number>],
): Int32Array {
  const positions: number[] = [];
  for (let k = 0; k < a.length; k++) {
    if (!Object.is(a[k], b[k]) || (also && !Object.is(also[0][k], also[1][k]))) positions.push(k);
  }
  return Int32Array.from(positions);
}

/**
 * Changes `model`, which holds `from`, to hold `to`: costs, bounds and coefficients that differ.
 * False (and nothing changed) when the two differ in structure: sense, size or sparsity pattern.
 */
function applyChanges(model: Model, from: LinearProgram, to: LinearProgram): boolean {
  if (
    from.sense !== to.sense ||
    from.colCost.length !== to.colCost.length ||
    from.rowLower.length !== to.rowLower.length ||
    !sameArray(from.aStart, to.aStart) ||
    !sameArray(from.aIndex, to.aIndex)
  ) {
    return false;
  }
  if ((from.offset ?? 0) !== (to.offset ?? 0)) model.changeObjectiveOffset(to.offset ?? 0);
  const costs = changed(from.colCost, to.colCost);
  if (costs.length) {
    model.changeColsCost(
      { kind: 'set', indices: costs },
      Float64Array.from(costs, (j) => to.colCost[j]),
    );
  }
  const columns = changed(from.colLower, to.colLower, [from.colUpper, to.colUpper]);
  if (columns.length) {
    model.changeColsBounds(
      { kind: 'set', indices: columns },
      Float64Array.from(columns, (j) => to.colLower[j]),
      Float64Array.from(columns, (j) => to.colUpper[j]),
    );
  }
  const rows = changed(from.rowLower, to.rowLower, [from.rowUpper, to.rowUpper]);
  if (rows.length) {
    model.changeRowsBounds(
      { kind: 'set', indices: rows },
      Float64Array.from(rows, (i) => to.rowLower[i]),
      Float64Array.from(rows, (i) => to.rowUpper[i]),
    );
  }
  for (let j = 0; j < to.colCost.length; j++) {
    for (let k = to.aStart[j]; k < to.aStart[j + 1]; k++) {
      if (from.aValue[k] !== to.aValue[k]) model.changeCoefficient(to.aIndex[k], j, to.aValue[k]);
    }
  }
  return true;
}
