/**
 * Domain errors: what services, the job runners and the solver's callers throw when a request
 * cannot be served as asked. Plain classes (no Nest, no HTTP): one filter maps each code to its
 * HTTP status (TARN_ERROR_STATUS), and a run that ends in one stores it as data
 * (`solver_run.error`), so a queue worker and the API that waits for it agree on the answer.
 */

/** One problem, named by where it is (`model.reservoir.Rsv1.max_vol`, `commands[2]`, `body`). */
export interface ErrorDetail {
  path: string;
  message: string;
  [extra: string]: unknown;
}

export const TARN_ERROR_STATUS = {
  /** The document does not fit the catalog or the stored model: nothing was stored. */
  model_not_accepted: 422,
  /** A command is malformed or cannot run as given: nothing was stored. */
  malformed_commands: 400,
  /** The body could not be read (YAML syntax, YAML connections). */
  malformed_body: 400,
  /** The model was stored, but it lacks what an optimization needs. */
  model_not_optimizable: 422,
  /** The model was stored, but the optimization refuses a value in it (e.g. rising water values). */
  model_value_rejected: 400,
  /** The model was stored, but the optimization found no solution. */
  no_solution: 422,
  /** A query parameter names what does not exist (e.g. an unknown object type). */
  invalid_query: 400,
  /** The session was deleted while its commands ran. */
  session_gone: 404,
  /** Runs cannot be taken now (the queue's Redis is unreachable): nothing was stored. */
  queue_unavailable: 503,
} as const;

export type TarnErrorCode = keyof typeof TARN_ERROR_STATUS;

/** A TarnError as data: what `solver_run.error` holds. */
export interface TarnErrorData {
  code: TarnErrorCode;
  message: string;
  details: ErrorDetail[];
}

export class TarnError extends Error {
  constructor(
    readonly code: TarnErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'TarnError';
  }

  get status(): number {
    return TARN_ERROR_STATUS[this.code];
  }

  toData(): TarnErrorData {
    return { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: TarnErrorData): TarnError {
    return new TarnError(data.code, data.message, data.details);
  }

  static isData(value: unknown): value is TarnErrorData {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as TarnErrorData).code === 'string' &&
      (value as TarnErrorData).code in TARN_ERROR_STATUS &&
      typeof (value as TarnErrorData).message === 'string'
    );
  }
}

/** The problems a parser found (its `Problem`s): where, and what. */
type Problems = ReadonlyArray<Pick<ErrorDetail, 'path' | 'message'>>;

/** The problems, the first five named in the message. */
function problemsMessage(message: string, problems: Problems): string {
  const named = problems
    .slice(0, 5)
    .map((p) => `${p.path} ${p.message}`)
    .join('; ');
  return `${message}: ${named}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`;
}

export class ModelNotAcceptedError extends TarnError {
  constructor(problems: Problems) {
    super(
      'model_not_accepted',
      problemsMessage('The model was not accepted', problems),
      problems.map((p) => ({ ...p })),
    );
  }
}

export class MalformedCommandsError extends TarnError {
  constructor(problems: Problems) {
    super(
      'malformed_commands',
      problemsMessage('Malformed commands', problems),
      problems.map((p) => ({ ...p })),
    );
  }
}

export class MalformedBodyError extends TarnError {
  constructor(message: string, detail: ErrorDetail) {
    super('malformed_body', message, [detail]);
  }
}

export class ModelNotOptimizableError extends TarnError {
  constructor(path: string, reason: string) {
    super('model_not_optimizable', `The model was stored, but it cannot be optimized: ${path}: ${reason}`, [
      { path, message: reason },
    ]);
  }
}

export class ModelValueRejectedError extends TarnError {
  constructor(path: string, reason: string) {
    super('model_value_rejected', `The model was stored, but Tarn cannot optimize it: ${path}: ${reason}`, [
      { path, message: reason },
    ]);
  }
}

export class NoSolutionError extends TarnError {
  constructor(message: string, details: ErrorDetail[]) {
    super('no_solution', message, details);
  }
}

export class InvalidQueryError extends TarnError {
  constructor(message: string) {
    super('invalid_query', message);
  }
}

export class SessionGoneError extends TarnError {
  constructor(sessionId: number) {
    super('session_gone', `Session ${sessionId} was deleted while its commands ran`);
  }
}

export class QueueUnavailableError extends TarnError {
  constructor(why: string) {
    super(
      'queue_unavailable',
      `The solve queue (Redis) is unavailable: ${why}. Nothing was stored or changed; try again once Redis is back ` +
        '(GET /health/ready reports it)',
    );
  }
}
