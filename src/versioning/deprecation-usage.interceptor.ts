import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, Optional } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { RequestWithRoute } from './api-lifecycle.guard.js';
import { DeprecationUsageService } from './deprecation-usage.service.js';

/**
 * After the guards (so the caller is known): logs and counts every call of a deprecated route,
 * per user in the database and, for Prometheus, in `tarn_deprecated_calls_total`.
 */
@Injectable()
export class DeprecationUsageInterceptor implements NestInterceptor {
  constructor(
    private readonly usage: DeprecationUsageService,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithRoute & { user?: AuthenticatedUser }>();
    const route = request.apiRoute;
    if (route?.policy) this.metrics?.countDeprecatedCall(route.method, route.path, route.version);
    if (route?.policy && request.user) {
      this.usage.record(request.user, route.method, route.path, route.policy.links['successor-version']);
    }
    return next.handle();
  }
}
