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

type Database = Pick<PGlite, 'execProtocol' | 'parsers' | 'isInTransaction'>;

/** Statements parsed once per database, by SQL text; bounded (texts beyond it are parsed each time). */
const MAX_PREPARED = 200;
const prepared = new WeakMap<Database, Map<string, string>>();
let lastName = 0;

/**
 * The name of the statement prepared for `sql` (parsed on its first use): later runs skip
 * PostgreSQL's parsing and analysis, and its plan cache may keep a plan (about half the time of a
 * small statement). Undefined once MAX_PREPARED texts are prepared.
 */
async function preparedName(db: Database, sql: string): Promise<string | undefined> {
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = new Map()));
  let name = statements.get(sql);
  if (name !== undefined || statements.size >= MAX_PREPARED) return name;
  name = `tarn_${++lastName}`;
  await db.execProtocol(concat([serialize.parse({ name, text: sql }), serialize.sync()]));
  statements.set(sql, name);
  return name;
}

/** Describe (portal), execute and sync, as PGlite's serializer writes them: the end of every statement's message. */
const DESCRIBE_EXECUTE_SYNC = Uint8Array.from([
  ...[0x44, 0, 0, 0, 6, 0x50, 0],
  ...[0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0],
  ...[0x53, 0, 0, 0, 4],
]);

/**
 * The wire protocol message of one statement: with parameters, the extended protocol's bind (of
 * `statement`, or of the statement parsed in the same message), describe, execute and sync in one
 * message, the parameters in their text form with their types left to the server, as
 * node-postgres sends them (buffers in binary); without, a simple query (which may hold several
 * statements). Written into one buffer of the right size (PGlite's serializer copies every
 * parameter several times over, ~5 ms of each upload with its results).
 */
export function statementMessage(sql: string, params?: readonly unknown[], statement?: string): Uint8Array {
  if (!params?.length) return serialize.query(sql);
  const values = params.map((value) => prepareValue(value) as string | Uint8Array | null);
  const lengths = values.map((v) => (v === null ? -1 : typeof v === 'string' ? Buffer.byteLength(v) : v.byteLength));
  const name = statement ?? '';
  const parseLength = statement === undefined ? 4 + Buffer.byteLength(sql) + 1 + 1 + 2 : 0;
  const bindLength =
    4 +
    1 +
    Buffer.byteLength(name) +
    1 +
    2 +
    2 * values.length +
    2 +
    2 +
    lengths.reduce((sum, length) => sum + 4 + Math.max(length, 0), 0);
  const size = (parseLength && 1 + parseLength) + 1 + bindLength + DESCRIBE_EXECUTE_SYNC.length;
  // Its own memory (not a slice of Node's pool), as PGlite reads it.
  const message = Buffer.allocUnsafeSlow(size);
  let at = 0;
  if (statement === undefined) {
    message[at++] = 0x50;
    at = message.writeInt32BE(parseLength, at);
    message[at++] = 0; // the unnamed statement
    at += message.write(sql, at);
    message[at++] = 0;
    at = message.writeInt16BE(0, at); // no parameter types
  }
  message[at++] = 0x42;
  at = message.writeInt32BE(bindLength, at);
  message[at++] = 0; // the unnamed portal
  at += message.write(name, at);
  message[at++] = 0;
  at = message.writeUInt16BE(values.length, at);
  for (const value of values) at = message.writeInt16BE(value === null || typeof value === 'string' ? 0 : 1, at);
  at = message.writeUInt16BE(values.length, at);
  values.forEach((value, i) => {
    at = message.writeInt32BE(lengths[i], at);
    if (typeof value === 'string') at += message.write(value, at);
    else if (value !== null) {
      message.set(value, at);
      at += value.byteLength;
    }
  });
  at = message.writeInt16BE(0, at); // results in text
  message.set(DESCRIBE_EXECUTE_SYNC, at);
  return message;
}

/** PostgreSQL's "cached plan must not change result type": a prepared statement's table changed. */
const PLAN_CHANGED = '0A000';

/**
 * Runs one statement (or, without parameters, a script: the last statement's result) in one
 * round trip into PGlite, a statement with parameters prepared on its first run. PGlite's own
 * `query` asks the server for the parameter types first and sends each protocol message on its
 * own: six entries into its WebAssembly per statement instead of one, and a parse every time.
 * Rows are parsed with PGlite's parsers, as its `query` does; a failed statement throws PGlite's
 * DatabaseError, carrying the query and parameters as PGlite's does.
 */
export async function pgliteQuery(db: Database, sql: string, params?: readonly unknown[]): Promise<Results> {
  let messages;
  try {
    const statement = params?.length ? await preparedName(db, sql) : undefined;
    try {
      ({ messages } = await db.execProtocol(statementMessage(sql, params, statement)));
    } catch (error) {
      if (statement === undefined || (error as { code?: string }).code !== PLAN_CHANGED) throw error;
      // Its table changed since it was prepared: parsed afresh, now (outside a transaction) or next time.
      prepared.get(db)?.delete(sql);
      if (db.isInTransaction()) throw error;
      ({ messages } = await db.execProtocol(statementMessage(sql, params)));
    }
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { query: sql, params });
    throw error;
  }
  return parse.parseResults(messages, db.parsers).at(-1) ?? { rows: [], fields: [], affectedRows: 0 };
}
