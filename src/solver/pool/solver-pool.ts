import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { ShopModelJson } from '../../shop/shop-json.js';
import type { SolverRun } from '../../shop/command-interpreter.js';
import type { Continuation, Log, OptimizationOutcome } from '../model/hydro-optimizer.js';
import type { SolveStatus } from '../providers/optimization-provider.js';
import { HydroModelError } from '../problem/hydro-system.js';
import type {
  OptimizeRequest,
  SolveStats,
  SolveWorkerData,
  SolveWorkerMessage,
  WasmModule,
  WorkerError,
} from './solve-worker.protocol.js';

export type { SolveStats } from './solve-worker.protocol.js';

export interface SolverPoolOptions {
  /** Worker threads, each running one optimization at a time; default `os.availableParallelism()`. */
  poolSize?: number;
  /** After an abort, how long the interrupt flag has to stop the run before the worker is terminated; default 300. */
  terminateAfterMs?: number;
  /** TARN_SOLVER=cbc: the cbc executable the workers run (a child process per solve) instead of HiGHS. */
  cbcCommand?: string;
  /** The worker entry; default: see `solveWorkerUrl()`. */
  workerUrl?: URL;
  /** Whether each worker runs a representative optimization before it is ready (`warmUpSolver`); default true. */
  warmUp?: boolean;
  /** TARN_SOLVER_EXPORT_DIR: the workers write every solve's problem there (problem-export.ts). */
  exportDir?: string;
}

/** What `optimize` answers. */
export interface OptimizeResult {
  outcome: OptimizationOutcome;
  /** The provider's seconds, summed over the solves. */
  providerSeconds: number;
  /** One entry per solve, in order. */
  solves: SolveStats[];
  /** Why the pool ended the run itself (a cancel the solver did not notice in time, a crashed worker, closing). */
  message?: string;
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
  /** Ready workers that ran the warm-up optimization. */
  warmedUp: number;
}

/**
 * The worker entry. `new URL('./solve-worker.js', import.meta.url)` is the compiled sibling
 * when this module runs from `dist/src/solver/pool/` (`node dist/main.js`). Under Jest this module
 * is the TypeScript source in `src/solver/pool/`, where no .js sibling exists, and a worker thread
 * (a plain Node isolate, outside Jest's transformer) cannot run TypeScript on Node 20: Jest's
 * global setup bundles the worker from the sources into `.cache/tarn/` (of this checkout) for each run
 * (test/support/solve-worker-bundle.ts), so tests never run a stale build.
 */
export function solveWorkerUrl(base: string = import.meta.url): URL {
  const sibling = new URL('./solve-worker.js', base);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const bundled = new URL('../../../.cache/tarn/solve-worker.mjs', base);
  if (existsSync(fileURLToPath(bundled))) return bundled;
  throw new Error(
    `The solver worker entry is missing: neither ${fileURLToPath(sibling)} (npm run build) nor ` +
      `${fileURLToPath(bundled)} (bundled by Jest's global setup) exists`,
  );
}

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
  model: ShopModelJson;
  runs: SolverRun[];
  resume?: Continuation;
  onLog: Log;
  onSolved?: (stats: SolveStats) => void;
  signal?: AbortSignal;
  /** Index 0 non-zero: stop. Its own per job, so a late stop cannot hit the next job of the worker. */
  flag: Int32Array;
  solves: SolveStats[];
  slot?: Slot;
  /** Resolves with an outcome from the worker, or with one the pool made up (`message`); once. */
  settle: (outcome: OptimizationOutcome, message?: string) => void;
  /** Rejects with the error `optimize` threw; once. */
  fail: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded its solver (it may still be warming up). */
  loaded: boolean;
  /** The worker has warmed up (or skipped it) and takes jobs. */
  ready: boolean;
  warmedUp?: boolean;
  job?: Job;
  /** Set when the pool itself ends the worker (abort that did not stop, close): its exit is no crash. */
  retired: boolean;
  lastError?: Error;
  killTimer?: NodeJS.Timeout;
}

