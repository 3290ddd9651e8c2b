import type { INestApplicationContext, Logger } from '@nestjs/common';

/**
 * On SIGTERM or SIGINT: logs `stopping`, closes the application (which finishes the work in
 * flight) and exits 0, or 1 when closing fails or takes longer than `timeoutMs`. Our own
 * handler rather than enableShutdownHooks(): that one re-kills the process with the signal
 * after closing, so the exit status would not be 0.
 */
export function exitOnSignals(
  app: INestApplicationContext,
  logger: Logger,
  options: { stopping: string; timeoutMs: number },
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: ${options.stopping}`);
    const force = setTimeout(() => {
      logger.error(`Still running after ${options.timeoutMs} ms; exiting`);
      process.exit(1);
    }, options.timeoutMs);
    force.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
