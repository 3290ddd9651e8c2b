import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { createApp } from './app.setup.js';
import { exitOnSignals } from './common/shutdown.js';
import { ConfigError, HelpRequested, loadConfig, type TarnConfig } from './config/tarn-config.js';

/** Loads `.env` when present (values already in the environment win). */
function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

function readConfig(): TarnConfig {
  try {
    return loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(error.text);
      process.exit(0);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`tarn: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  const app = await createApp(config);
  const logger = new Logger('Tarn');
  if (!config.auth.jwtSecret && config.env === 'production') {
    logger.warn('TARN_JWT_SECRET is not set: tokens are signed with a secret generated in the data folder');
  }

  exitOnSignals(app, logger, {
    stopping: 'finishing requests in flight, then stopping',
    timeoutMs: config.http.shutdownTimeoutMs,
  });

  await app.listen(config.http.port, config.http.listen);
  logger.log(`Tarn listening on http://${config.http.listen}:${config.http.port} (API docs at /api/docs)`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `tarn: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
