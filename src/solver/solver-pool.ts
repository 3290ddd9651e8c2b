import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { InitOptions } from 'highs';
import {
  type IndexArray,
  type LinearProgram,
  type NumberArray,
  OptimizationProvider,
  type SolveOptions,
  type SolveResult,
  dimensions,
  emptyResult,
} from './optimization-provider.js';
import type { SolveRequest, SolveWorkerData, SolveWorkerMessage } from './solve-worker.js';

export interface SolverPoolOptions {
  /** Worker threads, each with its own HiGHS instance; default `os.availableParallelism()`. */
  poolSize?: number;
  /** After an abort, how long the interrupt flag has to stop the solve before the worker is terminated; default 300. */
  terminateAfterMs?: number;
  /**
   * Solve with this provider instead of HiGHS workers (TARN_SOLVER=cbc: CBC already runs in a
   * child process, so it needs no thread and its `signal` works as it is).
   */
  delegate?: OptimizationProvider;
  /** The worker entry; default: see `solveWorkerUrl()`. */
  workerUrl?: URL;
}

/** What the pool holds now. */
export interface SolverPoolStats {
  /** Worker threads alive (starting or ready). */
  workers: number;
  ready: number;
  busy: number;
  queued: number;
  /** Workers started to replace one that crashed or was terminated after an abort. */
  replaced: number;
  /** Whether the workers got HiGHS compiled once by the pool (`loadHighs({ wasmModule })`). */
  sharedModule: boolean;
}

/**
 * The worker entry. `new URL('./solve-worker.js', import.meta.url)` is the compiled sibling
 * when this module runs from `dist/src/solver/` (`node dist/main.js`). Under Jest this module is
 * the TypeScript source in `src/solver/`, where no .js sibling exists, and Jest's ESM mode cannot
 * run a TypeScript worker (a worker thread is a plain Node isolate, outside Jest's transformer,
 * and Node 20 cannot strip types); so the compiled `dist/src/solver/solve-worker.js` is used,
 * which `npm test` builds first (`pretest`). The worker then runs the compiled HighsProvider
 * too: run `npm run build` after changing solver code before running Jest directly.
 */
export function solveWorkerUrl(base: string = import.meta.url): URL {
  const sibling = new URL('./solve-worker.js', base);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = new URL('../../dist/src/solver/solve-worker.js', base);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(
    `The solver worker entry is missing: neither ${fileURLToPath(sibling)} nor ${fileURLToPath(built)} exists (run npm run build)`,
  );
}

/** A compiled `WebAssembly.Module` (tsconfig's lib, es2023, does not declare the WebAssembly API). */
export type WasmModule = NonNullable<InitOptions['wasmModule']>;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } })
  .WebAssembly;

/** HiGHS compiled once per process, shared by every pool and worker (a `WebAssembly.Module` can be posted to workers). */
let compiledHighs: Promise<WasmModule | undefined> | undefined;

function compileHighs(): Promise<WasmModule | undefined> {
  compiledHighs ??= (async () => {
    try {
      const wasmPath = createRequire(import.meta.url).resolve('highs/runtime');
      return await wasm.compile(await readFile(wasmPath));
    } catch {
      compiledHighs = undefined;
      return undefined; // each worker compiles its own
    }
  })();
  return compiledHighs;
}

interface Job {
  id: number;
  lp: LinearProgram;
  options: Omit<SolveOptions, 'interruptFlag'>;
  signal?: AbortSignal;
  /** Index 0 non-zero: stop. Its own per job, so a late stop cannot hit the next job of the worker. */
  flag: Int32Array;
  startedMs: number;
  slot?: Slot;
  settle: (result: SolveResult) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  /** Set when the pool itself ends the worker (abort that did not stop, close): its exit is no crash. */
  retired: boolean;
  lastError?: Error;
  killTimer?: NodeJS.Timeout;
}

const MAX_FAILED_STARTS = 3;

/**
 * Runs solves in a fixed pool of long-lived worker threads, never on the event loop.
 *
 * - Each worker loads HiGHS once (from a `WebAssembly.Module` compiled once here and passed in
 *   `workerData`; when that compile fails, each worker compiles its own) and warms up with a tiny
 *   solve. `start()` starts them all (SolverModule awaits it at start-up); `solve()` starts them
 *   lazily otherwise.
 * - `solve()` queues when every worker is busy (first in, first out). The problem is posted as
 *   typed arrays (plain arrays are converted first); posting copies them (structured clone, a
 *   memcpy), it does not transfer them, so the caller's arrays stay usable (a model may be solved
 *   again). Results come back transferred where the worker owns the buffer.
 * - Cancelling: each job has its own `Int32Array` on a `SharedArrayBuffer`. On `signal` abort the
 *   pool sets it; HiGHS's interrupt callbacks read it and stop the solve (typically 20–150 ms).
 *   If the worker has not answered within `terminateAfterMs` it is terminated and replaced by a
 *   fresh, warmed one, and the job answers 'interrupted'. A queued job whose signal aborts leaves
 *   the queue and answers 'interrupted'. A job that finished before it noticed the abort answers
 *   with its result.
 * - A worker that crashes: its job answers 'error' with a message and a new worker takes its place
 *   (after MAX_FAILED_STARTS workers in a row fail to start, the pool gives up: every job answers
 *   'error').
 * - `close()` answers every queued and running job 'interrupted' and terminates the workers.
 *
 * Like every provider, `solve()` never rejects. With `delegate` (TARN_SOLVER=cbc) there are no
 * workers: solves go straight to the delegate.
 */
