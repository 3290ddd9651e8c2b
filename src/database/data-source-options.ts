import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import type { TarnConfig } from '../config/tarn-config.js';
import { lockDataDir } from './data-dir-lock.js';
import { exclusivePgliteDriver } from './exclusive-pglite-driver.js';
import { pgliteStartParams } from './pglite-files.js';

/** Where the embedded database keeps its files. */
export function pgliteDirectory(config: TarnConfig): string {
  return join(config.database.dataDir, 'pglite');
}

/**
 * The one description of Tarn's database, used by the app and the TypeORM CLI:
 * PostgreSQL when DATABASE_URL is set, otherwise embedded PostgreSQL (PGlite) in the
 * data folder (`memory://` keeps it in memory, for tests). The schema only ever
 * changes through `migrations/`.
 */
export function dataSourceOptions(config: TarnConfig, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    schema: config.database.schema,
    logging: false,
  };
  if (config.database.url) {
    return {
      ...common,
      url: config.database.url,
      extra: { options: `-c search_path=${config.database.schema}` },
    };
  }
  const startParams = pgliteStartParams({ sharedBuffersBytes: config.database.pgliteSharedBuffersBytes });
  if (config.database.dataDir === 'memory://') {
    return { ...common, driver: exclusivePgliteDriver({ dataDir: 'memory://', startParams }) };
  }
  mkdirSync(pgliteDirectory(config), { recursive: true });
  lockDataDir(config.database.dataDir);
  return { ...common, driver: exclusivePgliteDriver({ dataDir: pgliteDirectory(config), startParams }) };
}
