import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { SessionLogService } from '../logging/session-log.service.js';
import { databaseUnavailable } from '../common/errors/database-unavailable.js';
import {
  ModelNotOptimizableError,
  ModelValueRejectedError,
  NoSolutionError,
  TarnError,
} from '../common/errors/tarn-error.js';
import { DEFAULT_FILTERS, ModelStoreService } from '../model-store/model-store.service.js';
import { fromStoredContinuation, toStoredContinuation } from '../solver/model/continuation.js';
import type { OptimizationOutcome } from '../solver/model/hydro-optimizer.js';
import { conflictSummary } from '../solver/model/infeasibility.js';
import { HydroModelError } from '../solver/problem/hydro-system.js';
import { SolverService } from '../solver/solver.service.js';
import type { SolveJob } from './job-runner.js';
import { type RunEnd, type RunProgress, RunsService } from './runs.service.js';

/** How often a run waiting for its account's turn asks again, for runs of other processes that ended. */
export const TURN_POLL_MS = 1000;

/** How a run that did not throw ended: commands without `start sim` are done too. */
function runEnd(outcome: OptimizationOutcome | undefined): RunEnd {
  if (!outcome) return { status: 'done' };
  const base = { solverStatus: outcome.status, iterations: outcome.iterations };
  if (outcome.status === 'interrupted') {
    return { ...base, status: 'cancelled', message: 'cancelled (POST /session/cancel)' };
  }
  return { ...base, status: 'done', objective: outcome.objective?.grand_total };
}

/**
 * Runs a run where it is: reads the session's stored model (inputs only), has the solver run the
 * commands, stores the results as output attributes, and records each state of the run. The
 * same code runs in the API process (in-process runner, `execute`: it waits for the account's
 * turn) and in `npm run worker` processes (`executeStarted`: the worker has started the run).
 */
@Injectable()
export class RunExecutor {
  constructor(
    private readonly store: ModelStoreService,
    private readonly solver: SolverService,
    private readonly logs: SessionLogService,
    private readonly runs: RunsService,
    private readonly config: TarnConfig,
  ) {}

  /**
   * Runs the job in this process once its account's turn comes (TARN_MAX_RUNS_PER_ACCOUNT):
   * until then the run waits, `queued`, taking no solver thread. Resolves false when the run was
   * not to start (it ended while it waited, e.g. cancelled, or its session is gone).
   */
  async execute(job: SolveJob, onProgress?: (progress: RunProgress) => void): Promise<boolean> {
    try {
      if (!(await this.awaitTurn(job.runId))) return false;
    } catch (error) {
      await this.runs
        .finished(job.runId, { status: 'failed', message: 'internal error (see the server log)' })
        .catch(() => undefined);
      throw error;
    }
    return this.executeStarted(job, onProgress);
  }

  /**
   * Waits for the run's turn: tries to start it at every start or end of a run of this process,
   * and every TURN_POLL_MS for those of other processes sharing the database. False when it is
   * not to start.
   */
  private async awaitTurn(runId: number): Promise<boolean> {
    for (;;) {
      // A closing server starts no more runs (it has failed those that waited).
      if (this.runs.stopping) return false;
      // Listening before asking, so that a run ending meanwhile is not missed.
      const next = this.runs.nextTurn(TURN_POLL_MS);
      const { admission } = await this.runs.start(runId).catch((error: unknown) => {
        next.cancel();
        throw error;
      });
      if (admission !== 'wait') {
        next.cancel();
        return admission !== 'ended';
      }
      await next.turn;
    }
  }

  /**
   * Runs a job whose run has started (`RunsService.start`), recording how it ends, also when it
   * throws: a client error (e.g. 422, no solution) is kept with the run as the answer for
   * whoever waits.
   */
  async executeStarted(job: SolveJob, onProgress?: (progress: RunProgress) => void): Promise<true> {
    const { runId, sessionId, interpreted } = job;
    let iteration = 0;
    const solved: { outcome?: OptimizationOutcome } = {};
    let end: RunEnd;
    try {
      const outcome = await this.solveAndStore(sessionId, interpreted, solved, (stats) => {
        const progress = { iteration: ++iteration, ...stats };
        this.runs.progress(runId, progress);
        onProgress?.(progress);
      });
      end = runEnd(outcome);
    } catch (error) {
      const client = error instanceof TarnError;
      const unavailable = databaseUnavailable(error);
      const message = client
        ? error.message
        : unavailable
          ? `the database was unavailable during the run: ${unavailable}`
          : 'internal error (see the server log)';
      const { status: solverStatus, iterations } = solved.outcome ?? {};
      const answer = client ? error.toData() : undefined;
      await this.runs
        .finished(runId, { status: 'failed', message, solverStatus, iterations, error: answer })
        .catch(() => undefined);
      throw error;
    }
    // Outside the try: a run whose results are stored is done, even when the database misses its end for a while.
    await this.runs.finished(runId, end);
    return true;
  }

