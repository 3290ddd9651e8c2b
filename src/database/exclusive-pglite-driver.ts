import type { Results } from '@electric-sql/pglite';
import { getPGliteInstance, PGliteDriver } from 'typeorm-pglite';
import { createPgliteFiles } from './pglite-files.js';
import { pgliteQuery } from './pglite-query.js';

type Release = () => void;
type ConnectCallback = (error: Error | null, client: unknown, release: Release) => void;
type QueryCallback = (error: Error | null, result: Results | null) => void;

/**
 * PGlite runs each query synchronously in the API's own thread, and its promises chain in
 * microtasks: without a turn of the event loop between queries, 50 clients' requests ran one after
 * the other and a health check waited for all of them (GET / p99 ~450 ms under `npm run load`).
 * Handing the connection over in a macrotask lets pending I/O (new requests, answers) in between.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite is one PostgreSQL backend in-process, and typeorm-pglite hands the same
 * connection to every TypeORM query runner, so two concurrent transactions would
 * interleave their statements. This driver makes the pool behave like a pool of one
 * real connection: a query runner holds the connection exclusively until it releases it.
 *
 * Consequence (as on any one-connection pool): inside a transaction, use its
 * EntityManager only; a query through another repository would wait forever. Between two
 * holders the event loop turns once (above); a transaction's own statements follow each other.
 */
export function exclusivePgliteDriver(options: { dataDir: string; startParams: string[] }): unknown {
  const SharedPool = new PGliteDriver(options).driver.Pool as unknown as new () => {
    connect(callback: ConnectCallback): Promise<void>;
  };
  // A data folder without a database gets one first (in a child process, see createPgliteFiles).
  let files: Promise<void> | undefined;
  const ready = () =>
    (files ??=
      options.dataDir === 'memory://' ? Promise.resolve() : createPgliteFiles(options.dataDir, options.startParams));

  class ExclusivePool extends SharedPool {
    private queue: Promise<void> = Promise.resolve();

    override connect(callback: ConnectCallback): Promise<void> {
      let release!: Release;
      const turn = new Promise<void>((resolve) => (release = resolve));
      const previous = this.queue;
      this.queue = previous.then(() => turn);
      return previous
        .then(ready)
        .then(yieldToEventLoop)
        .then(
          () =>
            super.connect((error, client, done) => {
              if (error) release();
              let released = false;
              callback(error, client, () => {
                if (released) return;
                released = true;
                done();
                release();
              });
            }),
          (error: Error) => {
            release();
            callback(error, null, () => undefined);
          },
        );
    }

    /** Every statement of a query runner, in one round trip each (see pgliteQuery). */
    query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<Results> {
      if (typeof params === 'function') [params, callback] = [undefined, params];
      const values = params;
      const result = getPGliteInstance().then((db) => pgliteQuery(db, sql, values));
      if (callback) {
        const done = callback;
        result.then(
          (rows) => done(null, rows),
          (error: Error) => done(error, null),
        );
      }
      return result;
    }
  }

  return class {
    static Pool = ExclusivePool;
  };
}
