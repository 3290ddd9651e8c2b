import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/tarn-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';

/** How many turns of the event loop a chain of setImmediate callbacks gets until `until` settles. */
async function loopTurnsDuring(until: Promise<unknown>): Promise<number> {
  let turns = 0;
  let settled = false;
  const tick = () => {
    if (settled) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await until.finally(() => (settled = true));
  return turns;
}

// The embedded database itself (whatever DATABASE_URL says): it runs in the API's own thread.
describe('the embedded database (PGlite) driver', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(loadConfig([], { TARN_DATA_DIR: 'memory://' })));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('lets the event loop turn between queries, so other requests are served meanwhile', async () => {
    const queries = 8;
    const turns = await loopTurnsDuring(
      Promise.all(Array.from({ length: queries }, (_, i) => dataSource.query('SELECT $1::int AS i', [i]))),
    );
    expect(turns).toBeGreaterThanOrEqual(queries - 1);
  });

  it('runs a transaction on its connection alone: a query sent meanwhile waits for its end', async () => {
    const order: string[] = [];
    let other: Promise<unknown> = Promise.resolve();
    await dataSource.transaction(async (manager) => {
      order.push('transaction begins');
      other = dataSource.query('SELECT 3').then(() => order.push('other query'));
      await manager.query('SELECT 1');
      await manager.query('SELECT 2');
      order.push('transaction ends');
    });
    await other;
    expect(order).toEqual(['transaction begins', 'transaction ends', 'other query']);
  });

  it('sends parameters in their text form, as node-postgres does, the server inferring their types', async () => {
    const at = new Date('2026-03-04T05:06:07.890Z');
    const [row] = await dataSource.query(
      `SELECT $1::int + 1 AS next, $2::text AS text, $3::boolean AS flag, $4::timestamptz AS at,
              $5::text[] AS names, $6::jsonb AS document, $7::text AS missing, $8::numeric AS amount`,
      [41, `it's "quoted", \\ and ü`, false, at, ['a,b', 'c"d', null], JSON.stringify({ x: [1, 2] }), null, '1.50'],
    );
    expect(row).toEqual({
      next: 42,
      text: `it's "quoted", \\ and ü`,
      flag: false,
      at,
      names: ['a,b', 'c"d', null],
      document: { x: [1, 2] },
      missing: null,
      amount: '1.50',
    });
  });

  it('answers a script without parameters with its last statement, and counts the rows a statement changed', async () => {
    expect(await dataSource.query('SELECT 1 AS one; SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await dataSource.query('CREATE TEMPORARY TABLE counted (n int)');
    await dataSource.query('INSERT INTO counted SELECT generate_series(1, 3)');
    const [, changed] = await dataSource.query('UPDATE counted SET n = n + $1 WHERE n > $2', [10, 1]);
    expect(changed).toBe(2);
  });

  it("fails a statement with PostgreSQL's error code, and the connection goes on", async () => {
    const failed = dataSource.query('SELECT $1::int / 0', [1]);
    await expect(failed).rejects.toMatchObject({ driverError: { code: '22012' }, query: 'SELECT $1::int / 0' });
    expect(await dataSource.query('SELECT $1::int AS ok', [1])).toEqual([{ ok: 1 }]);
    await expect(dataSource.query('SELEC $1::int', [1])).rejects.toMatchObject({ driverError: { code: '42601' } });
    expect(await dataSource.query('SELECT $1::int AS ok', [2])).toEqual([{ ok: 2 }]);
  });

  it('runs a statement prepared before its table changed with the table as it is now', async () => {
    await dataSource.query('CREATE TABLE reshaped (id int)');
    await dataSource.query('INSERT INTO reshaped VALUES (1)');
    const select = () => dataSource.query('SELECT * FROM reshaped WHERE id = $1', [1]);
    expect(await select()).toEqual([{ id: 1 }]);
    await dataSource.query(`ALTER TABLE reshaped ADD COLUMN name text DEFAULT 'added'`);
    expect(await select()).toEqual([{ id: 1, name: 'added' }]);
    expect(await select()).toEqual([{ id: 1, name: 'added' }]);
  });
});

// A data folder: the files are created once, in a child process (PGlite's initdb), then reopened.
describe('the embedded database in a data folder', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tarn-embedded-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const open = async (env: Record<string, string> = {}) => {
    const dataSource = new DataSource(dataSourceOptions(loadConfig([], { TARN_DATA_DIR: dataDir, ...env })));
    await dataSource.initialize();
    return dataSource;
  };

  it('creates the database in an empty folder, keeps what is written, and takes its shared buffers setting', async () => {
    const first = await open({ TARN_PGLITE_SHARED_BUFFERS: '8mb' });
    try {
      expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      expect(await first.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '8MB' }]);
      await first.query('CREATE TABLE kept (value text)');
      await first.query(`INSERT INTO kept VALUES ('written before the restart')`);
    } finally {
      await first.destroy();
    }
    const second = await open();
    try {
      expect(await second.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
      expect(await second.query('SELECT value FROM kept')).toEqual([{ value: 'written before the restart' }]);
    } finally {
      await second.destroy();
    }
  });
});
