import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  InternalServerErrorException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiNotFoundResponse } from '@nestjs/swagger';
import type { OptimizationSession } from './entities/optimization-session.entity.js';
import { type RequestWithSession, SessionAccessGuard } from './session-access.guard.js';
import { ApiSessionSelection } from './session-id.decorator.js';

export interface SessionRouteOptions {
  /** GET and DELETE also take the id as a `session_id` query parameter (documentation only). */
  query?: boolean;
  /** The 404 description, when the route has other reasons for a 404 than the session. */
  notFound?: string;
}

/** Marks a handler as session-scoped; set by @SessionRoute (the route table test reads it). */
export const SessionScoped = Reflector.createDecorator<true>({ transform: () => true });

/**
 * A route that acts on the selected session: SessionAccessGuard checks that the caller may see
 * it before the handler runs, and @CurrentSession gives the handler the checked session.
 */
export const SessionRoute = (options: SessionRouteOptions = {}) =>
  applyDecorators(
    SessionScoped(),
    UseGuards(SessionAccessGuard),
    ApiSessionSelection({ query: options.query }),
    ApiNotFoundResponse({ description: options.notFound ?? 'No such session, or not yours' }),
  );

/** The factory of @CurrentSession: the session SessionAccessGuard checked. */
export function checkedSession(_: unknown, context: ExecutionContext): OptimizationSession {
  const session = context.switchToHttp().getRequest<RequestWithSession>().selectedSession;
  // Only a handler without @SessionRoute gets here without one: a bug, never a client's fault.
  if (!session) throw new InternalServerErrorException('@CurrentSession() needs @SessionRoute()');
  return session;
}

/** The selected session, checked by SessionAccessGuard; the handler must have @SessionRoute. */
export const CurrentSession = createParamDecorator(checkedSession);
