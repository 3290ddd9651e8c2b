import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface ShopApiState {
  /** The zone name the client gave with SetTimeZone ("" for none); Tarn's times stay zone-less. */
  timeZone: string;
  /** The session's object count when the client last listed the objects (UpdateNeeded). */
  listedObjects: number;
  /** The id of the last session log message GetMessages returned. */
  messagesSeen: number;
}

const DEFAULT_STATE: ShopApiState = { timeZone: '', listedObjects: 0, messagesSeen: 0 };

const COLUMNS: Record<keyof ShopApiState, string> = {
  timeZone: 'time_zone',
  listedObjects: 'listed_objects',
  messagesSeen: 'messages_seen',
};

/** What a SHOP API client leaves on the server between calls, per session. Owns shop_api_state. */
@Injectable()
export class ShopApiStateService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(sessionId: number): Promise<ShopApiState> {
    const rows: Array<{ time_zone: string; listed_objects: number; messages_seen: string }> =
      await this.dataSource.query(
        'SELECT time_zone, listed_objects, messages_seen FROM shop_api_state WHERE session_id = $1',
        [sessionId],
      );
    if (!rows.length) return { ...DEFAULT_STATE };
    const [row] = rows;
    return { timeZone: row.time_zone, listedObjects: row.listed_objects, messagesSeen: Number(row.messages_seen) };
  }

  async set(sessionId: number, change: Partial<ShopApiState>): Promise<void> {
    const entries = (Object.keys(change) as Array<keyof ShopApiState>).filter((key) => change[key] !== undefined);
    if (!entries.length) return;
    const columns = entries.map((key) => COLUMNS[key]);
    await this.dataSource.query(
      `INSERT INTO shop_api_state (session_id, ${columns.join(', ')})
       VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
       ON CONFLICT (session_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      [sessionId, ...entries.map((key) => change[key])],
    );
  }
}
