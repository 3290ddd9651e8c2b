/**
 * The entry of a SolverPool worker thread (see solver-pool.ts). Not imported by anything: the
 * pool starts it with `new Worker(url)`, from the compiled file (`dist/src/solver/pool/solve-worker.js`),
 * or under Jest from a bundle of the sources that the tests' global setup writes (Jest cannot
 * start a TypeScript worker; see `solveWorkerUrl`).
 *
 * Life of a worker: make its provider once, of the kind in `workerData` (`createProvider`:
 * HiGHS from the `WebAssembly.Module` the pool compiled and passed in `workerData`, else by
 * compiling `highs.wasm` itself, then one tiny warm-up solve; or CBC, a child process per
 * solve), run one small representative optimization (`warmUpSolver`, unless `warmUp` is false) so
 * that no user's run pays for compiling and optimizing the code, post `ready`, then run one whole
 * optimization (`optimize`: the PQ curves, the LP of every iteration, the solves and the
 * recomputation) per `optimize` message, for as long as the pool keeps it. Log lines and
 * per-solve figures are posted as they happen; the outcome is posted as plain data. The pool
 * stops a run through the job's shared interrupt flag (read by HiGHS's interrupt callbacks,
 * polled while CBC runs, checked before every solve) or, when that does not answer in time, by
 * terminating the thread.
 */
import { isMainThread, parentPort, threadId, workerData } from 'node:worker_threads';
import { type Log, optimize, type Solve } from '../model/hydro-optimizer.js';
import { HydroModelError } from '../problem/hydro-system.js';
import { emptyResult, type LinearProgram, type OptimizationProvider } from '../providers/optimization-provider.js';
import { createProvider } from '../providers/provider.factory.js';
import { ProblemExport, runTag } from './problem-export.js';
import type { OptimizeRequest, SolveWorkerData, SolveWorkerMessage, WorkerError } from './solve-worker.protocol.js';
import { warmUpSolver } from './warm-up.js';

/** How often a CBC run looks at the interrupt flag (HiGHS reads it in its own callbacks). */
const CBC_FLAG_POLL_MS = 10;

function countIntegers(lp: LinearProgram): number {
  let count = 0;
  if (lp.integrality) for (let j = 0; j < lp.integrality.length; j++) if (lp.integrality[j] !== 0) count++;
  return count;
}

function errorData(error: unknown): WorkerError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(error instanceof HydroModelError ? { path: error.path, reason: error.reason, rejected: error.rejected } : {}),
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (isMainThread || !port) throw new Error('solve-worker.js is a worker thread entry; SolverPool starts it');
  const {
    provider: kind,
    wasmModule,
    cbcCommand,
    warmUp = true,
  } = (workerData ?? { provider: 'highs' }) as SolveWorkerData;
  const exportDir = (workerData as SolveWorkerData | undefined)?.exportDir;
  const post = (message: SolveWorkerMessage) => port.postMessage(message);

  const started = performance.now();
  let provider: OptimizationProvider;
  try {
    provider = await createProvider(kind, { wasmModule, cbcCommand });
    if (warmUp) {
      post({ type: 'loaded' });
      await warmUpSolver(provider);
    }
  } catch (error) {
    post({ type: 'init-error', message: (error as Error).message ?? String(error) });
    return;
  }

  const run = async ({ jobId, model, runs, resume, flag }: OptimizeRequest): Promise<void> => {
    const stopped = () => Atomics.load(flag, 0) !== 0;
    // The run's solves start from one another (warm starts); a new run starts cold.
    const sequence = provider.openSequence();
    // CBC runs in a child process, so this thread's event loop is free to notice the flag.
    const controller = new AbortController();
    const poll =
      kind === 'cbc'
        ? setInterval(() => {
            if (stopped()) controller.abort();
          }, CBC_FLAG_POLL_MS)
        : undefined;
    // TARN_SOLVER_EXPORT_DIR: each solve's problem, written after the solve (not in its seconds).
    const problems = exportDir
      ? new ProblemExport(exportDir, runTag(jobId, threadId), kind, (message) =>
          post({ type: 'log', jobId, level: 'WARNING', message }),
        )
      : undefined;
    const solve: Solve = async (lp, options) => {
      if (stopped()) return emptyResult('interrupted', performance.now(), 'cancelled');
      const result = await sequence.solve(lp, { ...options, interruptFlag: flag }, controller.signal);
      problems?.write(lp, options, result);
      post({
        type: 'solved',
        jobId,
        stats: {
          columns: lp.colCost.length,
          rows: lp.rowLower.length,
          binaries: countIntegers(lp),
          status: result.status,
          objective: result.objective,
          ...(result.mipGap === undefined ? {} : { mipGap: result.mipGap }),
          seconds: result.seconds,
        },
      });
      return result;
    };
    const log: Log = (level, message) => post({ type: 'log', jobId, level, message });
    try {
      const outcome = await optimize(model, runs, solve, log, resume);
      post({ type: 'done', jobId, outcome });
    } catch (error) {
      post({ type: 'failed', jobId, error: errorData(error) });
    } finally {
      sequence.close();
      clearInterval(poll);
    }
  };

  port.on('message', (request: OptimizeRequest) => {
    if (request?.type === 'optimize') void run(request);
  });
  post({
    type: 'ready',
    warmUpMs: performance.now() - started,
    sharedModule: wasmModule !== undefined,
    warmedUp: warmUp,
  });
}

await main();
