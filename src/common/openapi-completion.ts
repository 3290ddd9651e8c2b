import type { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * What the OpenAPI document says about every operation that the controllers' decorators would
 * have to repeat on each one: where it is served, its licence, that an operation without a
 * token requirement is public on purpose (`security: []`), that one with a token answers 401
 * without a valid one and 503 while the database is away, and that every operation answers 415 to a body in a media type Tarn does
 * not read (ContentTypeMiddleware), so that no operation lacks its 4xx. SDK generators and API
 * gateways read these; Redocly's recommended rules check them (test/openapi.e2e-spec.ts).
 */
export function completeOpenApi(document: OpenAPIObject): OpenAPIObject {
  document.servers = [{ url: '/', description: 'This server' }];
  document.info.license = { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses ??= {};
      if (!operation.security?.length) operation.security = [];
      else {
        operation.responses['401'] ??= { description: 'No valid token' };
        // The token check reads the database: without it, 503 (src/common/errors/database-unavailable.ts).
        operation.responses['503'] ??= { description: 'The database does not answer; retry later' };
      }
      if (!Object.keys(operation.responses).some((code) => code.startsWith('4'))) {
        operation.responses['415'] = { description: 'A request body in a media type this server does not read' };
      }
    }
  }
  return document;
}