  /**
   * Runs the commands of an upload on the stored model and stores the results. The upload
   * itself is already stored: a model that cannot be optimized as it is, or has no solution,
   * answers 422 naming why. The iterations go on from the session's previous run, as in one
   * SHOP session: the solver state it left is read first, and the one this run leaves is stored
   * with the results; a run that ends without a solution clears it, so the next starts afresh.
   */
  private async solveAndStore(
    sessionId: number,
    interpreted: SolveJob['interpreted'],
    solved: { outcome?: OptimizationOutcome },
    onSolved: Parameters<SolverService['run']>[3],
  ): Promise<OptimizationOutcome | undefined> {
    // Commands that only change settings solve nothing: the model and the solver state are not read for them.
    const solves = interpreted.runs.length > 0;
    const model = solves ? await this.store.get(sessionId, { ...DEFAULT_FILTERS, isOutput: false }) : { model: {} };
    const stored = solves ? await this.store.solverState(sessionId) : undefined;
    const resume = stored && fromStoredContinuation(stored);
    let outcome: OptimizationOutcome | undefined;
    try {
      outcome = solved.outcome = await this.solver.run(sessionId, interpreted, model, onSolved, resume);
    } catch (error) {
      try {
        await this.store.clearSolverState(sessionId);
        if (!(error instanceof HydroModelError)) throw error;
        await this.logs.log(sessionId, 'ERROR', `The model cannot be optimized: ${error.message}`);
        throw error.rejected
          ? new ModelValueRejectedError(error.path, error.reason)
          : new ModelNotOptimizableError(error.path, error.reason);
      } finally {
        await this.store.markCommandsDone(sessionId);
      }
    }
    if (!outcome) {
      await this.store.markCommandsDone(sessionId);
      return undefined;
    }
    const { continuation } = outcome;
    try {
      // The commands are marked done in the results' transaction (one statement less after the solve).
      await this.store.writeOutputs(
        sessionId,
        [
          ...outcome.outputs,
          {
            objectType: 'objective',
            objectName: 'average_objective',
            attribute: 'solver_status',
            value: outcome.status,
          },
        ],
        continuation ? toStoredContinuation(continuation) : null,
        { commandsDone: true },
      );
    } catch (error) {
      // Done all the same: they ran.
      await this.store.markCommandsDone(sessionId).catch(() => undefined);
      throw error;
    }
    if (!outcome.outputs.length && outcome.status !== 'interrupted') {
      if (outcome.status === 'infeasible') await this.writeInfeasibleProblem(sessionId, outcome.infeasibleProblemLp);
      const conflict = outcome.conflict?.items.length ? outcome.conflict : undefined;
      throw new NoSolutionError(
        `The model was stored, but the optimization found no solution: ${outcome.status}` +
          (conflict ? `; conflicting constraints: ${conflictSummary(conflict)}` : '') +
          ' (see the session log)',
        conflict
          ? conflict.items.map(({ text, ...item }) => ({ path: 'commands', message: text, ...item }))
          : [{ path: 'commands', message: outcome.status }],
      );
    }
    return outcome;
  }

  /**
   * Writes the minimal infeasible problem (LP format) to `--minimal-infeasible-problem-file`,
   * when set: atomically (a temporary file renamed over it), so a reader never sees half a
   * file. A failure is the session log's WARNING, not the answer's.
   */
  private async writeInfeasibleProblem(sessionId: number, text: string | undefined): Promise<void> {
    const file = this.config.solver.minimalInfeasibleProblemFile;
    if (!file) return;
    if (text === undefined) {
      await this.logs.log(
        sessionId,
        'WARNING',
        `No minimal infeasible problem was written to ${file}: the solver did not find a proved conflicting set`,
      );
      return;
    }
    const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      await this.logs.log(
        sessionId,
        'WARNING',
        `The minimal infeasible problem could not be written to ${file}: ${(error as Error).message}`,
      );
      return;
    }
    await this.logs.log(sessionId, 'INFO', `Minimal infeasible problem (LP format) written to ${file}`);
  }
}
