import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext, GoneException } from '@nestjs/common';
import { ApiLifecycleGuard } from './api-lifecycle.guard.js';
import type { DeprecationPolicy } from '../config/deprecation-policy.js';
import type { ApiRoute } from './route-table.service.js';

interface FakeRequest {
  method: string;
  route?: { path: string };
  apiRoute?: ApiRoute;
}

function apiRoute(policy?: DeprecationPolicy): ApiRoute {
  return {
    method: 'GET',
    path: '/session',
    controllerPath: '/session',
    version: 'v1',
    isRootAlias: true,
    canonicalPath: '/api/v1/session',
    controller: class SessionsListController {},
    handlerName: 'list',
    policy,
  };
}

const deprecated: DeprecationPolicy = {
  deprecation: new Date('2026-11-01T00:00:00Z'),
  links: { 'successor-version': '/api/v1/session' },
};

function setup(options: { route?: ApiRoute; sunset?: boolean; request?: FakeRequest; type?: string }) {
  const lookups: Array<[string, string]> = [];
  const sunsetChecks: DeprecationPolicy[] = [];
  const routes = {
    find: (method: string, path: string) => {
      lookups.push([method, path]);
      return options.route;
    },
    isSunset: (policy: DeprecationPolicy) => {
      sunsetChecks.push(policy);
      return options.sunset ?? false;
    },
  };
  const config = { api: { deprecationHeaderFormat: 'imf-fixdate' } };
  const guard = new ApiLifecycleGuard(routes as never, config as never);

  const request: FakeRequest = options.request ?? { method: 'GET', route: { path: '/session' } };
  const headers: Record<string, string> = {};
  const response = {
    set: (values: Record<string, string>) => {
      Object.assign(headers, values);
      return response;
    },
  };
  const context = {
    getType: () => options.type ?? 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;

  return { guard, context, request, headers, lookups, sunsetChecks };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('ApiLifecycleGuard', () => {
  it('lets a route without a policy through, setting no headers', () => {
    const { guard, context, request, headers, lookups, sunsetChecks } = setup({ route: apiRoute() });
    expect(guard.canActivate(context)).toBe(true);
    expect(headers).toEqual({});
    expect(request.apiRoute).toBeUndefined();
    expect(lookups).toEqual([['GET', '/session']]);
    expect(sunsetChecks).toEqual([]);
  });

  it('lets a route the table does not know through', () => {
    const { guard, context, headers } = setup({ route: undefined });
    expect(guard.canActivate(context)).toBe(true);
    expect(headers).toEqual({});
  });

  it('lets a request Express matched to no route through without a lookup', () => {
    const { guard, context, lookups } = setup({ route: apiRoute(deprecated), request: { method: 'GET' } });
    expect(guard.canActivate(context)).toBe(true);
    expect(lookups).toEqual([]);
  });

  it('ignores non-HTTP contexts', () => {
    const { guard, context, lookups } = setup({ route: apiRoute(deprecated), type: 'rpc' });
    expect(guard.canActivate(context)).toBe(true);
    expect(lookups).toEqual([]);
  });

  it('marks a deprecated route with Deprecation and Link headers and lets it through', () => {
    const route = apiRoute(deprecated);
    const { guard, context, request, headers, sunsetChecks } = setup({ route });
    expect(guard.canActivate(context)).toBe(true);
    expect(headers).toEqual({
      Deprecation: 'Sun, 01 Nov 2026 00:00:00 GMT',
      Link: '</api/v1/session>; rel="successor-version"',
    });
    expect(request.apiRoute).toBe(route);
    expect(sunsetChecks).toEqual([deprecated]);
  });

  it('adds a Sunset header when the policy has a sunset date', () => {
    const policy = { ...deprecated, sunset: new Date('2027-11-01T00:00:00Z') };
    const { guard, context, headers } = setup({ route: apiRoute(policy) });
    guard.canActivate(context);
    expect(headers.Sunset).toBe('Mon, 01 Nov 2027 00:00:00 GMT');
  });

  describe('a sunset route', () => {
    const policy: DeprecationPolicy = { ...deprecated, sunset: new Date('2027-11-01T00:00:00Z') };

    it('answers 410 Gone naming the successor, with the headers already set', () => {
      const { guard, context, headers, request } = setup({ route: apiRoute(policy), sunset: true });
      const error = thrown(() => guard.canActivate(context));
      expect(error).toBeInstanceOf(GoneException);
      const gone = error as GoneException;
      expect(gone.getStatus()).toBe(410);
      const body = gone.getResponse() as Record<string, unknown>;
      expect(body).toEqual({
        statusCode: 410,
        error: 'Gone',
        message: 'GET /session was sunset on Mon, 01 Nov 2027 00:00:00 GMT. Use /api/v1/session instead.',
        successor: '/api/v1/session',
        links: { 'successor-version': '/api/v1/session' },
      });
      expect(headers.Deprecation).toBe('Sun, 01 Nov 2026 00:00:00 GMT');
      expect(headers.Sunset).toBe('Mon, 01 Nov 2027 00:00:00 GMT');
      expect(request.apiRoute).toBeDefined();
    });

    it('leaves out the date and the successor when the policy has neither', () => {
      const bare: DeprecationPolicy = { deprecation: new Date('2026-01-01T00:00:00Z'), links: {} };
      const { guard, context } = setup({
        route: apiRoute(bare),
        sunset: true,
        request: { method: 'POST', route: { path: '/api/v1/thing' } },
      });
      const body = (thrown(() => guard.canActivate(context)) as GoneException).getResponse() as Record<string, unknown>;
      expect(body.statusCode).toBe(410);
      expect(body.message).toBe('POST /api/v1/thing was sunset.');
      expect(body.successor).toBeUndefined();
    });
  });
});
