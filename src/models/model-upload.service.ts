import { HttpException, Injectable, Logger } from '@nestjs/common';
import { JobRunner } from '../jobs/job-runner.js';
import { type Run, RunsService } from '../jobs/runs.service.js';
import { ModelStoreService } from '../model-store/model-store.service.js';

const hasCommands = (body: unknown) =>
  typeof body === 'object' && body !== null && Array.isArray((body as { commands?: unknown }).commands)
    ? (body as { commands: unknown[] }).commands.length > 0
    : false;

/**
 * PUT /model: stores the upload, then runs its commands as a run through the job runner,
 * answering when the run is done or, with `wait: false`, as soon as it is accepted.
 */
@Injectable()
export class ModelUploadService {
  private readonly logger = new Logger('ModelUpload');

  constructor(
    private readonly store: ModelStoreService,
    private readonly runs: RunsService,
    private readonly jobs: JobRunner,
  ) {}

  async put(sessionId: number, body: unknown, options: { wait?: boolean } = {}): Promise<Run | undefined> {
    // Commands that could not be run are refused before anything is stored.
    if (hasCommands(body)) await this.jobs.checkAvailable();
    const { commands, settings } = await this.store.store(sessionId, body);
    if (!commands.length) return undefined;
    const run = await this.runs.create(sessionId, commands, this.jobs.kind);
    const { done } = await this.jobs.submit({ runId: run.run_id, created: run.created, sessionId, commands, settings });
    if (options.wait !== false) {
      await done;
      return run;
    }
    // The run records how it ended; nobody waits for the answer.
    done.catch((error: unknown) => {
      if (!(error instanceof HttpException)) this.logger.error(`Run ${run.run_id}: ${(error as Error).stack ?? error}`);
    });
    return run;
  }
}
