import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { loadConfig } from '../config/tarn-config.js';
import type { SessionRunsService } from '../jobs/session-runs.service.js';
import type { SessionsService } from './sessions.service.js';
import { ShopCompatSessionSweeper } from './shop-compat-session.sweeper.js';

const NOW = new Date('2026-12-01T12:00:00Z');

function setup(idle?: string) {
  const deleteIdleShopCompat = jest.fn(async (_before: Date) => [
    { id: 5, name: 'demo' },
    { id: 9, name: 'unnamed' },
  ]);
  const stop = jest.fn(async (_id: number) => undefined);
  const sweeper = new ShopCompatSessionSweeper(
    loadConfig([], idle ? { TARN_SHOP_COMPAT_SESSION_IDLE: idle } : {}),
    { deleteIdleShopCompat } as unknown as SessionsService,
    { stop } as unknown as SessionRunsService,
  );
  return { sweeper, deleteIdleShopCompat, stop };
}

describe(ShopCompatSessionSweeper.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('deletes the sessions without a request for the idle time (24 h by default) and stops their runs', async () => {
    const { sweeper, deleteIdleShopCompat, stop } = setup();
    await expect(sweeper.sweep(NOW)).resolves.toEqual([5, 9]);
    expect(deleteIdleShopCompat).toHaveBeenCalledWith(new Date('2026-11-30T12:00:00Z'));
    expect(stop.mock.calls).toEqual([[5], [9]]);
  });

  it('sweeps every 5 minutes, or every idle time when that is shorter, until the module is destroyed', async () => {
    const { sweeper, deleteIdleShopCompat } = setup();
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(deleteIdleShopCompat).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(deleteIdleShopCompat).toHaveBeenCalledTimes(1);
    await sweeper.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(deleteIdleShopCompat).toHaveBeenCalledTimes(1);

    const short = setup('30s');
    const started = Date.now();
    short.sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(90_000);
    expect(short.deleteIdleShopCompat).toHaveBeenCalledTimes(3);
    // The third sweep, 90 s on: idle since 30 s before it.
    expect(short.deleteIdleShopCompat).toHaveBeenLastCalledWith(new Date(started + 60_000));
    await short.sweeper.onModuleDestroy();
  });

  it('keeps sweeping after a failed sweep (the database away)', async () => {
    const { sweeper, deleteIdleShopCompat } = setup('10s');
    deleteIdleShopCompat.mockRejectedValueOnce(new Error('connection refused'));
    sweeper.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(deleteIdleShopCompat).toHaveBeenCalledTimes(2);
    await sweeper.onModuleDestroy();
  });
});
