import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AuthenticatedUser } from './authenticated-user.js';
import type { AuthTokenDto } from './dto/auth-token.dto.js';
import { type Role, User } from './entities/user.entity.js';
import { passwordHasher } from './password-hasher.js';

/** The claims Tarn puts in a token: the user and their token version. */
export interface TokenClaims {
  sub: number;
  tv: number;
  iat?: number;
  exp?: number;
}

export const BAD_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so both failures cost the same time. */
  private readonly decoyHash = passwordHasher.hash('decoy password that matches nothing');

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly jwt: JwtService,
  ) {}

  async requestToken(email: string, password: string): Promise<AuthTokenDto> {
    const user = await this.users.findOneBy({ email: email.toLowerCase() });
    const valid = await passwordHasher.verify(user?.passwordHash ?? (await this.decoyHash), password);
    if (!user || !valid || !user.active) throw new UnauthorizedException(BAD_CREDENTIALS);
    return { auth_token: await this.issueToken(user), user_id: user.id };
  }

  issueToken(user: User): Promise<string> {
    const claims: TokenClaims = { sub: user.id, tv: user.tokenVersion };
    return this.jwt.signAsync(claims);
  }

  /** Checks what the signature cannot: required claims, the user still active, the token not revoked. */
  async userForClaims(claims: Partial<TokenClaims>): Promise<AuthenticatedUser> {
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
      throw new UnauthorizedException('Token is invalid: it must carry exp and iat claims');
    }
    if (!Number.isSafeInteger(claims.sub) || !Number.isSafeInteger(claims.tv)) {
      throw new UnauthorizedException('Token is invalid: it was not issued by this server');
    }
    // Every request runs this: one plain query, not an entity find (with the eager account join
    // TypeORM pages a findOne in two queries, and building them cost more than running them).
    const [user]: TokenUserRow[] = await this.users.query(
      `SELECT u.id, u.email, u.active, u.roles, u.token_version, u.account_id, a.name AS account_name
       FROM app_user u JOIN account a ON a.id = u.account_id WHERE u.id = $1`,
      [claims.sub],
    );
    if (!user) throw new UnauthorizedException('Token is invalid: its user no longer exists');
    if (!user.active) throw new UnauthorizedException('Token is no longer valid: the user is deactivated');
    if (user.token_version !== claims.tv) {
      throw new UnauthorizedException('Token was revoked (the password changed); request a new one');
    }
    return {
      id: user.id,
      email: user.email,
      accountId: user.account_id,
      accountName: user.account_name,
      roles: user.roles,
    };
  }
}

interface TokenUserRow {
  id: number;
  email: string;
  active: boolean;
  roles: Role[];
  token_version: number;
  account_id: number;
  account_name: string;
}

export function toAuthenticatedUser(user: User): AuthenticatedUser {
  return {
    id: user.id,
    email: user.email,
    accountId: user.accountId,
    accountName: user.account.name,
    roles: user.roles,
  };
}
