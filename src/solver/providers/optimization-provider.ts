/**
 * The seam between Tarn's hydro model and a solver: a linear program in, a solution out.
 * Nothing outside src/solver knows which provider runs. Providers are not Nest providers: they
 * live in the SolverPool's worker threads, outside the Nest container. Each worker makes its
 * own with `createProvider(kind)` (provider.factory.ts), the kind being TARN_SOLVER as the
 * pool passes it (`SolverPoolModule` reads the config); the optimizer only sees a `solve`
 * callback.
 *
 * Conventions of `LinearProgram`:
 * - n columns (`colCost.length`) and m rows (`rowLower.length`); every column array has
 *   length n, every row array length m.
 * - Bounds use `-Infinity` / `Infinity` for "none". A row with equal finite bounds is an
 *   equality, a column with equal bounds is fixed.
 * - The constraint matrix A (m x n) is compressed sparse column (CSC): column j's entries
 *   are at positions `aStart[j] .. aStart[j + 1] - 1` of `aIndex` (row indices, zero-based)
 *   and `aValue` (coefficients). `aStart` has n + 1 entries, `aStart[0] === 0`,
 *   `aStart[n] === aIndex.length === aValue.length`; no duplicate row within a column.
 * - Numbers may be plain arrays or typed arrays (`Float64Array` for values and bounds,
 *   `Int32Array` for indices, starts and integrality); the model builder should prefer
 *   typed arrays, which HiGHS copies into WebAssembly memory without conversion and which
 *   can be transferred to a worker thread.
 * - `integrality[j]` is 0 for a continuous column and 1 for an integer column (a binary is
 *   an integer column with bounds [0, 1]). Omitted, or all zeros, means an LP.
 * - The objective is `offset + Σ colCost[j]·x[j]`, minimized or maximized per `sense`.
 */
export interface LinearProgram {
  sense: 'min' | 'max';
  offset?: number;
  colCost: NumberArray;
  colLower: NumberArray;
  colUpper: NumberArray;
  colNames?: readonly string[];
  integrality?: IndexArray;
  rowLower: NumberArray;
  rowUpper: NumberArray;
  rowNames?: readonly string[];
  aStart: IndexArray;
  aIndex: IndexArray;
  aValue: NumberArray;
}

export type NumberArray = readonly number[] | Float64Array;
export type IndexArray = readonly number[] | Int32Array;

export type SolveMethod = 'simplex' | 'primal' | 'dual' | 'ipm' | 'choose';

export interface SolveOptions {
  /** Wall-clock limit for the solve; on reaching it the status is 'time_limit'. */
  timeLimitSeconds?: number;
  /** A MIP stops when (incumbent − bound) / |incumbent| is at most this. */
  mipRelGap?: number;
  /** A MIP stops when |incumbent − bound| is at most this. */
  mipAbsGap?: number;
  /** Solver threads (CBC); the HiGHS WebAssembly build is single-threaded and ignores it. */
  threads?: number;
  /** The LP algorithm; for a MIP it applies to the relaxations where the solver allows it. */
  method?: SolveMethod;
  /**
   * A cancel flag that another thread may set while the solve blocks this one: an
   * `Int32Array` on a `SharedArrayBuffer`, non-zero at index 0 meaning "stop". HiGHS reads
   * it in its interrupt callbacks (an `AbortSignal` cannot change while a synchronous
   * WebAssembly solve blocks the event loop). CBC runs in a child process, so its
   * `signal` works and it does not need this flag.
   */
  interruptFlag?: Int32Array;
  /**
   * On an infeasible problem, look for the conflicting constraints (`SolveResult.conflict`);
   * default true. Only HiGHS can. The search runs after the solve and can take longer than
   * the solve itself on a large model; an interrupt before it starts skips it.
   */
  iis?: boolean;
  /** Wall-clock limit for that search; default `timeLimitSeconds`, else 60 s. At the limit the set may not be minimal. */
  iisTimeLimitSeconds?: number;
  /** In a `SolveSequence`: false solves this problem cold, as `solve` does (default true). */
  warmStart?: boolean;
}

export type SolveStatus = 'optimal' | 'infeasible' | 'unbounded' | 'time_limit' | 'interrupted' | 'error';

/**
 * Which side of a row's or column's bounds takes part in a conflict: `lower`, `upper`, `both`
 * (an equality or fixed column, or both sides of a range), `free` (a column that only appears
 * in the conflicting rows: its own bounds play no part).
 */
export type ConflictBound = 'lower' | 'upper' | 'both' | 'free';

/** A row or column of a conflict, with its bounds in the solved problem (±Infinity for none). */
export interface ConflictEntry {
  index: number;
  name?: string;
  bound: ConflictBound;
  lower: number;
  upper: number;
}

/**
 * Why a problem is infeasible: an irreducible infeasible subsystem (IIS), i.e. rows and
 * column bounds that cannot all hold, while dropping any one of them makes the rest
 * feasible. For a MIP it is an IIS of the LP relaxation. Plain data (it crosses threads).
 */
export interface SolverConflict {
  rows: ConflictEntry[];
  columns: ConflictEntry[];
  /**
   * Whether the solver proved the set irreducible. False when it gave only a candidate set
   * (the search hit its time limit, or a MIP whose LP relaxation is feasible: then the
   * integer restrictions are what conflicts).
   */
  irreducible: boolean;
  /**
   * The subsystem as a problem of its own, when irreducible: the conflicting rows (with only
   * their conflicting bounds) over the columns that occur in them, names kept, no objective.
   * It is infeasible by itself.
   */
  lp?: LinearProgram;
}

