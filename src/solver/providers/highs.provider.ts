import highsModule, {
  type Highs,
  type HighsCallbackMap,
  type InitOptions,
  type InterruptCallbackEvent,
  type Model,
  type ModelData,
  type OptionValue,
} from 'highs';
import {
  type ConflictBound,
  type ConflictEntry,
  type LinearProgram,
  OptimizationProvider,
  type SolveOptions,
  type SolveResult,
  type SolveStatus,
  type SolverConflict,
  checkBeforeSolve,
  emptyResult,
  isMip,
} from './optimization-provider.js';

/**
 * The loader. `highs` is a CommonJS package with an ES module build (`import` condition); its
 * types describe the CommonJS shape, so under `nodenext` TypeScript sees the default import as
 * `{ default: loader }` while Node (and Jest) hand over the loader itself. Accept both.
 */
const loadHighs: typeof highsModule.default = typeof highsModule === 'function' ? highsModule : highsModule.default;

/** HiGHS `model_status` codes (highs.constants.modelStatus) and what Tarn reports for them. */
const MODEL_STATUS: Record<number, SolveStatus> = {
  6: 'optimal', // empty model
  7: 'optimal',
  8: 'infeasible',
  9: 'infeasible', // "unbounded or infeasible" (presolve of a MIP); see `message`
  10: 'unbounded',
  13: 'time_limit',
  17: 'interrupted',
};

const FEASIBLE = 2; // primal_solution_status / dual_solution_status: kSolutionStatusFeasible

/**
 * `iis_strategy` bits. FromLp + Irreducible is the fastest way to a proved irreducible set here
 * (about a second on the basic model, five times faster than Irreducible alone); Relaxation
 * makes HiGHS accept a MIP and look at its LP relaxation.
 */
const IIS_FROM_LP = 2;
const IIS_IRREDUCIBLE = 4;
const IIS_RELAXATION = 16;
const DEFAULT_IIS_SECONDS = 60;

/**
 * HiGHS through the `highs` npm package (WebAssembly). The module is loaded and compiled
 * once, lazily, and the instance is reused; each solve creates a model from the CSC
 * arrays (`createModel({ matrix: { format: 'csc', ... } })`, no LP text) and disposes it
 * in `finally`, since garbage collection does not free WebAssembly memory.
 *
 * Cancelling: `solve()` runs synchronously inside WebAssembly and blocks the event loop,
 * so an `AbortSignal` is honoured before the solve (and after loading), and during the
 * solve only through the interrupt callbacks (simplex, IPM, MIP), which stop the solve
 * when the signal is aborted or `options.interruptFlag` is set. From the same thread the
 * signal cannot change mid-solve; the flag can, from another thread (the worker pool of a
 * later slice sets it).
 *
 * Infeasible problems: HiGHS then computes an irreducible infeasible subsystem (IIS; for a MIP,
 * of its LP relaxation) and the result carries it as `conflict`, with the LP's names. The
 * search runs only for infeasible problems (feasible solves pay nothing), can be switched off
 * (`options.iis`), has its own time limit, and is skipped when a stop was asked for. It is not
 * interruptible once running: the interrupt callbacks apply to `run()` only (the pool
 * terminates a worker that does not answer a cancel in time).
 */
export class HighsProvider extends OptimizationProvider {
  readonly name = 'highs';
  private runtime?: Promise<Highs>;

  constructor(private readonly loadOptions: InitOptions = {}) {
    super();
  }

  /** Loads the WebAssembly module (once) and runs one tiny solve so that the first real one is not the slow one. */
  async warmUp(): Promise<void> {
    const result = await this.solve({
      sense: 'min',
      colCost: [1],
      colLower: [0],
      colUpper: [1],
      integrality: [1],
      rowLower: [0.5],
      rowUpper: [Infinity],
      aStart: [0, 1],
      aIndex: [0],
      aValue: [1],
    });
    if (result.status !== 'optimal') {
      throw new Error(`HiGHS warm-up solve failed: ${result.status} ${result.message ?? ''}`);
    }
  }

  private highs(): Promise<Highs> {
    const runtime = (this.runtime ??= loadHighs(this.loadOptions).catch((error: unknown) => {
      this.runtime = undefined; // let a later call try again
      throw error;
    }));
    return runtime;
  }