const MAX_FAILED_STARTS = 3;

/** The outcome of a run the pool ended or could not start. */
const endedOutcome = (status: SolveStatus, job: Job): OptimizationOutcome => ({
  status,
  outputs: [],
  iterations: job.solves.length,
});

/** An error `optimize` threw in the worker, as an error of this thread (a HydroModelError stays one). */
function toError(data: WorkerError): Error {
  let error: Error;
  if (data.name === 'HydroModelError' && data.path !== undefined && data.reason !== undefined) {
    error = new HydroModelError(data.path, data.reason, data.rejected === true);
  } else {
    error = new Error(data.message);
    error.name = data.name;
  }
  if (data.stack) error.stack = data.stack;
  return error;
}

/**
 * Runs whole optimizations (`optimize` of hydro-optimizer.ts: curve building, the LPs, the
 * solves, the recomputation) in a fixed pool of long-lived worker threads, never on the event
 * loop. The model goes to the worker as plain data and the outcome comes back as plain data;
 * the database stays in the main thread.
 *
 * - Each worker loads HiGHS once (from a `WebAssembly.Module` compiled once here and passed in
 *   `workerData`; when that compile fails, each worker compiles its own) and warms up with a tiny
 *   solve; with `cbcCommand` it loads no HiGHS and each solve is a `cbc` child process. `start()`
 *   starts them all (SolverPoolModule awaits it at start-up); `optimize()` starts them lazily otherwise.
 * - `optimize()` queues when every worker is busy (first in, first out): sessions solve in
 *   parallel up to the pool size. The worker's log lines reach `onLog` in order while the run goes
 *   on; so do the per-solve figures (`solves` of the result).
 * - Cancelling: each job has its own `Int32Array` on a `SharedArrayBuffer`. On `signal` abort the
 *   pool sets it; HiGHS's interrupt callbacks read it and stop the solve (typically 20–150 ms,
 *   but on a large MIP often over a second), the worker polls it while CBC runs, and every later
 *   solve of the run answers 'interrupted' at once, so the optimizer returns. If the worker has
 *   not answered within `terminateAfterMs` it is terminated and replaced by a fresh, warmed one,
 *   and the run answers 'interrupted'. A queued job whose signal aborts leaves the queue and
 *   answers 'interrupted'.
 * - A worker that crashes: its run answers 'error' with a message and a new worker takes its place
 *   (after MAX_FAILED_STARTS workers in a row fail to start, the pool gives up: every run answers
 *   'error').
 * - `close()` answers every queued and running job 'interrupted' and terminates the workers.
 *
 * `optimize()` rejects only with what `optimize` itself threw (a model that cannot be optimized:
 * HydroModelError, rebuilt in this thread); every solver outcome is a status.
 */
export class SolverPool implements OnApplicationShutdown {
  readonly name: string;
  readonly poolSize: number;
  readonly terminateAfterMs: number;
  private readonly cbcCommand?: string;
  private readonly workerUrl?: URL;
  private readonly warmUp: boolean;
  private readonly exportDir?: string;
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
  private readonly waiters = new Set<{
    until: 'loaded' | 'ready';
    resolve: () => void;
    reject: (error: Error) => void;
  }>();

  constructor(options: SolverPoolOptions = {}) {
    const poolSize = options.poolSize ?? availableParallelism();
    if (!Number.isInteger(poolSize) || poolSize < 1) {
      throw new Error(`poolSize must be an integer >= 1, got ${poolSize}`);
    }
    this.poolSize = poolSize;
    this.terminateAfterMs = options.terminateAfterMs ?? 300;
    this.cbcCommand = options.cbcCommand;
    this.workerUrl = options.workerUrl;
    this.warmUp = options.warmUp ?? true;
    this.exportDir = options.exportDir;
    this.name = this.cbcCommand ? 'cbc' : 'highs';
  }

