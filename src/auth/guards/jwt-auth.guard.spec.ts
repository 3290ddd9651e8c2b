import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import { Public } from '../decorators/public.decorator.js';
import { tokenFromAuthorizationHeader } from '../strategies/jwt.strategy.js';
import { JwtAuthGuard, describeTokenFailure } from './jwt-auth.guard.js';

const AUTH_REQUIRED = 'Authentication required: send a token in the Authorization header';

describe('describeTokenFailure', () => {
  it('tells the client to request a new token when it expired', () => {
    expect(describeTokenFailure(new jwt.TokenExpiredError('jwt expired', new Date()))).toBe(
      'Token expired: request a new one at /api/requestAuthToken',
    );
  });

  it('describes a token that is not valid yet', () => {
    expect(describeTokenFailure(new jwt.NotBeforeError('jwt not active', new Date()))).toBe('Token is not valid yet');
  });

  it.each([
    ['invalid signature', 'Token signature is invalid'],
    ['jwt malformed', 'Token is malformed'],
    ['invalid token', 'Token is malformed'],
    ['invalid algorithm', 'Token algorithm is not accepted'],
    ['jwt signature is required', 'Token is unsigned; signed tokens only'],
  ])('translates JsonWebTokenError(%j)', (message, expected) => {
    expect(describeTokenFailure(new jwt.JsonWebTokenError(message))).toBe(expected);
  });

  it('asks for a token when passport-jwt found none', () => {
    expect(describeTokenFailure(new Error('No auth token'))).toBe(AUTH_REQUIRED);
  });

  it('passes an unknown reason on', () => {
    expect(describeTokenFailure(new jwt.JsonWebTokenError('jwt audience invalid'))).toBe(
      'Token is invalid: jwt audience invalid',
    );
  });

  it.each([undefined, null, 'jwt malformed', { message: 'invalid signature' }])(
    'asks for a token when given a non-Error (%j)',
    (info) => {
      expect(describeTokenFailure(info)).toBe(AUTH_REQUIRED);
    },
  );
});

class ExampleController {
  @Public()
  open(): void {}

  closed(): void {}
}

@Public()
class PublicController {
  anything(): void {}
}

function contextFor(controller: new () => object, handler: string): ExecutionContext {
  return {
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    getClass: () => controller,
    getType: () => 'http',
  } as unknown as ExecutionContext;
}

describe('JwtAuthGuard', () => {
  const guard = new JwtAuthGuard(new Reflector());

  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('canActivate', () => {
    it('lets a @Public() handler through without a token', () => {
      expect(guard.canActivate(contextFor(ExampleController, 'open'))).toBe(true);
    });

    it('lets every handler of a @Public() controller through', () => {
      expect(guard.canActivate(contextFor(PublicController, 'anything'))).toBe(true);
    });

    it('hands any other handler to passport', () => {
      const parent = Object.getPrototypeOf(JwtAuthGuard.prototype) as { canActivate: (c: unknown) => unknown };
      const passport = jest.spyOn(parent, 'canActivate').mockReturnValue('from passport');
      const context = contextFor(ExampleController, 'closed');
      expect(guard.canActivate(context)).toBe('from passport');
      expect(passport).toHaveBeenCalledWith(context);
    });
  });

  describe('handleRequest', () => {
    const user = { id: 1, email: 'a@example.com', accountId: 1, accountName: 'Tarn', roles: [] };

    it('returns the user passport found', () => {
      expect(guard.handleRequest(null, user, undefined)).toBe(user);
    });

    it('throws 401 with the reason when there is no user', () => {
      const error = (() => {
        try {
          guard.handleRequest(null, false, new jwt.TokenExpiredError('jwt expired', new Date()));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect((error as UnauthorizedException).message).toBe(
        'Token expired: request a new one at /api/requestAuthToken',
      );
      expect((error as UnauthorizedException).getStatus()).toBe(401);
    });

    it('asks for a token when there is neither user nor reason', () => {
      expect(() => guard.handleRequest(null, undefined, undefined)).toThrow(new UnauthorizedException(AUTH_REQUIRED));
    });

    it('passes an UnauthorizedException from validation through unchanged', () => {
      const original = new UnauthorizedException('Token was revoked (the password changed); request a new one');
      let caught: unknown;
      try {
        guard.handleRequest(original, user, undefined);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(original);
    });

    it('turns a refused token (passport-jwt passes it as info) into a 401 describing it', () => {
      expect(() => guard.handleRequest(null, false, new jwt.JsonWebTokenError('invalid signature'))).toThrow(
        new UnauthorizedException('Token signature is invalid'),
      );
    });

    it('lets a failure inside validation (e.g. the database is down) through unchanged, so it stays a 5xx', () => {
      const failure = new Error('connect ECONNREFUSED 127.0.0.1:5432');
      expect(() => guard.handleRequest(failure, false, undefined)).toThrow(failure);
    });
  });
});

describe('tokenFromAuthorizationHeader', () => {
  const request = (authorization?: string) => ({ headers: { authorization } }) as unknown as Request;

  it('takes a bare token as FlexMeasures clients send it', () => {
    expect(tokenFromAuthorizationHeader(request('abc.def.ghi'))).toBe('abc.def.ghi');
  });

  it('takes a Bearer token, whatever the case of "Bearer"', () => {
    expect(tokenFromAuthorizationHeader(request('Bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(tokenFromAuthorizationHeader(request('bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(tokenFromAuthorizationHeader(request('BEARER   abc.def.ghi  '))).toBe('abc.def.ghi');
  });

  it('trims a bare token', () => {
    expect(tokenFromAuthorizationHeader(request('  abc.def.ghi '))).toBe('abc.def.ghi');
  });

  it.each([undefined, '', '   '])('is null without a header (%j)', (header) => {
    expect(tokenFromAuthorizationHeader(request(header))).toBeNull();
  });
});
