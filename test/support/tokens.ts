import jwt from 'jsonwebtoken';
import { resolveJwtSecret } from '../../src/auth/jwt-secret.js';
import type { TarnConfig } from '../../src/config/tarn-config.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token signed with the server's own secret, with whatever claims a test needs. */
export function signWithServerSecret(config: TarnConfig, claims: object, options: jwt.SignOptions = {}): string {
  return jwt.sign(claims, resolveJwtSecret(config).secret, { algorithm: 'HS256', ...options });
}

/** An unsigned token (`alg: none`) claiming to be the given user. */
export function unsignedToken(userId: number): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: userId, tv: 0, iat: now, exp: now + 3600 })}.`;
}