export interface SolveResult {
  status: SolveStatus;
  /** Whether `colValue`/`rowValue` hold a feasible point (the optimum, or the incumbent at a limit). */
  hasSolution: boolean;
  /** The objective (with `offset`) of that point; NaN when there is none. */
  objective: number;
  /** Column values, length n (empty when the solver returned none). */
  colValue: Float64Array;
  /** Row activities A·x, length m (empty when the solver returned none). */
  rowValue: Float64Array;
  /** Reduced costs, for an optimal LP, in the problem's own sense (see `rowDual`). */
  colDual?: Float64Array;
  /**
   * Row duals (shadow prices) for an optimal LP: the change in the objective per unit
   * increase of the row's active bound, for the problem's own sense (positive for a binding
   * `<=` row of a maximization, as HiGHS reports them).
   */
  rowDual?: Float64Array;
  /** The relative MIP gap at the end of a MIP solve, when the solver reports it. */
  mipGap?: number;
  /** Wall-clock seconds of the solve, including building the problem. */
  seconds: number;
  /** Simplex iterations of an LP (or of the LPs a warm-started MIP took), when the solver reports them. */
  simplexIterations?: number;
  /** What the solver said when the status needs explaining (an error, "infeasible or unbounded"). */
  message?: string;
  /** For status 'infeasible': the conflicting constraints, when the provider can find them (HiGHS). */
  conflict?: SolverConflict;
}

/**
 * Related solves, one after the other: the iterations of one optimization, whose problems change
 * coefficients and bounds more than structure. A provider that can warm-start keeps what it needs
 * between them; results are those of `OptimizationProvider.solve` within the MIP gap.
 */
export interface SolveSequence {
  solve(lp: LinearProgram, options?: SolveOptions, signal?: AbortSignal): Promise<SolveResult>;
  /** Lets go of what the sequence keeps. */
  close(): void;
}

/** A solver behind the seam; `createProvider` makes one of the kind asked for. */
export abstract class OptimizationProvider {
  abstract readonly name: string;
  /**
   * Solves `lp`. Never rejects for a solver outcome: infeasible, limits, cancellation and
   * solver errors are statuses. An already-aborted `signal` returns 'interrupted' without
   * solving.
   */
  abstract solve(lp: LinearProgram, options?: SolveOptions, signal?: AbortSignal): Promise<SolveResult>;

  /** A sequence of related solves; by default each one is solved cold. */
  openSequence(): SolveSequence {
    return { solve: (lp, options, signal) => this.solve(lp, options, signal), close: () => undefined };
  }
}

/** Number of columns and rows, after checking that every array has the length the CSC layout needs. */
export function dimensions(lp: LinearProgram): { numCols: number; numRows: number } {
  const numCols = lp.colCost.length;
  const numRows = lp.rowLower.length;
  const problems: string[] = [];
  const expect = (name: string, actual: number | undefined, wanted: number) => {
    if (actual !== undefined && actual !== wanted) problems.push(`${name} has ${actual} entries, expected ${wanted}`);
  };
  expect('colLower', lp.colLower.length, numCols);
  expect('colUpper', lp.colUpper.length, numCols);
  expect('colNames', lp.colNames?.length, numCols);
  expect('integrality', lp.integrality?.length, numCols);
  expect('rowUpper', lp.rowUpper.length, numRows);
  expect('rowNames', lp.rowNames?.length, numRows);
  expect('aStart', lp.aStart.length, numCols + 1);
  expect('aValue', lp.aValue.length, lp.aIndex.length);
  if (lp.aStart.length === numCols + 1 && lp.aStart[numCols] !== lp.aIndex.length) {
    problems.push(`aStart[${numCols}] is ${lp.aStart[numCols]}, expected ${lp.aIndex.length} (the number of entries)`);
  }
  if (problems.length > 0) throw new Error(`Invalid linear program: ${problems.join('; ')}`);
  return { numCols, numRows };
}

export function isMip(lp: LinearProgram): boolean {
  const integrality = lp.integrality;
  if (integrality === undefined) return false;
  for (let j = 0; j < integrality.length; j++) if (integrality[j] !== 0) return true;
  return false;
}

/**
 * What every provider checks before solving: a cancel that came first, and the CSC layout.
 * Answers the result to return at once, or the problem's dimensions.
 */
export function checkBeforeSolve(
  lp: LinearProgram,
  startedMs: number,
  signal?: AbortSignal,
): { result: SolveResult } | { numCols: number; numRows: number } {
  if (signal?.aborted) return { result: emptyResult('interrupted', startedMs, 'cancelled before the solve started') };
  try {
    return dimensions(lp);
  } catch (error) {
    return { result: emptyResult('error', startedMs, (error as Error).message) };
  }
}

/** The result for a solve that was cancelled (or failed) before the solver produced anything. */
export function emptyResult(status: SolveStatus, startedMs: number, message?: string): SolveResult {
  return {
    status,
    hasSolution: false,
    objective: Number.NaN,
    colValue: new Float64Array(0),
    rowValue: new Float64Array(0),
    seconds: (performance.now() - startedMs) / 1000,
    ...(message === undefined ? {} : { message }),
  };
}
