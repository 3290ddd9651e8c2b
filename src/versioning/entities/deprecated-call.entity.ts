import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** How often a user has called one deprecated route: who still has to migrate. */
@Entity({ name: 'deprecated_call' })
@Unique('uq_deprecated_call_user_route', ['userId', 'method', 'route'])
export class DeprecatedCall {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  @Column({ name: 'account_id', type: 'integer' })
  accountId: number;

  @Column({ type: 'text' })
  method: string;

  /** The mounted route pattern, e.g. `/session` or `/api/v1/users/:id`. */
  @Column({ type: 'text' })
  route: string;

  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  calls: number;

  @Column({ name: 'first_called_at', type: 'timestamptz' })
  firstCalledAt: Date;

  @Column({ name: 'last_called_at', type: 'timestamptz' })
  lastCalledAt: Date;
}
