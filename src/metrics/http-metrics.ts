import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { MetricsService } from './metrics.service.js';

/** The route label of a request that no route matched (an unknown path, or refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * A pattern that is nothing but a wildcard (`{/*splat}`, `/{*path}`, `*path`): Nest mounts
 * middleware for every path as such a route, so a request that no handler matched still has it
 * as `req.route` when its 404 is sent.
 */
const CATCH_ALL = /^\{?\/?\{?\*[A-Za-z0-9_]*\}?$/;

/**
 * The route pattern Express matched (`/api/v1/users/:id`), never the raw URL with its ids;
 * `unmatched` when no route did (the 404 of an unknown path, a body refused before routing).
 */
export function routeLabel(request: Request): string {
  const path: unknown = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && path !== '' && !CATCH_ALL.test(path) ? path : UNMATCHED_ROUTE;
}

/**
 * Express middleware that counts and times every answer once it is sent ('finish'), whoever
 * wrote it: a handler, a guard's 401/403, the 404 of an unknown path, the body parser's 413.
 * It also counts the requests that acted as the SHOP compatibility user (the token guard marks
 * their user `shopCompat`).
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(request);
      metrics.observeHttp(request.method, route, response.statusCode, seconds);
      if ((request.user as AuthenticatedUser | undefined)?.shopCompat) {
        metrics.countShopCompatRequest(request.method, route);
      }
    });
    next();
  };
}
