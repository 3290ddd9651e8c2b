import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError, type Repository } from 'typeorm';
import { type AuthenticatedUser, isAccountAdmin, isAdmin } from './authenticated-user.js';
import { Account } from './entities/account.entity.js';
import { type Role, User } from './entities/user.entity.js';
import { passwordHasher } from './password-hasher.js';

export interface NewUser {
  email: string;
  password: string;
  accountId?: number;
  accountName?: string;
  roles?: Role[];
}

export interface UserChanges {
  password?: string;
  active?: boolean;
  roles?: Role[];
}

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  count(): Promise<number> {
    return this.users.count();
  }

  all(): Promise<User[]> {
    return this.users.find({ order: { id: 'ASC' } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  /** Creates a user; `actor` is the API caller (undefined for the CLI and the first admin). */
  async create(input: NewUser, actor?: AuthenticatedUser): Promise<User> {
    const roles = input.roles?.length ? input.roles : (['user'] as Role[]);
    if (actor && !isAdmin(actor)) {
      const foreignAccount =
        (input.accountId !== undefined && input.accountId !== actor.accountId) ||
        (input.accountName !== undefined && input.accountName !== actor.accountName);
      if (foreignAccount) throw new ForbiddenException('Account-admins create users in their own account only');
      if (roles.includes('admin')) throw new ForbiddenException('Only admins can grant the admin role');
      input = { ...input, accountId: actor.accountId, accountName: undefined };
    }
    if (input.accountId === undefined && input.accountName === undefined) {
      throw new UnprocessableEntityException('Give account_id or account_name');
    }
    const passwordHash = await passwordHasher.hash(input.password);
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        const accountId = await this.resolveAccount(manager, input);
        const saved = await manager.save(
          manager.create(User, { email: input.email.toLowerCase(), passwordHash, roles, accountId }),
        );
        return saved.id;
      });
      return this.users.findOneByOrFail({ id });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION) {
        throw new ConflictException(`A user with email ${input.email.toLowerCase()} exists already`);
      }
      throw error;
    }
  }

  private async resolveAccount(manager: EntityManager, input: NewUser): Promise<number> {
    if (input.accountId !== undefined) {
      const account = await manager.findOneBy(Account, { id: input.accountId });
      if (!account) throw new UnprocessableEntityException(`Account ${input.accountId} does not exist`);
      return account.id;
    }
    await manager.createQueryBuilder().insert().into(Account).values({ name: input.accountName }).orIgnore().execute();
    return (await manager.findOneByOrFail(Account, { name: input.accountName })).id;
  }

  /** Admins see every user (or one account's); account-admins see their own account only. */
  list(actor: AuthenticatedUser, accountId?: number): Promise<User[]> {
    const scope = isAdmin(actor) ? accountId : actor.accountId;
    return this.users.find({ where: scope === undefined ? {} : { accountId: scope }, order: { id: 'ASC' } });
  }

  /** One user as the actor may see them: others' users answer 404, as unknown ones do. */
  async get(actor: AuthenticatedUser, id: number): Promise<User> {
    const user = await this.users.findOneBy(isAdmin(actor) ? { id } : { id, accountId: actor.accountId });
    const visible = user && (isAdmin(actor) || isAccountAdmin(actor) || user.id === actor.id);
    if (!visible) throw new NotFoundException(`User ${id} not found`);
    return user;
  }

  async update(actor: AuthenticatedUser, id: number, changes: UserChanges): Promise<User> {
    const target = await this.get(actor, id);
    if (!isAdmin(actor)) {
      if (!isAccountAdmin(actor)) {
        if (changes.active !== undefined || changes.roles !== undefined) {
          throw new ForbiddenException('Users may change their own password only');
        }
      } else {
        if (target.roles.includes('admin') && target.id !== actor.id) {
          throw new ForbiddenException('Account-admins cannot change server admins');
        }
        if (changes.roles?.includes('admin')) throw new ForbiddenException('Only admins can grant the admin role');
      }
    }
    return this.apply(target, changes);
  }

  /** Applies changes without a permission check (the CLI). */
  async apply(target: User, changes: UserChanges): Promise<User> {
    const revokeTokens = changes.password !== undefined || changes.active === false;
    await this.users.update(target.id, {
      ...(changes.password !== undefined && { passwordHash: await passwordHasher.hash(changes.password) }),
      ...(changes.active !== undefined && { active: changes.active }),
      ...(changes.roles !== undefined && { roles: changes.roles.length ? changes.roles : ['user'] }),
      ...(revokeTokens && { tokenVersion: () => 'token_version + 1' }),
    });
    return this.users.findOneByOrFail({ id: target.id });
  }
}
