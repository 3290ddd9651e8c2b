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
}
