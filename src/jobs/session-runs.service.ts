import { Injectable } from '@nestjs/common';
import { SessionLogService } from '../logging/session-log.service.js';
import { ModelStoreService } from '../model-store/model-store.service.js';
import { JobRunner } from './job-runner.js';

/** Stopping a session's runs, wherever they run: `POST /session/cancel`, and a deleted session's solve. */
@Injectable()
export class SessionRunsService {
  constructor(
    private readonly jobs: JobRunner,
    private readonly store: ModelStoreService,
    private readonly logs: SessionLogService,
  ) {}

  /** Interrupts the session's running solve and drops its queued commands, saying so in the session log. */
  async cancel(sessionId: number): Promise<void> {
    const interrupted = await this.jobs.cancel(sessionId);
    const dropped = await this.store.dropQueuedCommands(sessionId);
    await this.logs.log(
      sessionId,
      'INFO',
      `Cancel requested: ${interrupted ? 'the running solve was interrupted' : 'no solve was running'}, ` +
        `${dropped} queued command(s) dropped`,
    );
  }

  /** Stops the solve of a deleted session: it would only keep a worker busy for nothing. */
  async stop(sessionId: number): Promise<void> {
    await this.jobs.cancel(sessionId).catch(() => undefined);
  }
}
