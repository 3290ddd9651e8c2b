/**
 * Errors that say the database is not there (restarting, unreachable, a dropped connection), as
 * opposed to a query it refused: a request that meets one answers 503 (the client may try again
 * once the database is back), not 500. node-postgres reports a dropped connection by message and
 * a refused connect by the socket's error code; PostgreSQL itself by SQLSTATE (TypeORM copies the
 * driver's `code` onto its QueryFailedError and keeps the original as `driverError`).
 */

/** SQLSTATEs of a server that is going away, starting, or out of connections. */
const SQLSTATES = new Map<string, string>([
  ['57P01', 'the server is shutting down'],
  ['57P02', 'the server crashed'],
  ['57P03', 'the server is starting up'],
  ['53300', 'the server has no connection left'],
]);
/** Socket errors of a connection that could not be made or was cut. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** What node-postgres (client and pool) says of a connection that ended or cannot be had. */
const MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;

/** Why the database is unavailable, when `error` (or what it wraps) says it is; undefined for any other error. */
export function databaseUnavailable(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause && typeof cause === 'object' && depth < 4; depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      // Class 08: connection exception (08000, 08003 no connection, 08006 failure, 08001 cannot connect, ...).
      if (code.startsWith('08')) return `connection failure (${code})`;
      const state = SQLSTATES.get(code);
      if (state) return `${state} (${code})`;
      if (SOCKET_CODES.has(code)) return `no connection (${code})`;
    }
    // The fixed words only: nothing of a host or a query reaches the answer.
    const lost = typeof message === 'string' ? MESSAGES.exec(message) : null;
    if (lost) return `connection lost (${lost[1]})`;
    const inner = cause as { driverError?: unknown; cause?: unknown };
    cause = inner.driverError ?? inner.cause;
  }
  return undefined;
}

/** The 503 answer's message. */
export function databaseUnavailableMessage(reason: string): string {
  return (
    `The database is unavailable: ${reason}. The request did not complete; a change it was making is stored ` +
    'entirely or not at all (GET /model shows which). Try again once the database is back (GET /health/ready reports it)'
  );
}
