import { Injectable } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { TarnError } from '../common/errors/tarn-error.js';
import { TarnConfig } from '../config/tarn-config.js';
import { RunsService } from '../jobs/runs.service.js';
import { SessionLogService } from '../logging/session-log.service.js';
import { ShopApiValueError } from '../shop/shop-api-values.js';
import { ModelFailure, SessionModel } from './session-model.js';
import { type Args, type Entry, shopApiHandlers } from './shop-api-handlers.js';
import { argumentTextProblem, type ShopApiFunctionName } from './shop-api-functions.js';

/**
 * Calls SHOP API functions on a session's stored model: the model `PUT /model` and `GET /model`
 * serve, one attribute row read or written per call. Calls of one session run one at a time, in
 * arrival order, each after the session's runs in progress.
 */
@Injectable()
export class ShopApiService {
  private readonly queues = new Map<number, Promise<unknown>>();
  private readonly handlers: Record<ShopApiFunctionName, Entry>;

  constructor(
    model: SessionModel,
    private readonly logs: SessionLogService,
    private readonly runs: RunsService,
    private readonly config: TarnConfig,
  ) {
    this.handlers = shopApiHandlers({ model, logs, solver: config.solver.provider });
  }

  /**
   * Calls a function; `sessionId` for those that work on a session. A model failure answers the
   * function's failure value and writes an ERROR to the session log; other errors propagate.
   */
  async call(name: ShopApiFunctionName, args: Args, sessionId?: number): Promise<unknown> {
    const entry = this.handlers[name];
    const run = async () => {
      try {
        const textProblem = argumentTextProblem(name, args);
        if (textProblem) throw new ModelFailure(textProblem);
        if (sessionId !== undefined) await this.afterRuns(sessionId);
        return await entry.run(sessionId ?? 0, args);
      } catch (error) {
        const message = failureMessage(error);
        if (message === undefined) throw error;
        if (sessionId !== undefined) await this.logs.log(sessionId, 'ERROR', `${name}: ${message}`, 'shop-api');
        return entry.failure;
      }
    };
    if (sessionId === undefined) return run();
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const current = previous.then(run, run);
    this.queues.set(sessionId, current);
    try {
      return await current;
    } finally {
      if (this.queues.get(sessionId) === current) this.queues.delete(sessionId);
    }
  }

  /**
   * Waits for the session's runs in progress (a `PUT /model` of another client, or one without
   * wait), as a SHOP session would have finished them before taking the next call; at most for
   * the server's solve time limit, so that a run no worker takes cannot hold the session for ever.
   * A run of this process (or of the queue it follows) ends its events when it ends; a run of
   * another API process is seen ending in the database, checked at growing intervals.
   */
  private async afterRuns(sessionId: number): Promise<void> {
    const deadline = Date.now() + this.config.solver.timeLimitMs;
    for (let pauseMs = 20; ; pauseMs = Math.min(pauseMs * 2, 1000)) {
      const unfinished = await this.runs.unfinished(sessionId);
      if (!unfinished.length || Date.now() >= deadline) return;
      const { id } = unfinished[unfinished.length - 1];
      let timer: NodeJS.Timeout | undefined;
      const pause = new Promise<'paused'>((resolve) => {
        timer = setTimeout(() => resolve('paused'), Math.min(pauseMs, deadline - Date.now())).unref();
      });
      const ended = this.runs
        .events(sessionId, id)
        .then((events) => lastValueFrom(events, { defaultValue: undefined }))
        .then(
          () => 'ended' as const,
          () => 'ended' as const,
        );
      try {
        // A run this process does not follow "ends" at once while it still runs: then poll.
        if ((await Promise.race([ended, pause])) === 'ended') {
          const open = await this.runs.unfinished(sessionId);
          if (open.some((run) => run.id === id)) await pause;
        }
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/**
 * The message of a model failure, or undefined for an error that is not one: a client error of
 * the model or its commands (4xx TarnError) is; an unreachable queue or a deleted session is not.
 */
function failureMessage(error: unknown): string | undefined {
  if (error instanceof ModelFailure || error instanceof ShopApiValueError) return error.message;
  if (!(error instanceof TarnError) || error.status >= 500 || error.code === 'session_gone') return undefined;
  const details = error.details
    .filter((detail) => detail.message)
    .map((detail) => (detail.path ? `${detail.path}: ${detail.message}` : detail.message));
  return details.length ? `${error.message} (${details.slice(0, 5).join('; ')})` : error.message;
}
