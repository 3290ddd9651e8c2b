import { Injectable } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';

interface Entry {
  revision: number;
  body: Buffer;
}

/**
 * GET /model answers as sent (serialised JSON, as bytes: nothing to encode per request), by session and filters, with the model revision
 * they were read at. A read at the same revision is served from here: many clients re-reading an
 * unchanged model cost one indexed read each instead of the whole model from the database (which,
 * embedded, runs in the API's own thread). Least recently used answers go first beyond
 * TARN_MODEL_CACHE_SIZE; an answer larger than a quarter of it is not kept.
 */
@Injectable()
export class ModelReadCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly limit: number;

  constructor(config: TarnConfig) {
    this.limit = config.http.modelCacheBytes;
  }

  get(key: string, revision: number): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.revision !== revision) {
      this.bytes -= entry.body.length;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.body;
  }

  set(key: string, revision: number, body: Buffer): void {
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.body.length;
    }
    if (body.length > this.limit / 4) return;
    this.entries.set(key, { revision, body });
    this.bytes += body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.limit) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length;
    }
  }
}
