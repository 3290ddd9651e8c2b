import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { RequestWithRoute } from './api-lifecycle.guard.js';
import { DeprecationUsageService } from './deprecation-usage.service.js';

/** After the guards (so the caller is known): logs and counts every call of a deprecated route. */
@Injectable()
export class DeprecationUsageInterceptor implements NestInterceptor {
  constructor(private readonly usage: DeprecationUsageService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<RequestWithRoute & { user?: AuthenticatedUser }>();
    const route = request.apiRoute;
    if (route?.policy && request.user) {
      await this.usage.record(request.user, route.method, route.path, route.policy.links['successor-version']);
    }
    return next.handle();
  }
}
