import { Injectable, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { TarnConfig } from '../config/tarn-config.js';
import { ApiControllerMetadata } from '../common/decorators/api-controller.decorator.js';
import { Deprecated } from './deprecated.decorator.js';
import {
  type DeprecationPolicy,
  type PolicySettings,
  type RouteInfo,
  isSunset,
  normalizePath,
  resolvePolicy,
} from '../config/deprecation-policy.js';

export interface ApiRoute extends RouteInfo {
  /** The policy in force (configuration and code together); undefined when not deprecated. */
  policy?: DeprecationPolicy;
  /** The controller class: its prototype's `handlerName` is the handler, for reading its metadata. */
  controller: Type<unknown>;
  handlerName: string;
}

const asArray = (value: string | string[] | undefined): string[] =>
  value === undefined ? [''] : Array.isArray(value) ? value : [value];

const joinPath = (...parts: string[]) => normalizePath(parts.filter(Boolean).join('/').replace(/\/+/g, '/'));

/**
 * Every route of the versioned API, each with the deprecation policy in force. Built once,
 * from the controllers' own metadata, after the application has initialised.
 */
@Injectable()
export class RouteTableService {
  private table?: Map<string, ApiRoute>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: TarnConfig,
  ) {}

  get settings(): PolicySettings {
    return { rules: this.config.api.policies, rootAlias: this.config.api.rootAlias };
  }

  routes(): ApiRoute[] {
    return [...this.build().values()];
  }

  /** The route Express matched, by method and mounted pattern (`req.route.path`). */
  find(method: string, path: string): ApiRoute | undefined {
    return this.build().get(`${method === 'HEAD' ? 'GET' : method} ${normalizePath(path)}`);
  }

  isSunset(policy: DeprecationPolicy, now = new Date()): boolean {
    return isSunset(policy, now, this.config.api.sunsetActive);
  }

  /** The routes, among those `include` takes, that answer 410 Gone now (as ApiLifecycleGuard decides). */
  sunsetNow(include: (route: ApiRoute) => boolean, now = new Date()): ApiRoute[] {
    return this.routes().filter((route) => include(route) && route.policy && this.isSunset(route.policy, now));
  }

  private build(): Map<string, ApiRoute> {
    if (this.table) return this.table;
    const table = new Map<string, ApiRoute>();
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      const meta = controller && this.reflector.get(ApiControllerMetadata, controller);
      if (!controller || !meta) continue;
      const canonicalBase = joinPath('api', meta.version, meta.path);
      const prototype = controller.prototype as Record<string, unknown>;
      for (const handlerName of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[handlerName] as object;
        const requestMethod: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
        if (requestMethod === undefined) continue;
        const codePolicy =
          this.reflector.get(Deprecated, handler as never) ?? this.reflector.get(Deprecated, controller);
        for (const controllerPath of asArray(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const handlerPath of asArray(Reflect.getMetadata(PATH_METADATA, handler))) {
            const base = joinPath(controllerPath);
            const isRootAlias = base !== canonicalBase;
            const route: RouteInfo = {
              method: RequestMethod[requestMethod],
              path: joinPath(controllerPath, handlerPath),
              controllerPath: base,
              version: meta.version,
              isRootAlias,
              canonicalPath: isRootAlias ? joinPath(canonicalBase, handlerPath) : undefined,
              codePolicy,
            };
            table.set(`${route.method} ${route.path}`, {
              ...route,
              controller,
              handlerName,
              policy: resolvePolicy(route, this.settings),
            });
          }
        }
      }
    }
    this.table = table;
    return table;
  }
}