  async solve(lp: LinearProgram, options: SolveOptions = {}, signal?: AbortSignal): Promise<SolveResult> {
    const started = performance.now();
    const checked = checkBeforeSolve(lp, started, signal);
    if ('result' in checked) return checked.result;
    const { numCols, numRows } = checked;
    const highs = await this.highs();
    if (signal?.aborted) return emptyResult('interrupted', started, 'cancelled before the solve started');

    const mip = isMip(lp);
    let model: ReturnType<Highs['createModel']> | undefined;
    try {
      model = highs.createModel(toModelData(highs, lp, numCols, numRows, mip));
      model.options.set(highsOptions(options, mip));
      const callbacks = interruptCallbacks(highs, options.interruptFlag, signal);
      let { modelStatus } = model.run(callbacks);
      if (modelStatus === 9 && !stopRequested(options.interruptFlag, signal)) {
        // Presolve saw "infeasible or unbounded" without deciding; without presolve the solver decides.
        model.options.set({ presolve: 'off' });
        ({ modelStatus } = model.run(callbacks));
      }

      const status: SolveStatus = MODEL_STATUS[modelStatus] ?? 'error';
      // An unbounded LP has feasible points, but none of them is an answer.
      const hasSolution =
        (status === 'optimal' || status === 'time_limit' || status === 'interrupted') &&
        model.info.get('primal_solution_status') === FEASIBLE;
      const solution = model.getSolution();
      const result: SolveResult = {
        status,
        hasSolution,
        objective: hasSolution ? model.getObjectiveValue() : Number.NaN,
        colValue: hasSolution ? solution.colValue : new Float64Array(0),
        rowValue: hasSolution ? solution.rowValue : new Float64Array(0),
        seconds: 0,
      };
      if (!mip && status === 'optimal' && model.info.get('dual_solution_status') === FEASIBLE) {
        result.colDual = solution.colDual;
        result.rowDual = solution.rowDual;
      }
      if (mip) {
        const gap = Number(model.info.get('mip_gap'));
        if (Number.isFinite(gap)) result.mipGap = gap;
      }
      if (modelStatus === 9) result.message = 'HiGHS: the problem is infeasible or unbounded (not distinguished)';
      else if (status === 'error') result.message = `HiGHS model status ${modelStatus}`;
      if (modelStatus === 8 && options.iis !== false && !stopRequested(options.interruptFlag, signal)) {
        const found = findConflict(highs, model, lp, mip, options.iisTimeLimitSeconds ?? options.timeLimitSeconds);
        if (found.conflict) result.conflict = found.conflict;
        if (found.message) result.message = found.message;
      }
      result.seconds = (performance.now() - started) / 1000;
      return result;
    } catch (error) {
      return emptyResult('error', started, `HiGHS: ${(error as Error).message}`);
    } finally {
      model?.dispose();
    }
  }
}

/** A stop asked for through the signal or the shared flag. */
function stopRequested(flag?: Int32Array, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (flag !== undefined && Atomics.load(flag, 0) !== 0);
}

/** The IIS of an infeasible model that has just been run, translated to Tarn's plain data. */
function findConflict(
  highs: Highs,
  model: Model,
  lp: LinearProgram,
  mip: boolean,
  seconds = DEFAULT_IIS_SECONDS,
): { conflict?: SolverConflict; message?: string } {
  const codes = highs.constants.iis;
  model.options.set({
    iis_strategy: IIS_FROM_LP | IIS_IRREDUCIBLE | (mip ? IIS_RELAXATION : 0),
    iis_time_limit: seconds,
  });
  let iis: ReturnType<Model['getIis']>;
  try {
    iis = model.getIis();
  } catch (error) {
    return { message: `HiGHS found no conflicting constraints: ${(error as Error).message}` };
  }
  const proved = model.lastCall.status === 0;
  if (iis.rowIndex.length === 0 && iis.colIndex.length === 0) {
    return { message: 'HiGHS found no conflicting constraints' };
  }
  const bound: Record<number, ConflictBound> = {
    [codes.boundLower]: 'lower',
    [codes.boundUpper]: 'upper',
    [codes.boundBoxed]: 'both',
  };
  const entries = (
    indices: Int32Array,
    bounds: Int32Array,
    lower: LinearProgram['colLower'],
    upper: LinearProgram['colUpper'],
    names: readonly string[] | undefined,
  ): ConflictEntry[] =>
    Array.from(indices, (index, k) => ({
      index,
      ...(names?.[index] !== undefined ? { name: names[index] } : {}),
      bound: bound[bounds[k]] ?? 'free',
      lower: lower[index],
      upper: upper[index],
    }));
  const conflict: SolverConflict = {
    rows: entries(iis.rowIndex, iis.rowBound, lp.rowLower, lp.rowUpper, lp.rowNames),
    columns: entries(iis.colIndex, iis.colBound, lp.colLower, lp.colUpper, lp.colNames),
    irreducible:
      proved &&
      Array.prototype.every.call(iis.rowIndex, (i: number) => iis.rowStatus[i] === codes.inConflict) &&
      Array.prototype.every.call(iis.colIndex, (j: number) => iis.colStatus[j] === codes.inConflict),
  };
  if (!conflict.irreducible) {
    return {
      conflict,
      message: mip
        ? 'HiGHS: the LP relaxation has no proved conflict; the integer restrictions may be what conflicts'
        : 'HiGHS: the conflicting set found is not proved minimal (the search stopped early)',
    };
  }
  const sub = subProblem(model.getIisLp('csc'), conflict);
  if (sub) conflict.lp = sub;
  return { conflict };
}

