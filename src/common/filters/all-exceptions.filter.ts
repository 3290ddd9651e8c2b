import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ErrorDetailDto } from '../dto/error-response.dto.js';
import { databaseUnavailable, databaseUnavailableMessage } from '../errors/database-unavailable.js';
import { TarnError } from '../errors/tarn-error.js';
import { requestId } from '../logger.js';

/** The error answer (see ErrorResponseDto); a 410 adds `successor` and `links`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: ErrorDetailDto[];
  errorId?: string;
  [extra: string]: unknown;
}

type BodyParserError = Error & {
  type?: string;
  status?: number;
  length?: number;
  limit?: number;
  charset?: string;
  encoding?: string;
};

/** A clearer message for what body-parser and Express refuse. */
function describeRequestError(cause: BodyParserError): { status: number; message: string } | undefined {
  switch (cause.type) {
    case 'entity.too.large':
      return { status: 413, message: `Request body is larger than the limit of ${cause.limit} bytes` };
    case 'entity.parse.failed':
      return { status: 400, message: `Malformed JSON in the request body: ${cause.message}` };
    case 'encoding.unsupported':
      return { status: 415, message: `Unsupported content encoding "${cause.encoding}"` };
    case 'charset.unsupported':
      return { status: 415, message: `Unsupported charset "${cause.charset}"` };
    case 'request.aborted':
      return { status: 400, message: 'The request was aborted before its body arrived' };
    case 'request.size.invalid':
      return { status: 400, message: 'The request body length does not match Content-Length' };
    default:
      return undefined;
  }
}

/** Turns anything thrown into the error body and status; undefined errorId means 4xx. */
export function toErrorResponse(exception: unknown): ErrorBody {
  if (exception instanceof TarnError) {
    const status = exception.status;
    const body: ErrorBody = {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message: exception.message,
      ...(exception.details.length && { details: exception.details }),
    };
    return status >= 500 ? { ...body, errorId: randomUUID() } : body;
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const requestError = describeRequestError((exception.cause ?? {}) as BodyParserError);
    if (requestError) {
      return {
        statusCode: requestError.status,
        error: STATUS_CODES[requestError.status]!,
        message: requestError.message,
      };
    }
    const response = exception.getResponse();
    const body: ErrorBody =
      typeof response === 'string'
        ? { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: response }
        : fromResponseObject(status, response as Record<string, unknown>, exception.message);
    // A deliberate 5xx (503 from the readiness probe, say) keeps its
    // message, and is logged with an error id like any other 5xx.
    return status >= 500 ? { ...body, errorId: randomUUID() } : body;
  }
  const requestError = describeRequestError((exception ?? {}) as BodyParserError);
  if (requestError) {
    return {
      statusCode: requestError.status,
      error: STATUS_CODES[requestError.status]!,
      message: requestError.message,
    };
  }
  const unavailable = databaseUnavailable(exception);
  if (unavailable) return serverError(503, databaseUnavailableMessage(unavailable));
  return serverError(500, 'Internal server error');
}

function fromResponseObject(status: number, response: Record<string, unknown>, fallback: string): ErrorBody {
  const { message, error, statusCode: _ignored, ...extra } = response;
  return {
    ...extra,
    statusCode: status,
    error: typeof error === 'string' ? error : (STATUS_CODES[status] ?? 'Error'),
    message: Array.isArray(message) ? message.join('; ') : String(message ?? fallback),
  };
}

function serverError(status: number, message: string): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, errorId: randomUUID() };
}

/**
 * The one exception filter: a JSON body `{statusCode, error, message, details?}` for every
 * error; 5xx bodies carry an errorId that is logged with the cause, never a stack trace. A 503
 * (the database or the queue is away, which the client may retry) is a warning with its
 * message; any other 5xx is an error with the cause's stack.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = toErrorResponse(exception);
    if (body.errorId && body.statusCode === 503) {
      this.logger.warn(
        { errorId: body.errorId, method: request.method, url: request.originalUrl },
        `${request.method} ${request.originalUrl} answered 503 (${body.errorId}): ${body.message}`,
      );
    } else if (body.errorId) {
      this.logger.error(
        { err: exception, errorId: body.errorId, method: request.method, url: request.originalUrl },
        `Unhandled error ${body.errorId} on ${request.method} ${request.originalUrl}`,
      );
    } else if ((request as { id?: unknown }).id === undefined) {
      this.logRefusedBeforeRouting(request, response, body, exception);
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  /**
   * The request logger sees requests once they are routed: one that the body parser refused
   * (malformed, too large, or its client went away before its body arrived) is logged here, as
   * it would have logged it (a warning for a 4xx), under its request id.
   */
  private logRefusedBeforeRouting(request: Request, response: Response, body: ErrorBody, exception: unknown): void {
    const aborted = (exception as BodyParserError | undefined)?.type === 'request.aborted' || request.readableAborted;
    const id = response.headersSent ? randomUUID() : requestId(request, response);
    this.logger.warn(
      {
        req: { id, method: request.method, url: request.originalUrl, remoteAddress: request.socket?.remoteAddress },
        // (A `res` key would go through the response serializer, which reads a real response.)
        statusCode: body.statusCode,
      },
      aborted ? 'request aborted' : `request refused: ${body.message}`,
    );
  }
}