  /**
   * Compiles HiGHS and starts the workers; resolves when every worker is warmed up (also one
   * that replaces a crashed or terminated worker, when called again later). `until: 'loaded'`
   * resolves once every worker has loaded its solver, before the warm-up optimization.
   */
  start(until: 'loaded' | 'ready' = 'ready'): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the solver pool is closed'));
    this.starting ??= (async () => {
      this.url = this.workerUrl ?? solveWorkerUrl();
      if (!this.cbcCommand) this.wasmModule = await compileHighs();
      if (this.closed) return;
      while (this.slots.size < this.poolSize) this.spawn();
    })().catch((error: unknown) => {
      this.fail(`the solver pool cannot start: ${(error as Error).message ?? String(error)}`);
      throw error;
    });
    return this.starting.then(() => (this.closed ? undefined : this.waitFor(until)));
  }

  /**
   * Runs `optimize(model, runs, …, resume)` in a worker. `model` and `resume` must be plain data
   * (they are copied to the worker by structured clone); `onLog` gets the optimizer's log lines in
   * order, `onSolved` each solve's figures as it ends.
   */
  optimize(
    model: ShopModelJson,
    runs: SolverRun[],
    onLog: Log,
    signal?: AbortSignal,
    onSolved?: (stats: SolveStats) => void,
    resume?: Continuation,
  ): Promise<OptimizeResult> {
    return new Promise<OptimizeResult>((resolve, reject) => {
      const job: Job = {
        id: this.nextJobId++,
        model,
        runs,
        resume,
        onLog,
        onSolved,
        signal,
        flag: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
        solves: [],
        settle: () => undefined,
        fail: () => undefined,
      };
      const onAbort = () => this.abort(job);
      const done = () => {
        job.settle = () => undefined;
        job.fail = () => undefined;
        signal?.removeEventListener('abort', onAbort);
      };
      job.settle = (outcome, message) => {
        done();
        const providerSeconds = job.solves.reduce((sum, solve) => sum + solve.seconds, 0);
        resolve({ outcome, providerSeconds, solves: job.solves, ...(message === undefined ? {} : { message }) });
      };
      job.fail = (error) => {
        done();
        reject(error);
      };
      if (this.closed) return job.settle(endedOutcome('error', job), 'the solver pool is closed');
      if (this.broken) return job.settle(endedOutcome('error', job), this.broken);
      if (signal?.aborted) return job.settle(endedOutcome('interrupted', job), 'cancelled before the run started');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      if (this.starting) this.dispatch();
      else this.start().catch(() => undefined); // a failure answers the queued jobs (fail)
    });
  }

  /**
   * `up`: every worker has warmed up and takes runs; `starting`: workers are still loading or
   * warming up (runs wait for them); `down`: the pool gave up or closed (runs answer 'error').
   */
  state(): 'up' | 'starting' | 'down' {
    if (this.broken || this.closed) return 'down';
    return this.all('ready') ? 'up' : 'starting';
  }

  stats(): SolverPoolStats {
    const slots = [...this.slots];
    return {
      workers: slots.length,
      ready: slots.filter((slot) => slot.ready).length,
      warmedUp: slots.filter((slot) => slot.warmedUp).length,
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
    for (const job of this.queue.splice(0)) job.settle(endedOutcome('interrupted', job), 'the solver pool closed');
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      if (slot.job) slot.job.settle(endedOutcome('interrupted', slot.job), 'the solver pool closed');
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
    const data: SolveWorkerData = {
      ...(this.cbcCommand
        ? { provider: 'cbc', cbcCommand: this.cbcCommand }
        : this.wasmModule
          ? { provider: 'highs', wasmModule: this.wasmModule }
          : { provider: 'highs' }),
      warmUp: this.warmUp,
    };
    if (this.exportDir !== undefined) data.exportDir = this.exportDir;
    const worker = new Worker(this.url!, { workerData: data });
    const slot: Slot = { worker, loaded: false, ready: false, retired: false };
    this.slots.add(slot);
    worker.on('message', (message: SolveWorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error) => (slot.lastError = error));
    worker.on('exit', (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, message: SolveWorkerMessage): void {
    if (slot.retired) return;
    if (message.type === 'loaded') {
      slot.loaded = true;
      this.failedStarts = 0;
      this.checkWaiters();
      return;
    }
    if (message.type === 'ready') {
      slot.loaded = slot.ready = true;
      slot.warmedUp = message.warmedUp;
      this.failedStarts = 0;
      this.checkWaiters();
      this.dispatch();
      return;
    }
    if (message.type === 'init-error') {
      slot.lastError = new Error(`HiGHS did not load in a solver worker: ${message.message}`);
      void slot.worker.terminate(); // onExit counts the failed start
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.jobId) return;
    switch (message.type) {
      case 'log':
        job.onLog(message.level, message.message);
        return;
      case 'solved':
        job.solves.push(message.stats);
        job.onSolved?.(message.stats);
        return;
      case 'done':
      case 'failed':
        this.release(slot);
        if (message.type === 'done') job.settle(message.outcome);
        else job.fail(toError(message.error));
        this.dispatch();
        return;
    }
  }

  /** The slot's job is over: the worker takes the next one. */
  private release(slot: Slot): void {
    clearTimeout(slot.killTimer);
    slot.killTimer = undefined;
    slot.job = undefined;
  }

  private onExit(slot: Slot, code: number): void {
    clearTimeout(slot.killTimer);
    this.slots.delete(slot);
    if (slot.retired || this.closed) return;
    const reason = slot.lastError?.message ?? `exited with code ${code}`;
    const job = slot.job;
    slot.job = undefined;
    if (job) job.settle(endedOutcome('error', job), `the solver worker crashed: ${reason}`);
    if (!slot.loaded && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.fail(`solver workers fail to start (${this.failedStarts} in a row): ${reason}`);
      return;
    }
    this.replaced++;
    this.spawn();
  }

  /** Gives up: every queued and later job answers 'error' with `message`. */
  private fail(message: string): void {
    this.broken = message;
    for (const queued of this.queue.splice(0)) queued.settle(endedOutcome('error', queued), message);
    this.rejectWaiters(new Error(message));
  }

  /** Ends a worker on purpose; its exit is not a crash. */
  private retire(slot: Slot): Promise<number> {
    slot.retired = true;
    this.release(slot);
    return slot.worker.terminate();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job || slot.retired) continue;
      const job = this.queue.shift()!;
      const request: OptimizeRequest = {
        type: 'optimize',
        jobId: job.id,
        model: job.model,
        runs: job.runs,
        ...(job.resume ? { resume: job.resume } : {}),
        flag: job.flag,
      };
      try {
        slot.worker.postMessage(request);
      } catch (error) {
        job.settle(endedOutcome('error', job), `cannot hand the model to a worker: ${(error as Error).message}`);
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
      job.settle(endedOutcome('interrupted', job), 'cancelled while queued');
      return;
    }
    const slot = job.slot;
    if (!slot || slot.job !== job || slot.killTimer) return;
    Atomics.store(job.flag, 0, 1);
    slot.killTimer = setTimeout(() => {
      if (slot.job !== job) return;
      job.settle(
        endedOutcome('interrupted', job),
        `the solver did not stop within ${this.terminateAfterMs} ms of the cancel; its worker was terminated`,
      );
      void this.retire(slot);
      this.slots.delete(slot);
      if (!this.closed) {
        this.replaced++;
        this.spawn();
      }
    }, this.terminateAfterMs);
  }

  private waitFor(until: 'loaded' | 'ready'): Promise<void> {
    if (this.broken) return Promise.reject(new Error(this.broken));
    if (this.all(until)) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.add({ until, resolve, reject }));
  }

  /** Whether the pool is full and every worker has loaded its solver, or is ready (warm). */
  private all(stage: 'loaded' | 'ready'): boolean {
    return this.slots.size >= this.poolSize && [...this.slots].every((slot) => slot[stage]);
  }

  private checkWaiters(): void {
    for (const waiter of this.waiters) {
      if (!this.all(waiter.until)) continue;
      waiter.resolve();
      this.waiters.delete(waiter);
    }
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }
}