export class SolverPool extends OptimizationProvider implements OnApplicationShutdown {
  readonly name: string;
  readonly poolSize: number;
  readonly terminateAfterMs: number;
  private readonly delegate?: OptimizationProvider;
  private readonly workerUrl?: URL;
  /** The worker entry, resolved at start. */
  private url?: URL;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private wasmModule?: WasmModule;
  private starting?: Promise<void>;
  private nextJobId = 1;
  private failedStarts = 0;
  private replaced = 0;
  private broken?: string;
  private closed = false;
  private readonly readyWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();

  constructor(options: SolverPoolOptions = {}) {
    super();
    const poolSize = options.poolSize ?? availableParallelism();
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new Error(`poolSize must be an integer >= 1, got ${poolSize}`);
    this.poolSize = poolSize;
    this.terminateAfterMs = options.terminateAfterMs ?? 300;
    this.delegate = options.delegate;
    this.workerUrl = options.workerUrl;
    this.name = this.delegate?.name ?? 'highs';
  }

  /**
   * Compiles HiGHS and starts the workers; resolves when every worker is warmed up (also one
   * that replaces a crashed or terminated worker, when called again later).
   */
  start(): Promise<void> {
    if (this.delegate) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('the solver pool is closed'));
    this.starting ??= (async () => {
      this.url = this.workerUrl ?? solveWorkerUrl();
      this.wasmModule = await compileHighs();
      if (this.closed) return;
      while (this.slots.size < this.poolSize) this.spawn();
    })().catch((error: unknown) => {
      this.fail(`the solver pool cannot start: ${(error as Error).message ?? String(error)}`);
      throw error;
    });
    return this.starting.then(() => (this.closed ? undefined : this.allReady()));
  }

  async solve(lp: LinearProgram, options: SolveOptions = {}, signal?: AbortSignal): Promise<SolveResult> {
    if (this.delegate) return this.delegate.solve(lp, options, signal);
    const startedMs = performance.now();
    if (this.closed) return emptyResult('error', startedMs, 'the solver pool is closed');
    if (this.broken) return emptyResult('error', startedMs, this.broken);
    if (signal?.aborted) return emptyResult('interrupted', startedMs, 'cancelled before the solve started');
    let wire: LinearProgram;
    try {
      dimensions(lp);
      wire = toTypedArrays(lp);
    } catch (error) {
      return emptyResult('error', startedMs, (error as Error).message);
    }
    const { interruptFlag: _ignored, ...rest } = options; // the pool sets its own flag per job
    void _ignored;

    return new Promise<SolveResult>((resolve) => {
      const job: Job = {
        id: this.nextJobId++,
        lp: wire,
        options: rest,
        signal,
        flag: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
        startedMs,
        settle: () => undefined,
      };
      const onAbort = () => this.abort(job);
      job.settle = (result) => {
        job.settle = () => undefined; // once
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      if (this.starting) this.dispatch();
      else this.start().catch(() => undefined); // a failure answers the queued jobs (fail)
    });
  }

  stats(): SolverPoolStats {
    const slots = [...this.slots];
    return {
      workers: slots.length,
      ready: slots.filter((slot) => slot.ready).length,
      busy: slots.filter((slot) => slot.job).length,
      queued: this.queue.length,
      replaced: this.replaced,
      sharedModule: this.wasmModule !== undefined,
    };
  }

  /** Answers every queued and running job 'interrupted' and terminates the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      job.settle(emptyResult('interrupted', job.startedMs, 'the solver pool closed'));
    }
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      if (slot.job) slot.job.settle(emptyResult('interrupted', slot.job.startedMs, 'the solver pool closed'));
      exits.push(this.retire(slot));
    }
    this.rejectWaiters(new Error('the solver pool closed'));
    await Promise.all(exits);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  // -------------------------------------------------------------------------------------

  private spawn(): void {
    const data: SolveWorkerData = this.wasmModule ? { wasmModule: this.wasmModule } : {};
    const worker = new Worker(this.url!, { workerData: data });
    const slot: Slot = { worker, ready: false, retired: false };
    this.slots.add(slot);
    worker.on('message', (message: SolveWorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error) => (slot.lastError = error));
    worker.on('exit', (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, message: SolveWorkerMessage): void {
    if (slot.retired) return;
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        this.failedStarts = 0;
        this.checkReady();
        this.dispatch();
        break;
      case 'init-error':
        slot.lastError = new Error(`HiGHS did not load in a solver worker: ${message.message}`);
        void slot.worker.terminate(); // onExit counts the failed start
        break;
      case 'result': {
        const job = slot.job;
        if (!job || job.id !== message.jobId) return;
        clearTimeout(slot.killTimer);
        slot.killTimer = undefined;
        slot.job = undefined;
        job.settle(withLocalArrays(message.result));
        this.dispatch();
        break;
      }
    }
  }

  private onExit(slot: Slot, code: number): void {
    clearTimeout(slot.killTimer);
    this.slots.delete(slot);
    if (slot.retired || this.closed) return;
    const reason = slot.lastError?.message ?? `exited with code ${code}`;
    const job = slot.job;
    slot.job = undefined;
    if (job) job.settle(emptyResult('error', job.startedMs, `the solver worker crashed: ${reason}`));
    if (!slot.ready && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.fail(`solver workers fail to start (${this.failedStarts} in a row): ${reason}`);
      return;
    }
    this.replaced++;
    this.spawn();
  }

  /** Gives up: every queued and later job answers 'error' with `message`. */
  private fail(message: string): void {
    this.broken = message;
    for (const queued of this.queue.splice(0)) queued.settle(emptyResult('error', queued.startedMs, message));
    this.rejectWaiters(new Error(message));
  }

  /** Ends a worker on purpose; its exit is not a crash. */
  private retire(slot: Slot): Promise<number> {
    slot.retired = true;
    clearTimeout(slot.killTimer);
    slot.killTimer = undefined;
    slot.job = undefined;
    return slot.worker.terminate();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job || slot.retired) continue;
      const job = this.queue.shift()!;
      const request: SolveRequest = { type: 'solve', jobId: job.id, lp: job.lp, options: job.options, flag: job.flag };
      try {
        slot.worker.postMessage(request);
      } catch (error) {
        job.settle(
          emptyResult('error', job.startedMs, `cannot hand the problem to a worker: ${(error as Error).message}`),
        );
        continue;
      }
      slot.job = job;
      job.slot = slot;
      if (job.signal?.aborted) this.abort(job);
    }
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.settle(emptyResult('interrupted', job.startedMs, 'cancelled while queued'));
      return;
    }
    const slot = job.slot;
    if (!slot || slot.job !== job || slot.killTimer) return;
    Atomics.store(job.flag, 0, 1);
    slot.killTimer = setTimeout(() => {
      if (slot.job !== job) return;
      job.settle(
        emptyResult(
          'interrupted',
          job.startedMs,
          `the solver did not stop within ${this.terminateAfterMs} ms of the cancel; its worker was terminated`,
        ),
      );
      void this.retire(slot);
      this.slots.delete(slot);
      if (!this.closed) {
        this.replaced++;
        this.spawn();
      }
    }, this.terminateAfterMs);
  }

  private allReady(): Promise<void> {
    if (this.broken) return Promise.reject(new Error(this.broken));
    if (this.isAllReady()) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.add({ resolve, reject }));
  }

  private isAllReady(): boolean {
    return this.slots.size >= this.poolSize && [...this.slots].every((slot) => slot.ready);
  }

  private checkReady(): void {
    if (!this.isAllReady()) return;
    for (const waiter of this.readyWaiters) waiter.resolve();
    this.readyWaiters.clear();
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.readyWaiters) waiter.reject(error);
    this.readyWaiters.clear();
  }
}

