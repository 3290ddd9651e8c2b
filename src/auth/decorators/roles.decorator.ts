import { applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { Role } from '../entities/user.entity.js';

export const RequiredRoles = Reflector.createDecorator<Role[]>();

/** Only users holding one of these roles may call the route (403 otherwise). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    RequiredRoles(roles),
    ApiForbiddenResponse({ description: `Needs one of the roles: ${roles.join(', ')}` }),
  );
