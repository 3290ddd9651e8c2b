import type { RedisOptions } from 'ioredis';
import type { TarnConfig } from '../config/tarn-config.js';

/** The BullMQ queue that solve jobs go on. */
export const SOLVE_QUEUE = 'solve';

/** The Redis channel on which a cancel reaches every worker process (`<prefix>:solve:cancel`). */
export const cancelChannel = (config: TarnConfig) => `${config.queue.prefix}:${SOLVE_QUEUE}:cancel`;

/**
 * A run's job id: one job per run, so a run is never queued twice. With the run's creation time,
 * as run ids start at 1 again in a new database while Redis keeps finished jobs for a while
 * (BullMQ ignores a job whose id it already has).
 */
export const jobIdOf = (runId: number, created: string) => `run-${runId}-${Date.parse(created)}`;
export const runIdOf = (jobId: string) => {
  const match = /^run-(\d+)-\d+$/.exec(jobId);
  return match ? Number(match[1]) : undefined;
};

/** ioredis options from REDIS_URL (redis://[user:password@]host[:port][/db], rediss:// for TLS). */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // Reconnects for ever, at most every 2 s: the service recovers by itself when Redis returns.
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

/**
 * Closes a BullMQ queue, worker or event listener, waiting at most `ms`: one that never reached
 * Redis would wait for it for ever, so its connection is then dropped.
 */
export async function closeWithin(instance: { close(): Promise<void> }, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    instance.close().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (!closed) (instance as { connection?: { _client?: { disconnect(): void } } }).connection?._client?.disconnect();
}
