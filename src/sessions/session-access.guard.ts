import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { OptimizationSession } from './entities/optimization-session.entity.js';
import { sessionIdFromRequest } from './session-id.decorator.js';
import { SessionsService } from './sessions.service.js';

export type RequestWithSession = Request & { user?: AuthenticatedUser; selectedSession?: OptimizationSession };

/**
 * The access check of every session-scoped route (applied by @SessionRoute): reads the selected
 * session id (422 when missing or not a positive integer), loads the session if the caller may
 * see it (404 for unknown and foreign ones alike) and leaves it on the request for
 * @CurrentSession. Route guards run after the global ones, so a missing token is still 401.
 */
@Injectable()
export class SessionAccessGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithSession>();
    const id = sessionIdFromRequest(request);
    request.selectedSession = await this.sessions.get(request.user!, id);
    return true;
  }
}
