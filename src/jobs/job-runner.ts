import type { InterpretedCommands } from '../shop/command-interpreter.js';
import type { RunRunner } from './runs.service.js';

/**
 * What a run needs to go anywhere: its commands as interpreted when they were uploaded (what to
 * solve, with which settings, and the warnings to log). The model itself is read from the
 * database where it runs.
 */
export interface SolveJob {
  runId: number;
  /** When the run was created (ISO 8601): with the id, it names the run across database resets. */
  created: string;
  sessionId: number;
  interpreted: InterpretedCommands;
}

/** A run handed to a runner: `done` settles when it has ended, rejecting as the PUT should answer. */
export interface SubmittedRun {
  done: Promise<void>;
}

/**
 * Where runs are solved and their results stored: this process's solver threads
 * (InProcessJobRunner, the default) or worker processes taking them from a BullMQ queue on Redis
 * (QueueJobRunner, with REDIS_URL). The API enqueues and waits the same way with either.
 */
export abstract class JobRunner {
  abstract readonly kind: RunRunner;

  /** Throws QueueUnavailableError (503) when runs cannot be taken now (the queue's Redis is unreachable). */
  abstract checkAvailable(): Promise<void>;

  /** Hands the run over; resolves once it is accepted (queued), with its end still to come. */
  abstract submit(job: SolveJob): Promise<SubmittedRun>;

  /** Stops the session's running solve, wherever it runs, and drops its waiting runs; true if one was running. */
  abstract cancel(sessionId: number): Promise<boolean>;
}
