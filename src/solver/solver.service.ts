import { Injectable, Logger, Optional } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { SessionLogService } from '../logging/session-log.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { InterpretedCommands } from '../shop/command-interpreter.js';
import type { ShopModelJson } from '../shop/shop-json.js';
import type { Continuation, OptimizationOutcome } from './model/hydro-optimizer.js';
import { type OptimizeResult, type SolveStats, SolverPool } from './pool/solver-pool.js';

/**
 * The closing log line of a run, e.g. `Solver: 8 iteration(s) in 0.341 s, provider (highs)
 * 0.223 s; largest 3808 columns, 3240 rows, 0 binaries; no MIP` (the benchmark reads it).
 */
export function solverSummary(result: OptimizeResult, providerName: string, seconds: number): string {
  const { solves } = result;
  const largest = solves.reduce((a, b) => (b.columns > a.columns ? b : a), solves[0]);
  const gaps = solves.filter((s) => s.binaries > 0 && s.mipGap !== undefined).map((s) => s.mipGap!);
  return (
    `Solver: ${solves.length} iteration(s) in ${seconds.toFixed(3)} s, ` +
    `provider (${providerName}) ${result.providerSeconds.toFixed(3)} s` +
    (largest ? `; largest ${largest.columns} columns, ${largest.rows} rows, ${largest.binaries} binaries` : '') +
    `; ${gaps.length ? `MIP gap ${Math.max(...gaps).toExponential(2)}` : 'no MIP'}`
  );
}

/**
 * Runs a session's interpreted commands: has the solver pool optimize the session's model
 * in a worker thread, and logs each step to the session log (source `solver`, which also goes
 * to --solver-log-file). One run per session at a time; `cancel` interrupts it.
 */
@Injectable()
export class SolverService {
  private readonly logger = new Logger('Solver');
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly pool: SolverPool,
    private readonly logs: SessionLogService,
    private readonly config: TarnConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /**
   * Undefined when the commands only change settings (no `start sim`). `resume`: what the
   * session's previous run left (its outcome's `continuation`), for the iterations to go on from.
   */
  async run(
    sessionId: number,
    interpreted: InterpretedCommands,
    model: ShopModelJson,
    onSolved?: (stats: SolveStats) => void,
    resume?: Continuation,
  ): Promise<OptimizationOutcome | undefined> {
    const { runs: requested, warnings } = interpreted;
    // The server's limit on a run (TARN_SOLVE_TIME_LIMIT) bounds every iteration's `set timelimit` too.
    const limitMs = this.config.solver.timeLimitMs;
    const runs = requested.map((run) => ({
      ...run,
      settings: { ...run.settings, timeLimitSeconds: Math.min(run.settings.timeLimitSeconds, limitMs / 1000) },
    }));
    // Session log messages keep their order: the ones logged while a write is on its way go
    // together in the next one (the run's last lines come at once).
    let logged = Promise.resolve();
    let pending: Array<{ level: 'INFO' | 'WARNING' | 'ERROR'; text: string }> = [];
    const log = (level: 'INFO' | 'WARNING' | 'ERROR', message: string) => {
      pending.push({ level, text: message });
      if (pending.length > 1) return;
      logged = logged
        .then(() => {
          const entries = pending;
          pending = [];
          return this.logs.logMany(sessionId, entries, 'solver');
        })
        .catch((error: unknown) =>
          this.logger.warn(`Session ${sessionId}: solver log lines were not stored: ${(error as Error).message}`),
        );
    };
    warnings.forEach((warning) => log('WARNING', warning));
    if (!runs.length) {
      await logged;
      return undefined;
    }
    const controller = new AbortController();
    this.running.get(sessionId)?.abort();
    this.running.set(sessionId, controller);
    const started = performance.now();
    let outcomeStatus = 'error';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limitMs);
    try {
      const result = await this.pool.optimize(model, runs, log, controller.signal, onSolved, resume);
      clearTimeout(timer);
      let { outcome } = result;
      if (timedOut) {
        const { continuation: _dropped, ...ended } = outcome;
        outcome = { ...ended, status: 'time_limit', outputs: [] };
        log('ERROR', `Solver: stopped at the server's solve time limit of ${limitMs / 1000} s (TARN_SOLVE_TIME_LIMIT)`);
      }
      outcomeStatus = outcome.status;
      if (result.message) log(outcome.status === 'interrupted' ? 'WARNING' : 'ERROR', `Solver: ${result.message}`);
      if (outcome.objective) {
        log(
          'INFO',
          `Objective: grand_total ${outcome.objective.grand_total.toFixed(2)} after ${outcome.iterations} iteration(s)`,
        );
      }
      log('INFO', solverSummary(result, this.pool.name, (performance.now() - started) / 1000));
      return outcome;
    } finally {
      clearTimeout(timer);
      this.metrics?.observeSolve(outcomeStatus, (performance.now() - started) / 1000);
      if (this.running.get(sessionId) === controller) this.running.delete(sessionId);
      await logged;
    }
  }

  /** Interrupts the session's running solve; false when none runs. */
  cancel(sessionId: number): boolean {
    const controller = this.running.get(sessionId);
    controller?.abort();
    return controller !== undefined;
  }
}
