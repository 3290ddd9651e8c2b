import { Injectable, type NestMiddleware, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import typeIs from 'type-is';

/** The media types request bodies may have. */
export const ACCEPTED_BODY_TYPES = ['application/json', '+json'];

/** A request that carries a body in a media type no endpoint reads answers 415, not a confusing 400. */
@Injectable()
export class ContentTypeMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (
      typeIs.hasBody(request) &&
      Number(request.headers['content-length'] ?? 1) > 0 &&
      !typeIs(request, ACCEPTED_BODY_TYPES)
    ) {
      throw new UnsupportedMediaTypeException(
        `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted; send ${ACCEPTED_BODY_TYPES[0]}`,
      );
    }
    next();
  }
}
