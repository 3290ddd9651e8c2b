import { createSecretKey } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { TarnConfig } from '../../config/tarn-config.js';
import { AuthService, type TokenClaims } from '../auth.service.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { parseAuthorization } from '../authorization-header.js';
import { resolveJwtSecret } from '../jwt-secret.js';
import { isShopServerPath } from '../shop-server-paths.js';

export const BASIC_LOGIN_MISMATCH =
  "Basic credentials: the login must be the email of the token's user (the password is an API token)";

/**
 * The token of a request: `Authorization: <token>` (as FlexMeasures clients send it),
 * `Authorization: Bearer <token>`, or on the SHOP Server root paths the password of
 * `Authorization: Basic base64(email:token)` (pyshop with a netrc entry).
 */
export function tokenFromAuthorizationHeader(request: Request): string | null {
  const credentials = parseAuthorization(request.headers.authorization);
  if (credentials.kind === 'token') return credentials.token;
  if (credentials.kind === 'basic' && isShopServerPath(request.method, request.path)) return credentials.secret;
  return null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: TarnConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: tokenFromAuthorizationHeader,
      // A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public
      // key on every verify, which cost more than the rest of the request.
      secretOrKey: createSecretKey(Buffer.from(resolveJwtSecret(config).secret)) as unknown as string,
      algorithms: [config.auth.jwtAlgorithm],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(request: Request, claims: Partial<TokenClaims>): Promise<AuthenticatedUser> {
    const user = await this.auth.userForClaims(claims);
    const credentials = parseAuthorization(request.headers.authorization);
    if (credentials.kind === 'basic' && credentials.login.toLowerCase() !== user.email.toLowerCase()) {
      throw new UnauthorizedException(BASIC_LOGIN_MISMATCH);
    }
    return user;
  }
}