/** The IIS as a problem of its own; names are the original ones (or x<j> / r<i> after the original index). */
function subProblem(data: ReturnType<Model['getIisLp']>, conflict: SolverConflict): LinearProgram | undefined {
  const { matrix } = data;
  if (data.numCols !== conflict.columns.length || data.numRows !== conflict.rows.length || matrix.format !== 'csc') {
    return undefined;
  }
  return {
    sense: 'min',
    colCost: new Float64Array(data.numCols),
    colLower: data.colLower,
    colUpper: data.colUpper,
    colNames: conflict.columns.map((c) => c.name ?? `x${c.index}`),
    rowLower: data.rowLower,
    rowUpper: data.rowUpper,
    rowNames: conflict.rows.map((r) => r.name ?? `r${r.index}`),
    aStart: matrix.starts,
    aIndex: matrix.indices,
    aValue: matrix.values,
  };
}

/**
 * The model for HiGHS. Names stay on Tarn's side (conflicts are named from `lp` by index):
 * copying tens of thousands of strings into WebAssembly costs more than some solves.
 */
function toModelData(highs: Highs, lp: LinearProgram, numCols: number, numRows: number, mip: boolean): ModelData {
  const { objectiveSense } = highs.constants;
  return {
    numCols,
    numRows,
    sense: lp.sense === 'max' ? objectiveSense.maximize : objectiveSense.minimize,
    offset: lp.offset ?? 0,
    colCost: lp.colCost,
    colLower: lp.colLower,
    colUpper: lp.colUpper,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    matrix: { format: 'csc', numRows, numCols, starts: lp.aStart, indices: lp.aIndex, values: lp.aValue },
    ...(mip ? { integrality: lp.integrality as ModelData['integrality'] } : {}),
  };
}

/** HiGHS option names for Tarn's options. `threads` is not settable: this WebAssembly build is single-threaded. */
export function highsOptions(options: SolveOptions, mip: boolean): Record<string, OptionValue> {
  const set: Record<string, OptionValue> = { output_flag: false };
  if (options.timeLimitSeconds !== undefined) set.time_limit = options.timeLimitSeconds;
  if (options.mipRelGap !== undefined) set.mip_rel_gap = options.mipRelGap;
  if (options.mipAbsGap !== undefined) set.mip_abs_gap = options.mipAbsGap;
  // simplex_strategy: 1 dual (serial), 4 primal. `solver` other than 'choose' makes HiGHS solve
  // a MIP's LP relaxation only, so for a MIP only the simplex strategy is passed on.
  switch (options.method) {
    case 'primal':
      if (!mip) set.solver = 'simplex';
      set.simplex_strategy = 4;
      break;
    case 'dual':
      if (!mip) set.solver = 'simplex';
      set.simplex_strategy = 1;
      break;
    case 'simplex':
      if (!mip) set.solver = 'simplex';
      break;
    case 'ipm':
      if (!mip) set.solver = 'ipm';
      break;
    default:
      break;
  }
  return set;
}

/** Callbacks only when something can ask for a stop: each callback event crosses the WebAssembly boundary. */
function interruptCallbacks(highs: Highs, flag?: Int32Array, signal?: AbortSignal): HighsCallbackMap | undefined {
  if (!flag && !signal) return undefined;
  const stop = (event: InterruptCallbackEvent): undefined => {
    if (signal?.aborted || (flag && Atomics.load(flag, 0) !== 0)) event.interrupt();
    return undefined;
  };
  const { callbackType } = highs.constants;
  return {
    [callbackType.simplexInterrupt]: stop,
    [callbackType.ipmInterrupt]: stop,
    [callbackType.mipInterrupt]: stop,
  };
}
