import { HttpException, HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { TarnConfig } from '../config/tarn-config.js';

/**
 * Throttles failed token requests per client address (`TARN_AUTH_THROTTLE_LIMIT` failures per
 * `TARN_AUTH_THROTTLE_TTL`); successful logins do not count. Behind a proxy the address is
 * taken from X-Forwarded-For only as far as TARN_TRUST_PROXY_HOPS allows.
 *
 * Not @nestjs/throttler: its 6.x release is CommonJS that requires the ESM-only @nestjs/common 12,
 * which Node 20 allows but Jest's module loader does not.
 */
@Injectable()
export class TokenRateLimitMiddleware implements NestMiddleware {
  private readonly limiter: RateLimitRequestHandler;

  constructor(config: TarnConfig) {
    const windowMs = config.auth.throttleTtlMs;
    this.limiter = rateLimit({
      windowMs,
      limit: config.auth.throttleLimit,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      // The trust-proxy setting is validated at start (config); do not warn per request.
      validate: { trustProxy: false, xForwardedForHeader: false },
      handler: (_request, _response, next) =>
        next(
          new HttpException(
            `Too many failed token requests from this address; retry in ${Math.ceil(windowMs / 1000)} s`,
            HttpStatus.TOO_MANY_REQUESTS,
          ),
        ),
    });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    void this.limiter(request, response, next);
  }
}
