import { BadRequestException, Body, Get, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { sessionIdFromRequest } from '../sessions/session-id.decorator.js';
import type { RequestWithSession } from '../sessions/session-access.guard.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { parseLenientJson } from './lenient-json.js';
import {
  type FunctionSpec,
  isShopApiFunction,
  readArguments,
  SHOP_API_FUNCTION_NAMES,
  SHOP_API_FUNCTIONS,
} from './shop-api-functions.js';
import { ShopApiService } from './shop-api.service.js';

const FUNCTION_TABLE = SHOP_API_FUNCTION_NAMES.map((name) => {
  const spec: FunctionSpec = SHOP_API_FUNCTIONS[name];
  const params = spec.params.map((param) => `${param.name}${param.optional ? '?' : ''}: ${param.type}`).join(', ');
  return `| ${name} | ${params || '—'} | ${spec.answer} |`;
}).join('\n');

/**
 * SHOP Server's internal functions (the SHOP API that pyshop calls): `GET /internal` lists them,
 * `POST /internal/<Name>` calls one with `{"args": [...], "kwargs": {...}}`.
 */
@ApiTags('internal')
@ApiController('internal', { rootAlias: true })
export class InternalController {
  constructor(
    private readonly shopApi: ShopApiService,
    private readonly sessions: SessionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The SHOP API functions this server serves' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'string' } }, example: SHOP_API_FUNCTION_NAMES.slice(0, 3) })
  list(): string[] {
    return [...SHOP_API_FUNCTION_NAMES];
  }

  @Post(':name')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Call a SHOP API function on the session',
    description:
      'The body is `{"args": [...], "kwargs": {...}}` (both optional): positional arguments, then named ones. ' +
      "Python's NaN, Infinity and -Infinity are accepted (NaN is SHOP's no value, stored as 1e40). The answer is " +
      "the function's value as JSON; functions that return nothing answer `true`. A call the model refuses " +
      '(unknown object or attribute, wrong datatype, a command that fails) answers 200 with the failure value ' +
      '(`false`, or an empty value) and writes an ERROR to the session log, as SHOP does. Times are ' +
      '`YYYYMMDDHHMMSS`. Functions on a session need the session-id header.\n\n' +
      '| function | arguments | answer |\n|---|---|---|\n' +
      FUNCTION_TABLE,
  })
  @ApiParam({ name: 'name', enum: SHOP_API_FUNCTION_NAMES })
  @ApiHeader({ name: 'session-id', required: false, description: 'The session (also session_id)' })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { args: { type: 'array', items: {} }, kwargs: { type: 'object' } },
      example: { args: ['reservoir', 'Reservoir1', 'max_vol', 12], kwargs: {} },
    },
  })
  @ApiOkResponse({ description: "The function's value" })
  @ApiBadRequestResponse({ description: 'The body is not JSON, or the arguments do not fit the function' })
  @ApiNotFoundResponse({ description: 'No such function; or no such session, or not yours' })
  async call(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() request: RequestWithSession,
    @CurrentUser() actor: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    if (!isShopApiFunction(name)) {
      throw new NotFoundException(
        `No SHOP API function "${name}"; GET /internal lists the ${SHOP_API_FUNCTION_NAMES.length} served`,
      );
    }
    const args = readArguments(name, parseBody(body));
    const spec: FunctionSpec = SHOP_API_FUNCTIONS[name];
    const sessionId = spec.session ? (await this.sessions.get(actor, sessionIdFromRequest(request))).id : undefined;
    const value = await this.shopApi.call(name, args, sessionId);
    // Every answer is JSON, strings and booleans too (pyshop decodes each body with .json()).
    response.type('application/json');
    return JSON.stringify(value);
  }
}

/** The body arrives as text (see app.setup.ts): Python's JSON, NaN and Infinity included. */
function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  if (body.trim() === '') return undefined;
  try {
    return parseLenientJson(body);
  } catch (error) {
    const message = `the body is not JSON: ${(error as Error).message}`;
    throw new BadRequestException({ message, details: [{ path: 'body', message }] });
  }
}
