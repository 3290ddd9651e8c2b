/**
 * What the HiGHS provider and its solve sequences share: the loader, HiGHS's statuses, the model
 * data and options for a `LinearProgram`, and the interrupt callbacks.
 */
import highsModule, {
  type Highs,
  type HighsCallbackMap,
  type InterruptCallbackEvent,
  type ModelData,
  type OptionValue,
} from 'highs';
import type { LinearProgram, SolveOptions, SolveStatus } from './optimization-provider.js';

/**
 * The loader. `highs` is a CommonJS package with an ES module build (`import` condition); its
 * types describe the CommonJS shape, so under `nodenext` TypeScript sees the default import as
 * `{ default: loader }` while Node (and Jest) hand over the loader itself. Accept both.
 */
export const loadHighs: typeof highsModule.default =
  typeof highsModule === 'function' ? highsModule : highsModule.default;

/** HiGHS `model_status` codes (highs.constants.modelStatus) and what Tarn reports for them. */
export const MODEL_STATUS: Record<number, SolveStatus> = {
  6: 'optimal', // empty model
  7: 'optimal',
  8: 'infeasible',
  9: 'infeasible', // "unbounded or infeasible" (presolve of a MIP); see `message`
  10: 'unbounded',
  13: 'time_limit',
  17: 'interrupted',
};

export const FEASIBLE = 2; // primal_solution_status / dual_solution_status: kSolutionStatusFeasible

/** A stop asked for through the signal or the shared flag. */
export function stopRequested(flag?: Int32Array, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (flag !== undefined && Atomics.load(flag, 0) !== 0);
}

/**
 * The model for HiGHS. Names stay on Tarn's side (conflicts are named from `lp` by index):
 * copying tens of thousands of strings into WebAssembly costs more than some solves.
 */
export function toModelData(
  highs: Highs,
  lp: LinearProgram,
  numCols: number,
  numRows: number,
  mip: boolean,
): ModelData {
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
export function interruptCallbacks(
  highs: Highs,
  flag?: Int32Array,
  signal?: AbortSignal,
): HighsCallbackMap | undefined {
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
