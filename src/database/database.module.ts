import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { TarnConfig } from '../config/tarn-config.js';
import { dataSourceOptions } from './data-source-options.js';

const logger = new Logger('Database');

/** Opens the database (PostgreSQL or embedded PGlite) and brings its schema up to date. */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  const shared = 'url' in options && !!options.url;
  // API replicas and workers starting together would apply the same migrations at once: on a
  // shared database, one process at a time (the others then find nothing left to apply).
  const lock = shared ? dataSource.createQueryRunner() : undefined;
  try {
    const schema = (options as { schema?: string }).schema ?? 'public';
    await lock?.query(`SELECT pg_advisory_lock(hashtext($1))`, [`tarn migrations ${schema}`]);
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const kind = shared ? 'PostgreSQL' : 'embedded PostgreSQL (PGlite)';
    logger.log(`Database ready: ${kind}, schema ${schema}, ${applied.length} migration(s) applied`);
  } catch (error) {
    await lock?.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
    await lock?.release();
    await dataSource.destroy();
    throw error;
  }
  // The connection goes back to the pool, not away: the lock is released explicitly.
  await lock?.query(`SELECT pg_advisory_unlock_all()`);
  await lock?.release();
  return dataSource;
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [TarnConfig],
      useFactory: (config: TarnConfig) => ({ ...dataSourceOptions(config), autoLoadEntities: true }),
      dataSourceFactory: async (options) => openDatabase(options!),
    }),
  ],
})
export class DatabaseModule {}
