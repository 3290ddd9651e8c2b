import { parse, type PGlite, protocol, type Results } from '@electric-sql/pglite';
import pgUtils from 'pg/lib/utils.js';

/** node-postgres's own conversion of a parameter to its text form (what TypeORM passes on PostgreSQL). */
const { prepareValue } = pgUtils;
const { serialize } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}

/**
 * The wire protocol message of one statement: with parameters, the extended protocol's parse,
 * bind, describe, execute and sync in one message, the parameters in their text form with their
 * types left to the server, as node-postgres sends them; without, a simple query (which may hold
 * several statements).
 */
export function statementMessage(sql: string, params?: readonly unknown[]): Uint8Array {
  if (!params?.length) return serialize.query(sql);
  return concat([
    serialize.parse({ text: sql }),
    serialize.bind({ values: params.map((value) => prepareValue(value)) }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  ]);
}

/**
 * Runs one statement (or, without parameters, a script: the last statement's result) in one
 * round trip into PGlite. PGlite's own `query` asks the server for the parameter types first and
 * sends each protocol message on its own: six entries into its WebAssembly per statement instead
 * of one. Rows are parsed with PGlite's parsers, as its `query` does; a failed statement throws
 * PGlite's DatabaseError, carrying the query and parameters as PGlite's does.
 */
export async function pgliteQuery(
  db: Pick<PGlite, 'execProtocol' | 'parsers'>,
  sql: string,
  params?: readonly unknown[],
): Promise<Results> {
  let messages;
  try {
    ({ messages } = await db.execProtocol(statementMessage(sql, params)));
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { query: sql, params });
    throw error;
  }
  return parse.parseResults(messages, db.parsers).at(-1) ?? { rows: [], fields: [], affectedRows: 0 };
}
