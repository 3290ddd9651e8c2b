import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { httpMetricsMiddleware, routeLabel, UNMATCHED_ROUTE } from './http-metrics.js';
import type { MetricsService } from './metrics.service.js';

const request = (route?: unknown, method = 'GET') => ({ method, route }) as unknown as Request;

describe(routeLabel.name, () => {
  it.each(['/api/v1/users/:id', '/api/v1/model', '/', '/session'])('is the matched pattern %j', (path) => {
    expect(routeLabel(request({ path }))).toBe(path);
  });

  it.each([
    ['no route matched', undefined],
    ['a route without a string path', { path: /regexp/ }],
    ['the catch-all route of a middleware', { path: '{/*splat}' }],
    ['another catch-all spelling', { path: '/{*path}' }],
  ])('is "unmatched" for %s', (_what, route) => {
    expect(routeLabel(request(route))).toBe(UNMATCHED_ROUTE);
  });
});

describe(httpMetricsMiddleware.name, () => {
  it('passes the request on and records it once its answer is sent, with the status then in force', () => {
    const observed: unknown[][] = [];
    const metrics = { observeHttp: (...args: unknown[]) => void observed.push(args) } as unknown as MetricsService;
    const req = request(undefined, 'PUT');
    const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as Response;
    let nexts = 0;
    httpMetricsMiddleware(metrics)(req, res, () => nexts++);
    expect(nexts).toBe(1);
    expect(observed).toEqual([]);
    // Routing happens after the middleware: the route and status are read at 'finish'.
    (req as { route?: unknown }).route = { path: '/api/v1/model' };
    res.statusCode = 422;
    res.emit('finish');
    res.emit('finish');
    expect(observed).toEqual([['PUT', '/api/v1/model', 422, expect.any(Number)]]);
    expect(observed[0][3]).toBeGreaterThanOrEqual(0);
  });

  it('counts a request that acted as the SHOP compatibility user, by method and route, and no other', () => {
    const compat: unknown[][] = [];
    const metrics = {
      observeHttp: () => undefined,
      countShopCompatRequest: (...args: unknown[]) => void compat.push(args),
    } as unknown as MetricsService;
    for (const user of [{ id: 1, shopCompat: true }, { id: 2 }, undefined]) {
      const req = request({ path: '/internal/:name' }, 'POST');
      const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as Response;
      httpMetricsMiddleware(metrics)(req, res, () => undefined);
      // The token guard sets the user after the middleware ran.
      (req as { user?: unknown }).user = user;
      res.emit('finish');
    }
    expect(compat).toEqual([['POST', '/internal/:name']]);
  });
});
