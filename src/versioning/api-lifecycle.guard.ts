import { type CanActivate, type ExecutionContext, GoneException, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { TarnConfig } from '../config/tarn-config.js';
import { deprecationHeaders, withRequestParams } from '../config/deprecation-policy.js';
import { type ApiRoute, RouteTableService } from './route-table.service.js';

export type RequestWithRoute = Request & { apiRoute?: ApiRoute };

/**
 * The first global guard: writes Deprecation/Sunset/Link on every response of a deprecated
 * route (so errors from later guards carry them too) and answers 410 once it is sunset.
 */
@Injectable()
export class ApiLifecycleGuard implements CanActivate {
  constructor(
    private readonly routes: RouteTableService,
    private readonly config: TarnConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<RequestWithRoute>();
    const routePath: string | undefined = request.route?.path;
    const route = routePath === undefined ? undefined : this.routes.find(request.method, routePath);
    if (!route?.policy) return true;
    request.apiRoute = route;
    const policy = withRequestParams(route.policy, request.params ?? {});
    const response = context.switchToHttp().getResponse<Response>();
    response.set(deprecationHeaders(policy, this.config.api.deprecationHeaderFormat));
    if (this.routes.isSunset(policy)) {
      const successor = policy.links['successor-version'];
      const when = policy.sunset ? ` on ${policy.sunset.toUTCString()}` : '';
      throw new GoneException({
        statusCode: 410,
        error: 'Gone',
        message: `${request.method} ${routePath} was sunset${when}.` + (successor ? ` Use ${successor} instead.` : ''),
        successor,
        links: policy.links,
      });
    }
    return true;
  }
}
