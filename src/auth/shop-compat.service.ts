import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { Repository } from 'typeorm';
import { NetworkMatcher } from '../config/networks.js';
import { ConfigError, TarnConfig } from '../config/tarn-config.js';
import { toAuthenticatedUser } from './auth.service.js';
import { type AuthenticatedUser, isAccountAdmin, isAdmin } from './authenticated-user.js';
import { User } from './entities/user.entity.js';
import { isShopServerPath } from './shop-server-paths.js';

/**
 * How long the compatibility user's record is used without reading it again: a pyshop script
 * makes hundreds of calls, which should not each read the user. The price: a deactivated (or
 * re-roled) compatibility user keeps working for up to this long.
 */
export const COMPAT_USER_CACHE_MS = 5_000;

/**
 * The SHOP Server compatibility mode (TARN_SHOP_COMPAT_USER): a request without credentials to a
 * SHOP Server root path, from one of TARN_SHOP_COMPAT_NETWORKS, acts as the configured user, so
 * that unmodified pyshop, which sends no token, can work.
 */
@Injectable()
export class ShopCompatService {
  private readonly email?: string;
  private readonly networks: NetworkMatcher;
  private cached?: { user: Promise<AuthenticatedUser>; until: number };

  constructor(
    config: TarnConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {
    this.email = config.shopCompat.user;
    this.networks = new NetworkMatcher(config.shopCompat.networks);
  }

  get enabled(): boolean {
    return this.email !== undefined;
  }

  /**
   * Whom a request without credentials acts as: the compatibility user (marked `shopCompat`) on a
   * SHOP Server root path from a trusted network (`req.ip`, which honours TARN_TRUST_PROXY_HOPS);
   * undefined elsewhere, which leaves the request to the usual 401.
   */
  async anonymousUser(request: Request): Promise<AuthenticatedUser | undefined> {
    if (!this.enabled || !isShopServerPath(request.method, request.path) || !this.networks.contains(request.ip)) {
      return undefined;
    }
    return { ...(await this.compatUser()), shopCompat: true };
  }

  /**
   * At start: the compatibility user must exist and be active (ConfigError otherwise, so the
   * server refuses to start). Answers warnings to log: an admin as compatibility user.
   */
  async checkAtStart(): Promise<string[]> {
    if (!this.email) return [];
    const user = await this.users.findOneBy({ email: this.email });
    const problem = !user ? 'no user has that email' : !user.active ? 'that user is deactivated' : undefined;
    if (problem) {
      throw new ConfigError([
        `TARN_SHOP_COMPAT_USER (${this.email}) must name an existing, active user: ${problem} ` +
          '(create a plain user with `npm run cli -- create-user`, or unset TARN_SHOP_COMPAT_USER)',
      ]);
    }
    const authenticated = toAuthenticatedUser(user!);
    if (isAdmin(authenticated) || isAccountAdmin(authenticated)) {
      const role = isAdmin(authenticated)
        ? 'an admin: they see every session'
        : "an account-admin: they see the account's sessions";
      return [
        `TARN_SHOP_COMPAT_USER (${this.email}) is ${role}, and so does anyone who reaches the SHOP Server ` +
          'paths without credentials from TARN_SHOP_COMPAT_NETWORKS; use a plain user',
      ];
    }
    return [];
  }

  private compatUser(): Promise<AuthenticatedUser> {
    const now = Date.now();
    if (!this.cached || now >= this.cached.until) {
      const user = this.loadCompatUser();
      this.cached = { user, until: now + COMPAT_USER_CACHE_MS };
      // A failure other than the user's absence (the database away) is not kept: the next request tries again.
      user.catch((error: unknown) => {
        if (!(error instanceof UnauthorizedException) && this.cached?.user === user) this.cached = undefined;
      });
    }
    return this.cached.user;
  }

  private async loadCompatUser(): Promise<AuthenticatedUser> {
    const user = await this.users.findOneBy({ email: this.email });
    if (!user?.active) {
      throw new UnauthorizedException(
        `Requests without credentials act as the SHOP compatibility user (TARN_SHOP_COMPAT_USER), which ` +
          `${user ? 'is deactivated' : 'does not exist'}; send a token`,
      );
    }
    return toAuthenticatedUser(user);
  }
}