const float64 = (values: NumberArray): Float64Array =>
  values instanceof Float64Array ? values : Float64Array.from(values);
const int32 = (values: IndexArray): Int32Array => (values instanceof Int32Array ? values : Int32Array.from(values));

/** The problem as typed arrays, which the structured clone copies as one block each. */
function toTypedArrays(lp: LinearProgram): LinearProgram {
  return {
    sense: lp.sense,
    ...(lp.offset === undefined ? {} : { offset: lp.offset }),
    colCost: float64(lp.colCost),
    colLower: float64(lp.colLower),
    colUpper: float64(lp.colUpper),
    ...(lp.colNames ? { colNames: [...lp.colNames] } : {}),
    ...(lp.integrality ? { integrality: int32(lp.integrality) } : {}),
    rowLower: float64(lp.rowLower),
    rowUpper: float64(lp.rowUpper),
    ...(lp.rowNames ? { rowNames: [...lp.rowNames] } : {}),
    aStart: int32(lp.aStart),
    aIndex: int32(lp.aIndex),
    aValue: float64(lp.aValue),
  };
}

/**
 * The result arrays as this realm's Float64Array views on the received buffers (no copy). Node
 * deserializes messages in the main realm; where this module runs in another one (Jest's vm
 * context), `instanceof Float64Array` would otherwise fail. In `node dist/main.js` it changes nothing.
 */
function withLocalArrays(result: SolveResult): SolveResult {
  const local = (array: Float64Array): Float64Array => {
    const view: ArrayBufferView = array; // a Float64Array, maybe of another realm
    return view instanceof Float64Array ? view : new Float64Array(view.buffer, view.byteOffset, array.length);
  };
  return {
    ...result,
    colValue: local(result.colValue),
    rowValue: local(result.rowValue),
    ...(result.colDual ? { colDual: local(result.colDual) } : {}),
    ...(result.rowDual ? { rowDual: local(result.rowDual) } : {}),
  };
}
