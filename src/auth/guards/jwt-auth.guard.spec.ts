import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { Public } from '../decorators/public.decorator.js';
import type { ShopCompatService } from '../shop-compat.service.js';
import { tokenFromAuthorizationHeader } from '../strategies/jwt.strategy.js';
import { BASIC_OFF_SHOP_PATHS, JwtAuthGuard, MALFORMED_BASIC, describeTokenFailure } from './jwt-auth.guard.js';

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

type FakeRequest = { method: string; path: string; headers: { authorization?: string }; user?: unknown };

function contextFor(
  controller: new () => object,
  handler: string,
  request: FakeRequest = { method: 'GET', path: '/api/v1/example', headers: {} },
): ExecutionContext {
  return {
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    getClass: () => controller,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const compatUser: AuthenticatedUser = {
  id: 9,
  email: 'pyshop@tarn.test',
  accountId: 2,
  accountName: 'Scripts',
  roles: ['user'],
  shopCompat: true,
};

const basic = (login: string, secret: string) => `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`;

describe('JwtAuthGuard', () => {
  /** What the compatibility mode answers for a request without credentials (undefined: not taken). */
  let anonymous: AuthenticatedUser | undefined;
  const shopCompat = {
    anonymousUser: jest.fn(async (_request: unknown) => anonymous),
  };
  const guard = new JwtAuthGuard(new Reflector(), shopCompat as unknown as ShopCompatService);
  const passport = () => {
    const parent = Object.getPrototypeOf(JwtAuthGuard.prototype) as {
      canActivate: (c: unknown) => Promise<unknown>;
    };
    return jest.spyOn(parent, 'canActivate').mockResolvedValue('from passport');
  };

  afterEach(() => {
    jest.restoreAllMocks();
    shopCompat.anonymousUser.mockClear();
    anonymous = undefined;
  });

  describe('canActivate', () => {
    it('lets a @Public() handler through without a token', async () => {
      await expect(guard.canActivate(contextFor(ExampleController, 'open'))).resolves.toBe(true);
    });

    it('lets every handler of a @Public() controller through', async () => {
      await expect(guard.canActivate(contextFor(PublicController, 'anything'))).resolves.toBe(true);
    });

    it('hands any other handler to passport', async () => {
      const spy = passport();
      const context = contextFor(ExampleController, 'closed');
      await expect(guard.canActivate(context)).resolves.toBe('from passport');
      expect(spy).toHaveBeenCalledWith(context);
    });

    it('lets a request without credentials act as the compatibility user when the mode takes it', async () => {
      const spy = passport();
      anonymous = compatUser;
      const request: FakeRequest = { method: 'POST', path: '/session', headers: {} };
      await expect(guard.canActivate(contextFor(ExampleController, 'closed', request))).resolves.toBe(true);
      expect(request.user).toBe(compatUser);
      expect(shopCompat.anonymousUser).toHaveBeenCalledWith(request);
      expect(spy).not.toHaveBeenCalled();
    });

    it('leaves a request without credentials that the mode does not take to passport (the usual 401)', async () => {
      const spy = passport();
      const request: FakeRequest = { method: 'POST', path: '/session', headers: { authorization: '  ' } };
      await expect(guard.canActivate(contextFor(ExampleController, 'closed', request))).resolves.toBe('from passport');
      expect(shopCompat.anonymousUser).toHaveBeenCalledWith(request);
      expect(spy).toHaveBeenCalled();
    });

    it('judges a request with a token by its token alone, on the SHOP Server paths too', async () => {
      const spy = passport();
      anonymous = compatUser;
      const request: FakeRequest = { method: 'POST', path: '/session', headers: { authorization: 'Bearer x.y.z' } };
      await expect(guard.canActivate(contextFor(ExampleController, 'closed', request))).resolves.toBe('from passport');
      expect(shopCompat.anonymousUser).not.toHaveBeenCalled();
      expect(request.user).toBeUndefined();
      expect(spy).toHaveBeenCalled();
    });

    it('hands Basic credentials on a SHOP Server path to passport', async () => {
      const spy = passport();
      const request: FakeRequest = { method: 'POST', path: '/internal/AddObject', headers: {} };
      request.headers.authorization = basic('a@tarn.test', 'x.y.z');
      await expect(guard.canActivate(contextFor(ExampleController, 'closed', request))).resolves.toBe('from passport');
      expect(spy).toHaveBeenCalled();
    });

    it.each([
      ['GET', '/api/v1/session'],
      ['GET', '/session/log'],
      ['GET', '/metrics'],
    ])('refuses Basic credentials on %s %s, asking for a Bearer token', async (method, path) => {
      const spy = passport();
      const request: FakeRequest = { method, path, headers: { authorization: basic('a@tarn.test', 'x.y.z') } };
      await expect(guard.canActivate(contextFor(ExampleController, 'closed', request))).rejects.toEqual(
        new UnauthorizedException(BASIC_OFF_SHOP_PATHS),
      );
      expect(spy).not.toHaveBeenCalled();
    });

    it('refuses malformed Basic credentials on a SHOP Server path with what they must be', async () => {
      passport();
      const request: FakeRequest = {
        method: 'GET',
        path: '/sessions',
        headers: { authorization: 'Basic bm9jb2xvbg==' },
      };
      await expect(guard.canActivate(contextFor(ExampleController, 'closed', request))).rejects.toEqual(
        new UnauthorizedException(MALFORMED_BASIC),
      );
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

    it('says that Basic credentials take an API token when their password is refused as a token', () => {
      const context = contextFor(ExampleController, 'closed', {
        method: 'GET',
        path: '/sessions',
        headers: { authorization: basic('a@tarn.test', 'my password') },
      });
      expect(() => guard.handleRequest(null, false, new jwt.JsonWebTokenError('jwt malformed'), context)).toThrow(
        new UnauthorizedException(
          'Basic credentials take an API token (POST /api/requestAuthToken) as the password: Token is malformed',
        ),
      );
    });

    it('lets a failure inside validation (e.g. the database is down) through unchanged, so it stays a 5xx', () => {
      const failure = new Error('connect ECONNREFUSED 127.0.0.1:5432');
      expect(() => guard.handleRequest(failure, false, undefined)).toThrow(failure);
    });
  });
});

describe('tokenFromAuthorizationHeader', () => {
  const request = (authorization?: string, method = 'GET', path = '/api/v1/session') =>
    ({ method, path, headers: { authorization } }) as unknown as Request;

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

  it('takes the password of Basic credentials on a SHOP Server root path', () => {
    expect(tokenFromAuthorizationHeader(request(basic('a@tarn.test', 'abc.def.ghi'), 'POST', '/session'))).toBe(
      'abc.def.ghi',
    );
  });

  it('takes no token from Basic credentials elsewhere', () => {
    expect(tokenFromAuthorizationHeader(request(basic('a@tarn.test', 'abc.def.ghi')))).toBeNull();
  });
});
