import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { exitOnSignals } from './common/shutdown.js';
import { configOrExit } from './config/config-or-exit.js';
import { WorkerModule } from './worker.module.js';

/** `npm run worker`: takes solve jobs from the BullMQ queue until SIGTERM, then finishes those it holds. */
async function bootstrap(): Promise<void> {
  const config = configOrExit('tarn worker', (config) =>
    config.redisUrl
      ? undefined
      : 'REDIS_URL must be set for a worker: it takes its jobs from the queue there (with DATABASE_URL, ' +
        'the PostgreSQL database that the API uses)',
  );
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  await app.init();
  const logger = new Logger('Tarn');
  // A little longer than the worker's own wait for its jobs (TARN_SHUTDOWN_TIMEOUT).
  exitOnSignals(app, logger, {
    stopping: 'finishing the jobs in progress, then stopping',
    timeoutMs: config.http.shutdownTimeoutMs + 5000,
  });
  logger.log(`Tarn worker ${process.pid} started`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `tarn worker: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
