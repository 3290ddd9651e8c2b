import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup.js';
import { exitOnSignals } from './common/shutdown.js';
import { configOrExit } from './config/config-or-exit.js';
import { ConfigError } from './config/tarn-config.js';
import { checkShopCompat } from './shop-compat-check.js';

async function bootstrap(): Promise<void> {
  const config = configOrExit('tarn');
  const app = await createApp(config);
  const logger = new Logger('Tarn');
  if (!config.auth.jwtSecret && config.env === 'production') {
    logger.warn('TARN_JWT_SECRET is not set: tokens are signed with a secret generated in the data folder');
  }
  try {
    for (const warning of await checkShopCompat(app, config)) logger.warn(warning);
  } catch (error) {
    await app.close();
    throw error;
  }
  if (config.shopCompat.user) {
    logger.log(
      `SHOP Server compatibility mode: requests without credentials to the SHOP Server paths from ` +
        `${config.shopCompat.networks.join(', ')} act as ${config.shopCompat.user}`,
    );
  }

  exitOnSignals(app, logger, {
    stopping: 'finishing requests in flight, then stopping',
    timeoutMs: config.http.shutdownTimeoutMs,
  });

  await app.listen(config.http.port, config.http.listen);
  logger.log(`Tarn listening on http://${config.http.listen}:${config.http.port} (API docs at /api/docs)`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    // A mistake found once the database is up (TARN_SHOP_COMPAT_USER): exit 2, as configOrExit does.
    process.stderr.write(`tarn: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `tarn: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
