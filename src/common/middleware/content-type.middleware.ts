import { Injectable, type NestMiddleware, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import typeIs from 'type-is';

/** JSON bodies, read by every endpoint that takes a body. */
export const JSON_BODY_TYPES = ['application/json', '+json'];

/** SHOP YAML bodies (read as text), accepted only where YAML_BODY_ROUTES say. */
export const YAML_BODY_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** The media types request bodies may have. */
export const ACCEPTED_BODY_TYPES = [...JSON_BODY_TYPES, ...YAML_BODY_TYPES];

/** The routes that read a YAML body: PUT /model, canonical (/api/v1/model) and root alias. */
export const YAML_BODY_ROUTES: ReadonlyArray<{ method: string; path: RegExp; name: string }> = [
  { method: 'PUT', path: /^\/(?:api\/v\d+\/)?model\/?$/i, name: 'PUT /model' },
];

/** The SHOP API functions (`/internal/<Name>`, also under /api/v1), whose JSON may hold NaN and Infinity. */
const SHOP_API_PATH = /^\/(?:api\/v\d+\/)?internal(?:\/|$)/i;

export const isShopApiPath = (request: { url?: string }) => SHOP_API_PATH.test(request.url ?? '');

const described = `${JSON_BODY_TYPES[0]} (or, for ${YAML_BODY_ROUTES.map((r) => r.name).join(', ')}, ${YAML_BODY_TYPES.join(', ')})`;

/**
 * A request that carries a body in a media type its endpoint does not read answers 415, not
 * a confusing 400: JSON everywhere, SHOP YAML only on the routes that convert it.
 */
@Injectable()
export class ContentTypeMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (!typeIs.hasBody(request) || !(Number(request.headers['content-length'] ?? 1) > 0)) {
      next();
      return;
    }
    const type = request.headers['content-type'] ?? '(none)';
    if (!typeIs(request, ACCEPTED_BODY_TYPES)) {
      throw new UnsupportedMediaTypeException(`Content-Type ${type} is not accepted; send ${described}`);
    }
    if (typeIs(request, YAML_BODY_TYPES)) {
      const path = request.originalUrl.split('?')[0];
      if (!YAML_BODY_ROUTES.some((route) => route.method === request.method && route.path.test(path))) {
        throw new UnsupportedMediaTypeException(
          `Content-Type ${type} is accepted only by ${YAML_BODY_ROUTES.map((r) => r.name).join(', ')}; ` +
            `send ${JSON_BODY_TYPES[0]}`,
        );
      }
    }
    next();
  }
}
