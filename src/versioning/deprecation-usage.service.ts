import { Injectable, Logger } from '@nestjs/common';
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

/** Who still calls deprecated routes, counted per user and route in the database. */
@Injectable()
export class DeprecationUsageService {
  private readonly logger = new Logger('Deprecation');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(user: AuthenticatedUser, method: string, route: string, successor?: string): Promise<void> {
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
    try {
      await this.dataSource.query(
        `INSERT INTO deprecated_call (user_id, account_id, method, route, calls, first_called_at, last_called_at)
         VALUES ($1, $2, $3, $4, 1, now(), now())
         ON CONFLICT (user_id, method, route)
         DO UPDATE SET calls = deprecated_call.calls + 1, last_called_at = now(), account_id = EXCLUDED.account_id`,
        [user.id, user.accountId, method, route],
      );
    } catch (error) {
      // Counting must never break the call it counts.
      this.logger.error({ err: error }, 'Could not record a deprecated call');
    }
  }

  async report(): Promise<DeprecatedCallReport[]> {
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
