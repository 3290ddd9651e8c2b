import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.setup.js';
import { loadConfig, type TarnConfig } from '../../src/config/tarn-config.js';
import { usePgliteTemplate } from './pglite-template.js';

export const ADMIN_EMAIL = 'admin@tarn.test';
export const ADMIN_PASSWORD = 'admin-password-123';

type Features = Parameters<typeof createApp>[1];

export interface TestAppOptions {
  /** Extra environment, as an operator would set it. */
  env?: Record<string, string>;
  /** Extra modules (e.g. a controller defined in a test). */
  features?: Features;
  /** Reuse a database between two apps (restart tests): a data folder, or a PostgreSQL schema. */
  dataDir?: string;
  schema?: string;
}

export interface TestApp {
  app: NestExpressApplication;
  config: TarnConfig;
  http: () => ReturnType<typeof request>;
  token: (email?: string, password?: string) => Promise<string>;
  createUser: (adminToken: string, user: Record<string, unknown>) => Promise<{ id: number; token: string }>;
  close: () => Promise<void>;
}

/** A fresh PostgreSQL schema name for this test app, when DATABASE_URL is set. */
export const newSchemaName = () => `e2e_${randomBytes(6).toString('hex')}`;

/**
 * Boots the real application (the same createApp as `npm start`) on PostgreSQL when
 * DATABASE_URL is set (in a schema of its own, dropped on close) and on in-memory
 * embedded PostgreSQL otherwise.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  usePgliteTemplate();
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl ? (options.schema ?? newSchemaName()) : undefined;
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    TARN_LOG_LEVEL: 'silent',
    TARN_DATA_DIR: options.dataDir ?? 'memory://',
    TARN_ADMIN_EMAIL: ADMIN_EMAIL,
    TARN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TARN_AUTH_THROTTLE_LIMIT: '1000',
    // Tests start many apps; the solver warm-up has a test of its own (solver-warm-up.e2e-spec.ts).
    TARN_SOLVER_WARM_UP: 'false',
    DATABASE_URL: databaseUrl,
    TARN_DATABASE_SCHEMA: schema,
    ...options.env,
  };
  const config = loadConfig([], env);
  const app = await createApp(config, options.features);
  const http = () => request(app.getHttpServer());

  const token = async (email = ADMIN_EMAIL, password = ADMIN_PASSWORD) => {
    const response = await http().post('/api/requestAuthToken').send({ email, password });
    if (response.status !== 200) {
      throw new Error(`token for ${email}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body.auth_token as string;
  };

  const createUser = async (adminToken: string, user: Record<string, unknown>) => {
    const response = await http().post('/api/v1/users').set('Authorization', adminToken).send(user);
    if (response.status !== 201) throw new Error(`create user: ${response.status} ${JSON.stringify(response.body)}`);
    return { id: response.body.id as number, token: await token(user.email as string, user.password as string) };
  };

  const close = async () => {
    await app.close();
    if (databaseUrl && schema && !options.schema) await dropSchema(databaseUrl, schema);
  };

  return { app, config, http, token, createUser, close };
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
