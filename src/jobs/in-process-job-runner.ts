import { Injectable } from '@nestjs/common';
import { SolverService } from '../solver/solver.service.js';
import { JobRunner, type SolveJob, type SubmittedRun } from './job-runner.js';
import { RunExecutor } from './run-executor.service.js';

/** The default: runs are solved by this process's solver threads, as soon as one is free. */
@Injectable()
export class InProcessJobRunner extends JobRunner {
  readonly kind = 'process' as const;

  constructor(
    private readonly executor: RunExecutor,
    private readonly solver: SolverService,
  ) {
    super();
  }

  async checkAvailable(): Promise<void> {}

  submit(job: SolveJob): Promise<SubmittedRun> {
    return Promise.resolve({ done: this.executor.execute(job).then(() => undefined) });
  }

  cancel(sessionId: number): Promise<boolean> {
    return Promise.resolve(this.solver.cancel(sessionId));
  }
}
