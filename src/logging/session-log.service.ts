import { createWriteStream, type WriteStream } from 'node:fs';
import { Injectable, Logger, type OnApplicationShutdown, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TarnConfig } from '../config/tarn-config.js';
import { escapeText } from '../shop/text.js';
import { EndpointDelivery, type LogMessage } from './endpoint-delivery.js';

export const LOG_LEVELS = ['INFO', 'WARNING', 'ERROR'] as const;
export type SessionLogLevel = (typeof LOG_LEVELS)[number];

export interface StoredLogMessage {
  id: number;
  level: SessionLogLevel;
  message: string;
  source: string;
  time: string;
}

interface DeliveryQueue {
  pending: Array<{ url: string; body: LogMessage }>;
  running: boolean;
  backoffMs: number;
  dropped: number;
}

const MAX_PENDING = 1000;
const MAX_BACKOFF_MS = 60_000;

/** A file that lines are appended to, opened on the first line; writes do not wait for the disk. */
class AppendFile {
  private stream?: WriteStream;

  constructor(
    private readonly path: string | undefined,
    private readonly logger: Logger,
  ) {}

  write(line: string): void {
    if (!this.path) return;
    if (!this.stream) {
      this.stream = createWriteStream(this.path, { flags: 'a' });
      this.stream.on('error', (error) => this.logger.error({ err: error }, `Cannot write ${this.path}`));
    }
    this.stream.write(line);
  }

  end(): void {
    this.stream?.end();
  }
}

/**
 * Every session's log: stored in the database, appended to --shop-log-file (the solver's lines,
 * source `solver`, to --solver-log-file too), and POSTed to the session's logging endpoint.
 * Delivery never blocks or fails the request that logged: it runs in the background, in order
 * per session, and after a failure waits with exponential back-off.
 */
@Injectable()
export class SessionLogService implements OnApplicationShutdown {
  private readonly logger = new Logger('SessionLog');
  private readonly delivery: EndpointDelivery;
  private readonly queues = new Map<number, DeliveryQueue>();
  private readonly shopLog: AppendFile;
  private readonly solverLog: AppendFile;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: TarnConfig,
  ) {
    this.delivery = new EndpointDelivery(config.logging.endpointAllow, config.logging.endpointTimeoutMs);
    this.shopLog = new AppendFile(config.logging.shopLogFile, this.logger);
    this.solverLog = new AppendFile(config.solver.logFile, this.logger);
  }

  /** `message` may quote what a client sent: what the database cannot store is written escaped. */
  async log(sessionId: number, level: SessionLogLevel, text: string, source = 'tarn'): Promise<void> {
    await this.logMany(sessionId, [{ level, text }], source);
  }

  /** Several messages of one session in one statement, in their order (as `log` one by one). */
  async logMany(
    sessionId: number,
    entries: ReadonlyArray<{ level: SessionLogLevel; text: string }>,
    source = 'tarn',
  ): Promise<void> {
    if (!entries.length) return;
    const messages = entries.map(({ text }) => escapeText(text));
    const rows: Array<{ created_at: Date; name: string; url: string | null }> = await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO session_log (session_id, level, message, source)
         SELECT $1, e.level, e.message, $4 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(level, message, n)
         ORDER BY e.n
         RETURNING created_at
       )
       SELECT (SELECT min(created_at) FROM inserted) AS created_at, s.name, e.url
         FROM optimization_session s
         LEFT JOIN logging_endpoint e ON e.session_id = s.id
        WHERE s.id = $1`,
      [sessionId, entries.map((entry) => entry.level), messages, source],
    );
    const { created_at: at, name, url } = rows[0];
    const time = new Date(at).toISOString();
    entries.forEach(({ level }, i) => {
      const message = messages[i];
      this.shopLog.write(`${time} ${level} [${name}] ${message}\n`);
      if (source === 'solver') this.solverLog.write(`${time} ${level} [session ${sessionId}] ${message}\n`);
      if (url) this.enqueue(sessionId, url, { message, level, callerid: name });
    });
  }

  /** Registers (or replaces) the session's endpoint; only http and https URLs. */
  async registerEndpoint(sessionId: number, endpoint: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UnprocessableEntityException({
        message: `endpoint is not a URL: ${JSON.stringify(endpoint.slice(0, 200))}`,
        details: [{ path: 'endpoint', message: 'not a URL' }],
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UnprocessableEntityException({
        message: `endpoint must be an http or https URL, not ${url.protocol}`,
        details: [{ path: 'endpoint', message: 'only http and https' }],
      });
    }
    await this.dataSource.query(
      `INSERT INTO logging_endpoint (session_id, url) VALUES ($1, $2)
       ON CONFLICT (session_id) DO UPDATE SET url = EXCLUDED.url, created_at = now()`,
      [sessionId, url.toString()],
    );
    await this.log(sessionId, 'INFO', `Logging endpoint registered: ${url.origin}`);
  }

  /** Stored messages after `sinceId`, oldest first. */
  async messages(sessionId: number, sinceId = 0, limit = 1000): Promise<StoredLogMessage[]> {
    const rows: Array<{ id: string; level: SessionLogLevel; message: string; source: string; created_at: Date }> =
      await this.dataSource.query(
        `SELECT id, level, message, source, created_at FROM session_log
          WHERE session_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [sessionId, sinceId, limit],
      );
    return rows.map((r) => ({
      id: Number(r.id),
      level: r.level,
      message: r.message,
      source: r.source,
      time: new Date(r.created_at).toISOString(),
    }));
  }

  private enqueue(sessionId: number, url: string, body: LogMessage): void {
    let queue = this.queues.get(sessionId);
    if (!queue) this.queues.set(sessionId, (queue = { pending: [], running: false, backoffMs: 0, dropped: 0 }));
    if (queue.pending.length >= MAX_PENDING) {
      queue.pending.shift();
      queue.dropped++;
    }
    queue.pending.push({ url, body });
    if (!queue.running) void this.drain(sessionId, queue);
  }

  private async drain(sessionId: number, queue: DeliveryQueue): Promise<void> {
    queue.running = true;
    try {
      while (queue.pending.length) {
        if (queue.backoffMs) await new Promise((resolve) => setTimeout(resolve, queue.backoffMs).unref());
        const { url, body } = queue.pending.shift()!;
        try {
          await this.delivery.send(url, body);
          queue.backoffMs = 0;
        } catch (error) {
          queue.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1000, queue.backoffMs * 2));
          this.logger.warn(
            `Session ${sessionId}: could not deliver a log message to ${new URL(url).origin}: ` +
              `${(error as Error).message}; next attempt in ${queue.backoffMs} ms`,
          );
        }
        if (queue.dropped) {
          this.logger.warn(`Session ${sessionId}: ${queue.dropped} log messages not delivered (queue full)`);
          queue.dropped = 0;
        }
      }
    } finally {
      queue.running = false;
      if (!queue.pending.length) this.queues.delete(sessionId);
    }
  }

  onApplicationShutdown(): void {
    this.delivery.close();
    this.shopLog.end();
    this.solverLog.end();
  }
}
