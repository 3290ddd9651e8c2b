import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { TarnConfig } from '../config/tarn-config.js';

export type RedisState = 'up' | 'down' | 'not configured';

/** How long readiness waits for Redis to accept a connection, and then for its PONG. */
export const REDIS_CHECK_TIMEOUT_MS = 1000;

/** Connects to Redis, sends PING and disconnects; rejects when it cannot within `timeoutMs` (each step). */
export async function pingRedis(url: string, timeoutMs = REDIS_CHECK_TIMEOUT_MS): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The failed connect() reports the error; without a listener ioredis prints it as well.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

/**
 * Redis for readiness: "not configured" without REDIS_URL (and readiness does not depend on it),
 * else "up" or "down" from a fresh connection and a PING, so that a probe never waits on the
 * reconnect loop of a long-lived client.
 */
@Injectable()
export class RedisCheck {
  constructor(private readonly config: TarnConfig) {}

  async state(): Promise<RedisState> {
    const url = this.config.redisUrl;
    if (!url) return 'not configured';
    try {
      await pingRedis(url);
      return 'up';
    } catch {
      return 'down';
    }
  }
}
