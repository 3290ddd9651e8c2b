import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { getPGliteInstance } from 'typeorm-pglite';
import { PGliteInstance } from 'typeorm-pglite/dist/pglite-instance.js';
import { loadConfig } from '../../src/config/tarn-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';

/** Where the global setup leaves the migrated database for the test apps. */
const TEMPLATE_ENV = 'TARN_TEST_PGLITE_TEMPLATE';

/**
 * A fresh PGlite runs initdb, several seconds on this machine, for every test app. The global
 * setup does it once, applies the migrations and saves the data folder; each in-memory test
 * app then starts from a copy (about a third of the time). The app still runs its migrations
 * at boot: it finds them applied. Only for `memory://`; PostgreSQL and data folders are as before.
 */
export async function writePgliteTemplate(folder: string): Promise<void> {
  const config = loadConfig([], { NODE_ENV: 'test', TARN_DATA_DIR: 'memory://' });
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const dump = await (await getPGliteInstance()).dumpDataDir('none');
    const file = join(folder, 'pglite-template.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    process.env[TEMPLATE_ENV] = file;
  } finally {
    await dataSource.destroy();
  }
}

let template: Blob | undefined;

/** Makes every in-memory PGlite of this test file start from the template, when there is one. */
export function usePgliteTemplate(): void {
  const file = process.env[TEMPLATE_ENV];
  if (!file || template) return;
  template = new Blob([readFileSync(file)]);
  const setOptions = PGliteInstance.setOptions.bind(PGliteInstance);
  PGliteInstance.setOptions = (options) =>
    setOptions(options?.dataDir === 'memory://' ? { ...options, loadDataDir: template } : options);
}
