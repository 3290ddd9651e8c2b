import { applyDecorators, Controller } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth } from '@nestjs/swagger';
import { type ApiVersion, CURRENT_API_VERSION } from '../api-versions.js';

export interface ApiControllerOptions {
  version?: ApiVersion;
  /**
   * Also mount the controller at the bare root path (`/session` beside `/api/v1/session`),
   * where SHOP Server has it. The alias carries the root-alias deprecation policy, with
   * its /api/v1 twin as `successor-version`.
   */
  rootAlias?: boolean;
}

export interface ApiControllerMeta {
  version: ApiVersion;
  path: string;
  rootAlias: boolean;
}

export const ApiControllerMetadata = Reflector.createDecorator<ApiControllerMeta>();

/** A controller of a versioned API: mounted at `/api/<version>/<path>` (and `/<path>` with rootAlias). */
export function ApiController(path: string, options: ApiControllerOptions = {}) {
  const version = options.version ?? CURRENT_API_VERSION;
  const clean = path.replace(/^\/+|\/+$/g, '');
  const canonical = clean ? `api/${version}/${clean}` : `api/${version}`;
  const paths = options.rootAlias && clean ? [canonical, clean] : [canonical];
  return applyDecorators(
    Controller(paths),
    ApiControllerMetadata({ version, path: clean, rootAlias: Boolean(options.rootAlias && clean) }),
    ApiBearerAuth(),
  );
}
