import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { TarnConfig } from '../../config/tarn-config.js';
import { AuthService, type TokenClaims } from '../auth.service.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { resolveJwtSecret } from '../jwt-secret.js';

/** `Authorization: <token>` (as FlexMeasures clients send it) or `Authorization: Bearer <token>`. */
export function tokenFromAuthorizationHeader(request: Request): string | null {
  const header = request.headers.authorization?.trim();
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  return bearer ? bearer[1] : header;
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
    });
  }

  validate(claims: Partial<TokenClaims>): Promise<AuthenticatedUser> {
    return this.auth.userForClaims(claims);
  }
}
