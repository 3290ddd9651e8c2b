import { HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { type AuthenticatedUser, isAccountAdmin, isAdmin } from '../auth/authenticated-user.js';
import { TarnConfig } from '../config/tarn-config.js';
import { DEFAULT_SETTINGS, type SolverSettings } from '../shop/solver-settings.js';
import { OptimizationSession } from './entities/optimization-session.entity.js';

/** Which sessions a user may see: their own; their account's for account-admins; all for admins. */
function visibleTo(actor: AuthenticatedUser): { accountId?: number; userId?: number } {
  if (isAdmin(actor)) return {};
  if (isAccountAdmin(actor)) return { accountId: actor.accountId };
  return { userId: actor.id };
}

export function visibleSessions(actor: AuthenticatedUser): FindOptionsWhere<OptimizationSession> {
  return visibleTo(actor);
}

const SESSION_COLUMNS = 'id, name, log_file, user_id, account_id, created_at, shop_compat, last_activity_at';
interface SessionRow {
  id: number;
  name: string;
  log_file: string;
  user_id: number;
  account_id: number;
  created_at: Date | string;
  shop_compat: boolean;
  last_activity_at: Date | string;
}

/** How stale a SHOP compatibility session's last activity may get before a request writes it again. */
export const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(OptimizationSession) private readonly sessions: Repository<OptimizationSession>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: TarnConfig,
  ) {}

  /** Creates a session unless the server already holds --max-sessions of them (429). */
  async create(actor: AuthenticatedUser, name?: string, logFile?: string): Promise<OptimizationSession> {
    const limit = this.config.sessions.maxSessions;
    return this.dataSource.transaction(async (manager) => {
      // Serializes concurrent creations, so that the count below cannot be outrun.
      await manager.query('LOCK TABLE optimization_session IN SHARE ROW EXCLUSIVE MODE');
      if ((await manager.count(OptimizationSession)) >= limit) {
        throw new HttpException(
          `The server holds ${limit} sessions, its limit (--max-sessions); delete one and retry`,
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
      const session = await manager.save(
        manager.create(OptimizationSession, {
          name: name ?? '',
          logFile: logFile ?? '',
          userId: actor.id,
          accountId: actor.accountId,
          shopCompat: actor.shopCompat === true,
        }),
      );
      if (!name) {
        session.name = `session_${session.id}`;
        await manager.update(OptimizationSession, session.id, { name: session.name });
      }
      return session;
    });
  }

  /**
   * A session the actor may see; unknown and foreign ones are both 404. Every request on a session
   * loads it here, so this is where a SHOP compatibility session's activity is recorded (touch).
   */
  async get(actor: AuthenticatedUser, id: number): Promise<OptimizationSession> {
    // Every session request runs this: one plain query, as building an entity find costs more than
    // running it (on the embedded database, in the API's own thread).
    const { accountId = null, userId = null } = visibleTo(actor);
    const [row]: SessionRow[] = await this.dataSource.query(
      `SELECT ${SESSION_COLUMNS} FROM optimization_session
       WHERE id = $1 AND ($2::int IS NULL OR account_id = $2) AND ($3::int IS NULL OR user_id = $3)`,
      [id, accountId, userId],
    );
    if (!row) throw new NotFoundException(`Session ${id} not found`);
    const session = this.sessions.create({
      id: row.id,
      name: row.name,
      logFile: row.log_file,
      userId: row.user_id,
      accountId: row.account_id,
      createdAt: new Date(row.created_at),
      shopCompat: row.shop_compat,
      lastActivityAt: new Date(row.last_activity_at),
    });
    await this.touch(session);
    return session;
  }

  list(actor: AuthenticatedUser): Promise<OptimizationSession[]> {
    return this.sessions.find({ where: visibleSessions(actor), order: { id: 'ASC' } });
  }

  /** Deletes the session with everything that belongs to it (rows cascade). */
  async delete(actor: AuthenticatedUser, id: number): Promise<void> {
    const result = await this.sessions.delete({ ...visibleSessions(actor), id });
    if (!result.affected) throw new NotFoundException(`Session ${id} not found`);
  }

  /**
   * Records a request on a session created in the SHOP Server compatibility mode, which is deleted
   * when idle (ShopCompatSessionSweeper). At most one write a minute per session keeps a script's
   * hundreds of calls cheap; other sessions are never written.
   */
  async touch(session: OptimizationSession, now = new Date()): Promise<void> {
    if (!session.shopCompat) return;
    if (now.getTime() - new Date(session.lastActivityAt).getTime() < TOUCH_INTERVAL_MS) return;
    await this.sessions.update(session.id, { lastActivityAt: now });
    session.lastActivityAt = now;
  }

  /**
   * Deletes the SHOP compatibility sessions without a request since `before` (rows cascade) and
   * answers which; their runs are the caller's to stop.
   */
  async deleteIdleShopCompat(before: Date): Promise<Array<{ id: number; name: string }>> {
    // A CTE answers rows (a bare DELETE's RETURNING comes back from TypeORM as [rows, count]).
    const rows: Array<{ id: number; name: string }> = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM optimization_session WHERE shop_compat AND last_activity_at < $1 RETURNING id, name
       ) SELECT * FROM gone ORDER BY id`,
      [before],
    );
    return rows.map((row) => ({ id: Number(row.id), name: String(row.name) }));
  }

  /**
   * Takes the session's row lock in the caller's transaction: one writer of a session's model
   * at a time (a delete waits for it too).
   */
  async lock(manager: EntityManager, id: number): Promise<void> {
    await manager.query('SELECT id FROM optimization_session WHERE id = $1 FOR UPDATE', [id]);
  }

  /** The session's solver settings: SHOP's defaults, overridden by what its commands set so far. */
  async solverSettings(id: number): Promise<SolverSettings> {
    const rows: Array<{ solver_settings: Partial<SolverSettings> | string | null }> = await this.dataSource.query(
      'SELECT solver_settings FROM optimization_session WHERE id = $1',
      [id],
    );
    const raw = rows[0]?.solver_settings;
    const stored: Partial<SolverSettings> = typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {});
    return {
      ...DEFAULT_SETTINGS,
      ...stored,
      penaltyFlags: { ...DEFAULT_SETTINGS.penaltyFlags, ...stored.penaltyFlags },
    };
  }

  /** Keeps the settings that an upload's commands leave, for the session's later uploads (as in a SHOP session). */
  async saveSolverSettings(manager: EntityManager, id: number, settings: SolverSettings): Promise<void> {
    await manager.query('UPDATE optimization_session SET solver_settings = $2 WHERE id = $1', [
      id,
      JSON.stringify(settings),
    ]);
  }
}
