import { applyDecorators, UnprocessableEntityException } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { MAX_DATABASE_ID, parseDatabaseId } from '../common/database-id.js';

/**
 * The session a request acts on: the `session_id` header (SHOP Server), `session-id`
 * (pyshop sends that) or, for GET and DELETE, a `session_id` query parameter.
 * Missing or not an id (1 to 2147483647, PostgreSQL's integer): 422.
 */
export function sessionIdFromRequest(request: Request): number {
  const fromQuery = ['GET', 'HEAD', 'DELETE'].includes(request.method) ? request.query.session_id : undefined;
  const raw = request.headers['session_id'] ?? request.headers['session-id'] ?? fromQuery;
  if (raw === undefined) {
    throw new UnprocessableEntityException({
      message: 'A session_id header is required (session-id, or a session_id query parameter on GET and DELETE)',
      details: [{ path: 'headers.session_id', message: 'missing' }],
    });
  }
  const text = Array.isArray(raw) ? String(raw[0]) : String(raw);
  const id = parseDatabaseId(text.trim());
  if (id === undefined) {
    throw new UnprocessableEntityException({
      message: `session_id must be an integer from 1 to ${MAX_DATABASE_ID}, got ${JSON.stringify(text.slice(0, 40))}`,
      details: [{ path: 'headers.session_id', message: `not an integer from 1 to ${MAX_DATABASE_ID}` }],
    });
  }
  return id;
}

/** Swagger documentation of the session selection; part of @SessionRoute. */
export const ApiSessionSelection = (options: { query?: boolean } = {}) =>
  applyDecorators(
    ApiHeader({
      name: 'session_id',
      required: !options.query,
      description: 'The session (also accepted as session-id)',
    }),
    ...(options.query ? [ApiQuery({ name: 'session_id', required: false, type: Number })] : []),
    ApiUnprocessableEntityResponse({ description: 'session_id missing or not an integer from 1 to 2147483647' }),
  );
