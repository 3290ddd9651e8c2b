import { describe, expect, it } from '@jest/globals';
import {
  type ExecutionContext,
  InternalServerErrorException,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { OptimizationSession } from './entities/optimization-session.entity.js';
import { type RequestWithSession, SessionAccessGuard } from './session-access.guard.js';
import { checkedSession } from './session-route.decorator.js';
import type { SessionsService } from './sessions.service.js';

const alice: AuthenticatedUser = { id: 7, email: 'alice@a.test', accountId: 1, accountName: 'A', roles: ['user'] };
const hers = { id: 3, name: 'day-ahead', userId: 7, accountId: 1 } as OptimizationSession;

/** SessionsService.get as the database would answer it: only session 3, and only to user 7. */
const sessions = {
  get: async (actor: AuthenticatedUser, id: number) => {
    if (id !== hers.id || actor.id !== hers.userId) throw new NotFoundException(`Session ${id} not found`);
    return hers;
  },
} as SessionsService;

function requestWith(headers: Record<string, string>, method = 'POST', query = {}): RequestWithSession {
  return { method, headers, query, user: alice } as unknown as RequestWithSession;
}

const contextOf = (request: RequestWithSession) =>
  ({ switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;

describe('SessionAccessGuard', () => {
  const guard = new SessionAccessGuard(sessions);

  it('puts the session the caller may see on the request, for @CurrentSession()', async () => {
    const request = requestWith({ session_id: '3' });
    await expect(guard.canActivate(contextOf(request))).resolves.toBe(true);
    expect(request.selectedSession).toBe(hers);
    expect(checkedSession(undefined, contextOf(request))).toBe(hers);
  });

  it('reads session-id and, on GET, the query parameter too', async () => {
    await expect(guard.canActivate(contextOf(requestWith({ 'session-id': '3' })))).resolves.toBe(true);
    await expect(guard.canActivate(contextOf(requestWith({}, 'GET', { session_id: '3' })))).resolves.toBe(true);
  });

  it('answers a missing or malformed id with 422 and an unknown or foreign one with 404', async () => {
    await expect(guard.canActivate(contextOf(requestWith({})))).rejects.toBeInstanceOf(UnprocessableEntityException);
    await expect(guard.canActivate(contextOf(requestWith({ session_id: 'x' })))).rejects.toBeInstanceOf(
      UnprocessableEntityException,
    );
    await expect(guard.canActivate(contextOf(requestWith({ session_id: '4' })))).rejects.toThrow('Session 4 not found');
    const bob = { ...requestWith({ session_id: '3' }), user: { ...alice, id: 8 } } as RequestWithSession;
    await expect(guard.canActivate(contextOf(bob))).rejects.toThrow('Session 3 not found');
    expect(bob.selectedSession).toBeUndefined();
  });

  it('makes @CurrentSession() without the guard a server error, never a session', () => {
    expect(() => checkedSession(undefined, contextOf(requestWith({ session_id: '3' })))).toThrow(
      InternalServerErrorException,
    );
  });
});
