import { Injectable } from '@nestjs/common';
import { SolverService } from '../solver/solver.service.js';
import { JobRunner, type SolveJob, type SubmittedRun } from './job-runner.js';
import { RunExecutor } from './run-executor.service.js';
import { RunsService } from './runs.service.js';

/**
 * The default: runs are solved by this process's solver threads, as soon as one is free and
 * their account's turn has come (TARN_MAX_RUNS_PER_ACCOUNT; a run waiting for its turn takes no
 * thread, so other accounts' runs go ahead of it).
 */
@Injectable()
export class InProcessJobRunner extends JobRunner {
  readonly kind = 'process' as const;

  constructor(
    private readonly executor: RunExecutor,
    private readonly solver: SolverService,
    private readonly runs: RunsService,
  ) {
    super();
  }

  async checkAvailable(): Promise<void> {}

  submit(job: SolveJob): Promise<SubmittedRun> {
    return Promise.resolve({ done: this.executor.execute(job).then(() => undefined) });
  }

  async cancel(sessionId: number): Promise<boolean> {
    // Runs waiting for their account's turn leave the line; the running solve is interrupted.
    await this.runs.cancelWaiting(sessionId);
    return this.solver.cancel(sessionId);
  }
}
