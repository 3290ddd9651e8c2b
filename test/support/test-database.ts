import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/tarn-config.js';
import { openDatabase } from '../../src/database/database.module.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { ENTITIES } from '../../src/database/entities.js';
import { dropSchema, newSchemaName } from './test-app.js';

export interface TestDatabase {
  dataSource: DataSource;
  /** A session of a new account and user, as a row (what services take). */
  newSession: () => Promise<number>;
  close: () => Promise<void>;
}

/**
 * Tarn's database with every migration applied, without the app: PostgreSQL when DATABASE_URL
 * is set (a schema of its own, dropped on close), else in-memory embedded PostgreSQL (PGlite).
 * For service-level ("medium") specs.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl ? newSchemaName() : undefined;
  const config = loadConfig([], {
    TARN_DATA_DIR: 'memory://',
    DATABASE_URL: databaseUrl,
    TARN_DATABASE_SCHEMA: schema,
  });
  const dataSource = await openDatabase(dataSourceOptions(config, ENTITIES));
  let accounts = 0;
  const newSession = async () => {
    const name = `account ${++accounts}`;
    const [account]: Array<{ id: number }> = await dataSource.query(
      'INSERT INTO account (name) VALUES ($1) RETURNING id',
      [name],
    );
    const [user]: Array<{ id: number }> = await dataSource.query(
      `INSERT INTO app_user (email, password_hash, account_id) VALUES ($1, 'x', $2) RETURNING id`,
      [`user${accounts}@tarn.test`, account.id],
    );
    const [session]: Array<{ id: number }> = await dataSource.query(
      `INSERT INTO optimization_session (name, user_id, account_id) VALUES ('s', $1, $2) RETURNING id`,
      [user.id, account.id],
    );
    return session.id;
  };
  const close = async () => {
    await dataSource.destroy();
    if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
  };
  return { dataSource, newSession, close };
}
