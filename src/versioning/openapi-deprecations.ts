import type { OpenAPIObject } from '@nestjs/swagger';
import type { ApiRoute } from './route-table.service.js';

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Marks the deprecated operations of an OpenAPI document from the same policies that
 * write the headers, and gives root-alias operations their own operationId (a controller
 * mounted twice would otherwise repeat it).
 */
export function applyRoutePolicies(document: OpenAPIObject, routes: ApiRoute[]): OpenAPIObject {
  for (const route of routes) {
    const operation = document.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase() as 'get'];
    if (!operation) continue;
    if (route.isRootAlias && operation.operationId) operation.operationId += '_rootAlias';
    if (!route.policy) continue;
    operation.deprecated = true;
    const notes = [`Deprecated since ${route.policy.deprecation.toUTCString()}.`];
    if (route.policy.sunset) notes.push(`Sunset on ${route.policy.sunset.toUTCString()} (then 410 Gone).`);
    const successor = route.policy.links['successor-version'];
    if (successor) notes.push(`Use ${successor} instead.`);
    operation.description = [operation.description, notes.join(' ')].filter(Boolean).join('\n\n');
  }
  return document;
}
