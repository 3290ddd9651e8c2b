import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { Public } from '../decorators/public.decorator.js';

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

/** The global guard: every route needs a valid token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser, info: unknown): TUser {
    // `error` comes from validate() (our 401s, or a failure such as the database being down,
    // which must stay a 5xx); a refused token arrives as `info`.
    if (error) throw error;
    if (!user) throw new UnauthorizedException(describeTokenFailure(info));
    return user;
  }
}
