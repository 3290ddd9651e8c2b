import { describe, expect, it } from '@jest/globals';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { DeprecationUsageInterceptor } from './deprecation-usage.interceptor.js';
import type { DeprecationUsageService } from './deprecation-usage.service.js';
import type { ApiRoute } from './route-table.service.js';

const user: AuthenticatedUser = {
  id: 7,
  email: 'script@tarn.test',
  accountId: 3,
  accountName: 'Scripts',
  roles: ['user'],
};

const deprecatedRoute = {
  method: 'GET',
  path: '/session',
  version: 'v1',
  policy: { deprecation: new Date('2026-11-01'), links: { 'successor-version': '/api/v1/session' } },
} as unknown as ApiRoute;

function setup(request: Record<string, unknown>) {
  const recorded: unknown[][] = [];
  const counted: unknown[][] = [];
  const usage = {
    record: (...args: unknown[]) => void recorded.push(args),
  } as unknown as DeprecationUsageService;
  const metrics = { countDeprecatedCall: (...args: unknown[]) => void counted.push(args) } as unknown as MetricsService;
  const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
  let handled = 0;
  const next: CallHandler = { handle: () => (handled++, of('the answer')) };
  return {
    sut: new DeprecationUsageInterceptor(usage),
    withMetrics: new DeprecationUsageInterceptor(usage, metrics),
    context,
    next,
    recorded,
    counted,
    handled: () => handled,
  };
}

describe(DeprecationUsageInterceptor.name, () => {
  it('records a call of a deprecated route with its user, method, route and successor, then handles it', async () => {
    const { sut, context, next, recorded, handled } = setup({ apiRoute: deprecatedRoute, user });
    const result = await lastValueFrom(sut.intercept(context, next));
    expect(result).toBe('the answer');
    expect(handled()).toBe(1);
    expect(recorded).toEqual([[user, 'GET', '/session', '/api/v1/session']]);
  });

  it('records nothing for a route without a policy', async () => {
    const { sut, context, next, recorded, handled } = setup({ user });
    await lastValueFrom(sut.intercept(context, next));
    expect(recorded).toEqual([]);
    expect(handled()).toBe(1);
  });

  it('records nothing when nobody is signed in (a public route)', async () => {
    const { sut, context, next, recorded } = setup({ apiRoute: deprecatedRoute });
    await lastValueFrom(sut.intercept(context, next));
    expect(recorded).toEqual([]);
  });

  it('counts every call of a deprecated route in tarn_deprecated_calls_total, signed in or not', async () => {
    for (const request of [{ apiRoute: deprecatedRoute, user }, { apiRoute: deprecatedRoute }, { user }]) {
      const { withMetrics, context, next, counted } = setup(request);
      await lastValueFrom(withMetrics.intercept(context, next));
      expect(counted).toEqual(request.apiRoute ? [['GET', '/session', 'v1']] : []);
    }
  });
});
