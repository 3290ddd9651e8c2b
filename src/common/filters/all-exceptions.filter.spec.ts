import { describe, expect, it } from '@jest/globals';
import {
  BadRequestException,
  GoneException,
  HttpException,
  HttpStatus,
  NotFoundException,
  ServiceUnavailableException,
  type ValidationError,
} from '@nestjs/common';
import { validationDetails } from '../validation.js';
import { toErrorResponse } from './all-exceptions.filter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function bodyParserError(type: string, extra: Record<string, unknown> = {}, message = 'body-parser says no') {
  return Object.assign(new Error(message), { type, ...extra });
}

describe('toErrorResponse', () => {
  describe('HTTP exceptions', () => {
    it('turns a string response into {statusCode, error, message}', () => {
      expect(toErrorResponse(new HttpException('I am a teapot', HttpStatus.I_AM_A_TEAPOT))).toEqual({
        statusCode: 418,
        error: "I'm a Teapot",
        message: 'I am a teapot',
      });
    });

    it('keeps the message of a built-in exception', () => {
      expect(toErrorResponse(new NotFoundException('No such user'))).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'No such user',
      });
    });

    it('keeps the details of a BadRequestException given an object', () => {
      const details = [{ path: 'email', message: 'email must be an email' }];
      expect(toErrorResponse(new BadRequestException({ message: 'Validation failed', details }))).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        details,
      });
    });

    it('joins a list of messages', () => {
      expect(toErrorResponse(new BadRequestException(['a is bad', 'b is bad'])).message).toBe('a is bad; b is bad');
    });

    it('keeps the extra fields of a GoneException (successor, links)', () => {
      const links = { 'successor-version': '/api/v1/session' };
      const body = toErrorResponse(
        new GoneException({
          statusCode: 410,
          error: 'Gone',
          message: 'GET /session was sunset.',
          successor: '/api/v1/session',
          links,
        }),
      );
      expect(body).toEqual({
        statusCode: 410,
        error: 'Gone',
        message: 'GET /session was sunset.',
        successor: '/api/v1/session',
        links,
      });
    });

    it('takes the status from the exception, not from its body', () => {
      const body = toErrorResponse(new HttpException({ statusCode: 200, message: 'nope' }, 409));
      expect(body.statusCode).toBe(409);
      expect(body.error).toBe('Conflict');
    });

    it('has no errorId on a 4xx', () => {
      expect(toErrorResponse(new BadRequestException('x'))).not.toHaveProperty('errorId');
    });
  });

  describe('body-parser errors', () => {
    it('answers 413 naming the limit for a body that is too large', () => {
      const cause = bodyParserError('entity.too.large', { limit: 100 });
      const body = toErrorResponse(new HttpException('Payload Too Large', 413, { cause }));
      expect(body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'Request body is larger than the limit of 100 bytes',
      });
    });

    it('answers 400 for malformed JSON, quoting the parser', () => {
      const cause = bodyParserError('entity.parse.failed', {}, 'Unexpected token } in JSON');
      const body = toErrorResponse(new HttpException('Bad Request', 400, { cause }));
      expect(body.statusCode).toBe(400);
      expect(body.error).toBe('Bad Request');
      expect(body.message).toBe('Malformed JSON in the request body: Unexpected token } in JSON');
    });

    it('answers 415 for an unsupported content encoding', () => {
      const cause = bodyParserError('encoding.unsupported', { encoding: 'br' });
      const body = toErrorResponse(new HttpException('Unsupported', 415, { cause }));
      expect(body).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: 'Unsupported content encoding "br"',
      });
    });

    it('answers 415 for an unsupported charset', () => {
      const body = toErrorResponse(bodyParserError('charset.unsupported', { charset: 'koi8-r' }));
      expect(body.statusCode).toBe(415);
      expect(body.message).toBe('Unsupported charset "koi8-r"');
    });

    it('recognises a body-parser error thrown as it is', () => {
      const body = toErrorResponse(bodyParserError('entity.too.large', { limit: 2048 }));
      expect(body.statusCode).toBe(413);
      expect(body.message).toContain('2048');
      expect(body).not.toHaveProperty('errorId');
    });

    it('ignores a cause without a known type', () => {
      const body = toErrorResponse(new HttpException('Conflict here', 409, { cause: new Error('db') }));
      expect(body).toEqual({ statusCode: 409, error: 'Conflict', message: 'Conflict here' });
    });
  });

  describe('server errors', () => {
    it('answers 500 with an errorId and nothing of the cause for a plain Error', () => {
      const error = new Error('secret database password is hunter2');
      const body = toErrorResponse(error);
      expect(body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal server error',
        errorId: expect.stringMatching(UUID),
      });
      const json = JSON.stringify(body);
      expect(json).not.toContain('stack');
      expect(json).not.toContain('hunter2');
      expect(json).not.toContain(error.stack!.split('\n')[1].trim());
    });

    it('gives every server error its own errorId', () => {
      expect(toErrorResponse(new Error('a')).errorId).not.toBe(toErrorResponse(new Error('a')).errorId);
    });

    it.each([undefined, null, 'a string', 42])('answers 500 for a thrown non-Error (%j)', (thrownValue) => {
      const body = toErrorResponse(thrownValue);
      expect(body.statusCode).toBe(500);
      expect(body.message).toBe('Internal server error');
      expect(body.errorId).toMatch(UUID);
    });

    describe('the database going away: 503 naming it, never a 500', () => {
      const pgError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
      // What TypeORM throws for a failed query: the driver's error as driverError, its code copied.
      const queryFailed = (driverError: Error) =>
        Object.assign(new Error(driverError.message), { driverError, code: (driverError as { code?: string }).code });

      it.each([
        [
          'a connection cut during a query',
          queryFailed(pgError('Connection terminated unexpectedly')),
          /connection lost/,
        ],
        ['a server that is starting', pgError('the database system is starting up', '57P03'), /starting up \(57P03\)/],
        ['a server shutting down', queryFailed(pgError('terminating connection', '57P01')), /shutting down/],
        ['a refused connect', pgError('connect ECONNREFUSED 10.0.0.7:5432', 'ECONNREFUSED'), /no connection/],
        ['class 08', pgError('connection failure', '08006'), /connection failure \(08006\)/],
        ['a pool that cannot connect in time', pgError('timeout exceeded when trying to connect'), /connection lost/],
      ])('%s', (_what, error, reason) => {
        const body = toErrorResponse(error);
        expect(body).toMatchObject({
          statusCode: 503,
          error: 'Service Unavailable',
          errorId: expect.stringMatching(UUID),
        });
        expect(body.message).toMatch(/^The database is unavailable: /);
        expect(body.message).toMatch(reason);
        expect(body.message).toMatch(/stored entirely or not at all/);
        // Nothing of the host it tried.
        expect(body.message).not.toContain('10.0.0.7');
      });

      it.each([
        ['a query the database refused', queryFailed(pgError('duplicate key value', '23505'))],
        ['a plain error', new Error('Connection is fine')],
      ])('not for %s', (_what, error) => {
        expect(toErrorResponse(error).statusCode).toBe(500);
      });
    });

    it('keeps the message of a deliberate 503 and adds an errorId', () => {
      expect(toErrorResponse(new ServiceUnavailableException('db down'))).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'db down',
        errorId: expect.stringMatching(UUID),
      });
    });
  });
});

