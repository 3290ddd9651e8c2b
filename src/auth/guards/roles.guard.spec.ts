import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { Roles } from '../decorators/roles.decorator.js';
import type { Role } from '../entities/user.entity.js';
import { RolesGuard } from './roles.guard.js';

class UsersController {
  @Roles('admin', 'account-admin')
  manage(): void {}

  open(): void {}
}

@Roles('admin')
class AdminController {
  anything(): void {}

  @Roles('user')
  overridden(): void {}
}

function contextFor(controller: new () => object, handler: string, user?: AuthenticatedUser): ExecutionContext {
  return {
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

const userWith = (...roles: Role[]): AuthenticatedUser => ({
  id: 7,
  email: 'someone@example.com',
  accountId: 1,
  accountName: 'Tarn',
  roles,
});

function forbidden(fn: () => unknown): ForbiddenException {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ForbiddenException);
    return error as ForbiddenException;
  }
  throw new Error('expected ForbiddenException');
}

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());

  it('lets a user holding one of the roles through', () => {
    expect(guard.canActivate(contextFor(UsersController, 'manage', userWith('account-admin')))).toBe(true);
    expect(guard.canActivate(contextFor(UsersController, 'manage', userWith('user', 'admin')))).toBe(true);
  });

  it('refuses a user holding none of the roles with 403 naming them', () => {
    const error = forbidden(() => guard.canActivate(contextFor(UsersController, 'manage', userWith('user'))));
    expect(error.getStatus()).toBe(403);
    expect(error.message).toBe('This endpoint needs one of the roles: admin, account-admin');
  });

  it('refuses a user with no roles', () => {
    forbidden(() => guard.canActivate(contextFor(UsersController, 'manage', userWith())));
  });

  it('refuses a request without a user', () => {
    forbidden(() => guard.canActivate(contextFor(UsersController, 'manage', undefined)));
  });

  it('lets anyone through an undecorated handler', () => {
    expect(guard.canActivate(contextFor(UsersController, 'open', undefined))).toBe(true);
    expect(guard.canActivate(contextFor(UsersController, 'open', userWith()))).toBe(true);
  });

  it('applies roles given on the controller to its handlers', () => {
    expect(guard.canActivate(contextFor(AdminController, 'anything', userWith('admin')))).toBe(true);
    forbidden(() => guard.canActivate(contextFor(AdminController, 'anything', userWith('user'))));
  });

  it('lets roles on a handler override those on its controller', () => {
    expect(guard.canActivate(contextFor(AdminController, 'overridden', userWith('user')))).toBe(true);
  });
});
