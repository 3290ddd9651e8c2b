/**
 * The entry of a SolverPool worker thread (see solver-pool.ts). Not imported by anything: the
 * pool starts it with `new Worker(url)`, from the compiled file (`dist/src/solver/solve-worker.js`),
 * also when the tests run from `src/` (Jest cannot start a TypeScript worker; `npm test` builds
 * first).
 *
 * Life of a worker: load HiGHS once (from the `WebAssembly.Module` the pool compiled and passed
 * in `workerData`, else by compiling `highs.wasm` itself), warm up with a tiny solve, post
 * `ready`, then solve one problem per `solve` message, for as long as the pool keeps it. The
 * solve blocks this thread; the pool stops it through the job's shared interrupt flag (read by
 * HiGHS's interrupt callbacks) or, when that does not answer in time, by terminating the thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { HighsProvider } from './highs.provider.js';
import type { LinearProgram, SolveOptions, SolveResult } from './optimization-provider.js';
import type { WasmModule } from './solver-pool.js';
import { emptyResult } from './optimization-provider.js';

/** `workerData` of a solve worker. */
export interface SolveWorkerData {
  /** HiGHS compiled once by the pool; undefined: this worker compiles its own. */
  wasmModule?: WasmModule;
}

/** Pool -> worker. `flag` is an Int32Array on a SharedArrayBuffer (shared, not copied). */
export interface SolveRequest {
  type: 'solve';
  jobId: number;
  lp: LinearProgram;
  options: Omit<SolveOptions, 'interruptFlag'>;
  flag: Int32Array;
}

/** Worker -> pool. */
export type SolveWorkerMessage =
  | { type: 'ready'; warmUpMs: number; sharedModule: boolean }
  | { type: 'init-error'; message: string }
  | { type: 'result'; jobId: number; result: SolveResult };

/** The buffers of the result arrays that can be moved rather than copied (not views into WebAssembly memory). */
function transferable(result: SolveResult): ArrayBuffer[] {
  const arrays = [result.colValue, result.rowValue, result.colDual, result.rowDual];
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) {
    if (array && array.buffer instanceof ArrayBuffer && array.byteLength === array.buffer.byteLength) {
      buffers.add(array.buffer);
    }
  }
  return [...buffers];
}

async function main(): Promise<void> {
  const port = parentPort;
  if (isMainThread || !port) throw new Error('solve-worker.js is a worker thread entry; SolverPool starts it');
  const { wasmModule } = (workerData ?? {}) as SolveWorkerData;
  const post = (message: SolveWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

  const highs = new HighsProvider(wasmModule ? { wasmModule } : {});
  const started = performance.now();
  try {
    await highs.warmUp();
  } catch (error) {
    post({ type: 'init-error', message: (error as Error).message ?? String(error) });
    return;
  }

  port.on('message', (request: SolveRequest) => {
    if (request?.type !== 'solve') return;
    const { jobId, lp, options, flag } = request;
    const begun = performance.now();
    const answer = (result: SolveResult) => post({ type: 'result', jobId, result }, transferable(result));
    if (Atomics.load(flag, 0) !== 0) {
      answer(emptyResult('interrupted', begun, 'cancelled before the solve started'));
      return;
    }
    highs
      .solve(lp, { ...options, interruptFlag: flag })
      .then(answer, (error: unknown) =>
        answer(emptyResult('error', begun, `HiGHS worker: ${(error as Error).message ?? String(error)}`)),
      );
  });
  post({ type: 'ready', warmUpMs: performance.now() - started, sharedModule: wasmModule !== undefined });
}

await main();
