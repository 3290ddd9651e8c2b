import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { RequiredRoles } from '../decorators/roles.decorator.js';

/** Enforces @Roles(...); runs after the token guard, so request.user is set. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride(RequiredRoles, [context.getHandler(), context.getClass()]);
    if (!roles?.length) return true;
    const user: AuthenticatedUser | undefined = context.switchToHttp().getRequest().user;
    if (user && roles.some((role) => user.roles.includes(role))) return true;
    throw new ForbiddenException(`This endpoint needs one of the roles: ${roles.join(', ')}`);
  }
}
