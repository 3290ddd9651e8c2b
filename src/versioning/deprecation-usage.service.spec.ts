import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { DEPRECATION_FLUSH_MS, DeprecationUsageService } from './deprecation-usage.service.js';

const user: AuthenticatedUser = {
  id: 7,
  email: 'script@tarn.test',
  accountId: 3,
  accountName: 'Scripts',
  roles: ['user'],
};

describe(DeprecationUsageService.name, () => {
  let writes: Array<Array<Record<string, unknown>>>;
  let usage: DeprecationUsageService;
  let warnings: number;

  beforeEach(() => {
    jest.useFakeTimers();
    writes = [];
    const dataSource = {
      query: async (sql: string, params: unknown[]) => {
        if (sql.startsWith('INSERT')) writes.push(JSON.parse(params[0] as string));
        return [];
      },
    } as unknown as DataSource;
    usage = new DeprecationUsageService(dataSource);
    warnings = 0;
    (usage as unknown as { logger: { warn: () => void } }).logger.warn = () => void warnings++;
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('counts calls in memory and writes them in one statement after a while, warning once per route', async () => {
    for (let i = 0; i < 300; i++) usage.record(user, 'POST', '/internal/:name');
    usage.record(user, 'POST', '/session');
    expect(writes).toEqual([]);
    expect(warnings).toBe(2);
    await jest.advanceTimersByTimeAsync(DEPRECATION_FLUSH_MS);
    expect(writes).toEqual([
      [
        expect.objectContaining({ userId: 7, accountId: 3, method: 'POST', route: '/internal/:name', calls: 300 }),
        expect.objectContaining({ route: '/session', calls: 1 }),
      ],
    ]);
    usage.record(user, 'POST', '/internal/:name');
    expect(warnings).toBe(3);
  });

  it('writes what is pending when asked (the report does), and nothing when nothing is', async () => {
    usage.record(user, 'GET', '/sessions');
    await usage.flush();
    await usage.flush();
    expect(writes).toEqual([[expect.objectContaining({ route: '/sessions', calls: 1 })]]);
  });
});
