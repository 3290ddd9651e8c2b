import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { parseAuthorization } from '../authorization-header.js';
import { Public } from '../decorators/public.decorator.js';
import { ShopCompatService } from '../shop-compat.service.js';
import { isShopServerPath } from '../shop-server-paths.js';

export const BASIC_OFF_SHOP_PATHS =
  'Basic credentials are taken only on the SHOP Server root paths (for pyshop); ' +
  'send the token as "Authorization: Bearer <token>"';
export const MALFORMED_BASIC = 'Basic credentials must be base64 of "<email>:<API token>"';

/** Why passport-jwt / jsonwebtoken refused a token, in words a client can act on. */
export function describeTokenFailure(info: unknown): string {
  if (!(info instanceof Error)) return 'Authentication required: send a token in the Authorization header';
  if (info.name === 'TokenExpiredError') return 'Token expired: request a new one at /api/requestAuthToken';
  if (info.name === 'NotBeforeError') return 'Token is not valid yet';
  const reasons: Record<string, string> = {
    'No auth token': 'Authentication required: send a token in the Authorization header',
    'invalid signature': 'Token signature is invalid',
    'jwt signature is required': 'Token is unsigned; signed tokens only',
    'invalid algorithm': 'Token algorithm is not accepted',
    'jwt malformed': 'Token is malformed',
    'invalid token': 'Token is malformed',
  };
  return reasons[info.message] ?? `Token is invalid: ${info.message}`;
}

/**
 * The global guard: every route needs a valid token unless marked @Public(). On the SHOP Server
 * root paths (pyshop's), a request without credentials may act as the compatibility user
 * (ShopCompatService), and Basic credentials with a token as password are taken.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly shopCompat: ShopCompatService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const credentials = parseAuthorization(request.headers.authorization);
    if (credentials.kind === 'none') {
      const user = await this.shopCompat.anonymousUser(request);
      if (user) {
        request.user = user;
        return true;
      }
    } else if (credentials.kind !== 'token') {
      if (!isShopServerPath(request.method, request.path)) throw new UnauthorizedException(BASIC_OFF_SHOP_PATHS);
      if (credentials.kind === 'malformed-basic') throw new UnauthorizedException(MALFORMED_BASIC);
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(error: unknown, user: TUser, info: unknown, context?: ExecutionContext): TUser {
    // `error` comes from validate() (our 401s, or a failure such as the database being down,
    // which must stay a 5xx); a refused token arrives as `info`.
    if (error) throw error;
    if (!user) {
      const header = context?.switchToHttp().getRequest<Request>().headers.authorization;
      const basic = parseAuthorization(header).kind === 'basic';
      throw new UnauthorizedException(
        basic
          ? `Basic credentials take an API token (POST /api/requestAuthToken) as the password: ${describeTokenFailure(info)}`
          : describeTokenFailure(info),
      );
    }
    return user;
  }
}
