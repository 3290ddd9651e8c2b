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
  try {
    const schema = (options as { schema?: string }).schema ?? 'public';
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const kind = 'url' in options && options.url ? 'PostgreSQL' : 'embedded PostgreSQL (PGlite)';
    logger.log(`Database ready: ${kind}, schema ${schema}, ${applied.length} migration(s) applied`);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
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
