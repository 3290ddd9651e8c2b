import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { SessionRunsService } from '../jobs/session-runs.service.js';
import { SessionsService } from './sessions.service.js';

/** The longest wait between two sweeps (shorter when the idle time is). */
const MAX_SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * pyshop never deletes its sessions (pyshop-compat §1.5): the sessions created without
 * credentials in the SHOP Server compatibility mode are deleted after TARN_SHOP_COMPAT_SESSION_IDLE
 * without a request, so that forgotten scripts do not fill --max-sessions. Runs whether the mode
 * is on or not, so that such sessions also expire after it was turned off. Every replica sweeps;
 * a session is deleted by one of them.
 */
@Injectable()
export class ShopCompatSessionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ShopCompat');
  private readonly idleMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    config: TarnConfig,
    private readonly sessions: SessionsService,
    private readonly runs: SessionRunsService,
  ) {
    this.idleMs = config.shopCompat.sessionIdleMs;
  }

  onApplicationBootstrap(): void {
    const every = Math.min(this.idleMs, MAX_SWEEP_INTERVAL_MS);
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Idle SHOP compatibility sessions not swept'))
        .finally(() => (this.running = undefined));
    }, every).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Deletes the SHOP compatibility sessions without a request for longer than the idle time
   * before `now`, and stops their runs as DELETE /session does. Answers the ids deleted.
   */
  async sweep(now = new Date()): Promise<number[]> {
    const before = new Date(now.getTime() - this.idleMs);
    const deleted = await this.sessions.deleteIdleShopCompat(before);
    for (const { id } of deleted) await this.runs.stop(id);
    if (deleted.length > 0) {
      this.logger.log(
        { sessions: deleted.map(({ id }) => id), idleSince: before.toISOString() },
        `Deleted ${deleted.length} SHOP compatibility session(s) without a request since ${before.toISOString()} ` +
          `(TARN_SHOP_COMPAT_SESSION_IDLE): ${deleted.map(({ id, name }) => `${id} ${JSON.stringify(name)}`).join(', ')}`,
      );
    }
    return deleted.map(({ id }) => id);
  }
}
