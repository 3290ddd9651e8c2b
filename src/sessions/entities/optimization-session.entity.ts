import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An optimization session (SHOP's term): one model, its commands, runs and log. */
@Entity({ name: 'optimization_session' })
export class OptimizationSession {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'log_file', type: 'text', default: '' })
  logFile: string;

  /** The user who created it; their account's admins and server admins see it too. */
  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @Column({ name: 'account_id', type: 'integer' })
  accountId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Created without credentials in the SHOP Server compatibility mode: deleted when idle. */
  @Column({ name: 'shop_compat', type: 'boolean', default: false })
  shopCompat: boolean;

  /** The last request on it; kept for `shopCompat` sessions only, to at most a minute. */
  @Column({ name: 'last_activity_at', type: 'timestamptz', default: () => 'now()' })
  lastActivityAt: Date;
}
