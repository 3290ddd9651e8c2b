import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';

export interface DeprecatedCallReport {
  user_id: number;
  email: string;
  account_id: number;
  account_name: string;
  method: string;
  route: string;
  calls: number;
  first_called_at: string;
  last_called_at: string;
}

/** Calls counted since the last write, per user, method and route. */
interface PendingCalls {
  userId: number;
  accountId: number;
  method: string;
  route: string;
  calls: number;
  first: Date;
  last: Date;
}

/** How long calls are counted in memory before they are written (and the WARNING repeated). */
export const DEPRECATION_FLUSH_MS = 5000;

/**
 * Who still calls deprecated routes, counted per user and route in the database. A script that
 * calls a root alias hundreds of times (pyshop) must not pay a database write and a log line per
 * call: calls are counted in memory and written every few seconds in one statement, with one
 * WARNING per user and route in that time; the report writes what is pending first.
 */
@Injectable()
export class DeprecationUsageService implements OnApplicationShutdown {
  private readonly logger = new Logger('Deprecation');
  private pending = new Map<string, PendingCalls>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  record(user: AuthenticatedUser, method: string, route: string, successor?: string): void {
    const key = `${user.id}\u0000${method}\u0000${route}`;
    const now = new Date();
    const known = this.pending.get(key);
    if (known) {
      known.calls++;
      known.last = now;
      known.accountId = user.accountId;
      return;
    }
    this.logger.warn(
      {
        userId: user.id,
        email: user.email,
        accountId: user.accountId,
        account: user.accountName,
        method,
        route,
        successor,
      },
      `Deprecated route ${method} ${route} called by ${user.email} (account ${user.accountName})`,
    );
    this.pending.set(key, {
      userId: user.id,
      accountId: user.accountId,
      method,
      route,
      calls: 1,
      first: now,
      last: now,
    });
    this.timer ??= setTimeout(() => void this.flush(), DEPRECATION_FLUSH_MS).unref();
  }

  /** Writes the calls counted so far (in order with earlier writes). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (!batch.length) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(batch: PendingCalls[]): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO deprecated_call (user_id, account_id, method, route, calls, first_called_at, last_called_at)
         SELECT b."userId", b."accountId", b.method, b.route, b.calls, b.first, b.last
           FROM jsonb_to_recordset($1::jsonb)
             AS b("userId" integer, "accountId" integer, method text, route text, calls integer,
                  first timestamptz, last timestamptz)
         ON CONFLICT (user_id, method, route)
         DO UPDATE SET calls = deprecated_call.calls + EXCLUDED.calls,
                       last_called_at = GREATEST(deprecated_call.last_called_at, EXCLUDED.last_called_at),
                       account_id = EXCLUDED.account_id`,
        [JSON.stringify(batch)],
      );
    } catch (error) {
      // Counting must never break the calls it counts.
      this.logger.error({ err: error }, `Could not record ${batch.length} deprecated call count(s)`);
    }
  }

  async report(): Promise<DeprecatedCallReport[]> {
    await this.flush();
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT c.user_id, u.email, c.account_id, a.name AS account_name, c.method, c.route, c.calls,
              c.first_called_at, c.last_called_at
         FROM deprecated_call c
         JOIN app_user u ON u.id = c.user_id
         JOIN account a ON a.id = c.account_id
        ORDER BY c.last_called_at DESC, c.id`,
    );
    return rows.map((row) => ({
      user_id: Number(row.user_id),
      email: String(row.email),
      account_id: Number(row.account_id),
      account_name: String(row.account_name),
      method: String(row.method),
      route: String(row.route),
      calls: Number(row.calls),
      first_called_at: new Date(row.first_called_at as string).toISOString(),
      last_called_at: new Date(row.last_called_at as string).toISOString(),
    }));
  }
}