describe('validationDetails', () => {
  const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []) =>
    ({ property, constraints, children }) as ValidationError;

  it('lists each constraint of a top-level field under its name', () => {
    expect(
      validationDetails([
        error('email', { isEmail: 'email must be an email', isNotEmpty: 'email should not be empty' }),
        error('name', { isString: 'name must be a string' }),
      ]),
    ).toEqual([
      { path: 'email', message: 'email must be an email' },
      { path: 'email', message: 'email should not be empty' },
      { path: 'name', message: 'name must be a string' },
    ]);
  });

  it('joins nested fields with dots and array indexes with brackets', () => {
    const errors = [
      error('a', undefined, [
        error('b', undefined, [
          error('0', undefined, [error('c', { isInt: 'c must be an integer' })]),
          error('2', { isObject: 'each value in b must be an object' }),
        ]),
      ]),
    ];
    expect(validationDetails(errors)).toEqual([
      { path: 'a.b[0].c', message: 'c must be an integer' },
      { path: 'a.b[2]', message: 'each value in b must be an object' },
    ]);
  });

  it('reports a parent constraint before those of its children', () => {
    expect(validationDetails([error('a', { x: 'a is bad' }, [error('b', { y: 'b is bad' })])])).toEqual([
      { path: 'a', message: 'a is bad' },
      { path: 'a.b', message: 'b is bad' },
    ]);
  });

  it('gives an empty list for no errors or errors without constraints', () => {
    expect(validationDetails([])).toEqual([]);
    expect(validationDetails([{ property: 'a' } as ValidationError])).toEqual([]);
  });
});
