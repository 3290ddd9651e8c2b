import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { TarnConfig } from '../config/tarn-config.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Reuses a sane X-Request-Id from the client (or a proxy), else makes one, and echoes it back. */
export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** pino's error serializer, without a failed query's parameters (a whole uploaded model, say). */
export function serializeError(error: Error): Record<string, unknown> {
  const { parameters: _parameters, ...serialized } = stdSerializers.err(error) as unknown as Record<string, unknown>;
  if (typeof serialized.query === 'string' && serialized.query.length > 2000) {
    serialized.query = `${serialized.query.slice(0, 2000)}...`;
  }
  return serialized;
}

/** Structured JSON logs (pino), one line per request with its id; secrets redacted. */
export function loggerParams(config: TarnConfig): Params {
  return {
    pinoHttp: {
      level: config.logging.level,
      genReqId: requestId,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      ...(config.logging.pretty && { transport: { target: 'pino-pretty', options: { singleLine: true } } }),
    },
  };
}
