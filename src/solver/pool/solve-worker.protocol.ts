/**
 * What a SolverPool and its worker threads (solve-worker.ts) say to each other: the worker's
 * `workerData`, the request the pool posts, the messages the worker posts back. Its own file so
 * that the pool and the worker both import it and not each other.
 */
import type { InitOptions } from 'highs';
import type { ShopModelJson } from '../../shop/shop-json.js';
import type { SolverRun } from '../../shop/command-interpreter.js';
import type { Continuation, Log, OptimizationOutcome } from '../model/hydro-optimizer.js';
import type { ProviderKind } from '../providers/provider.factory.js';

/** A compiled `WebAssembly.Module` (tsconfig's lib, es2023, does not declare the WebAssembly API). */
export type WasmModule = NonNullable<InitOptions['wasmModule']>;

/** `workerData` of a solve worker. */
export interface SolveWorkerData {
  /** The provider the worker makes (`createProvider`): TARN_SOLVER, as the pool was told. */
  provider: ProviderKind;
  /** HiGHS compiled once by the pool; undefined: this worker compiles its own. */
  wasmModule?: WasmModule;
  /** TARN_SOLVER=cbc: the cbc executable; the worker then loads no HiGHS. */
  cbcCommand?: string;
  /** Run the representative warm-up optimization before `ready` (default true). */
  warmUp?: boolean;
  /** TARN_SOLVER_EXPORT_DIR: where the worker writes every solve's problem (problem-export.ts). */
  exportDir?: string;
}

/** Pool -> worker. `flag` is an Int32Array on a SharedArrayBuffer (shared, not copied). */
export interface OptimizeRequest {
  type: 'optimize';
  jobId: number;
  model: ShopModelJson;
  runs: SolverRun[];
  /** What the session's previous run left (`optimize`'s `resume`); the outcome carries the next. */
  resume?: Continuation;
  flag: Int32Array;
}

/** The figures of one solve (one iteration), for the log summary and the benchmark. */
export interface SolveStats {
  columns: number;
  rows: number;
  /** Integer columns. */
  binaries: number;
  status: string;
  objective: number;
  mipGap?: number;
  /** The provider's own seconds (SolveResult.seconds). */
  seconds: number;
}

/** An error thrown by `optimize`, as data (a HydroModelError keeps its path). */
export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
  /** A HydroModelError's path and reason. */
  path?: string;
  reason?: string;
  /** A HydroModelError's `rejected`. */
  rejected?: boolean;
}

/** Worker -> pool. */
export type SolveWorkerMessage =
  | { type: 'loaded' }
  | { type: 'ready'; warmUpMs: number; sharedModule: boolean; warmedUp: boolean }
  | { type: 'init-error'; message: string }
  | { type: 'log'; jobId: number; level: Parameters<Log>[0]; message: string }
  | { type: 'solved'; jobId: number; stats: SolveStats }
  | { type: 'done'; jobId: number; outcome: OptimizationOutcome }
  | { type: 'failed'; jobId: number; error: WorkerError };
