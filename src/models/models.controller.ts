import { createHash } from 'node:crypto';
import { Body, Get, Headers, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';
import { CurrentSession, SessionRoute } from '../sessions/session-route.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { JSON_BODY_TYPES, YAML_BODY_TYPES } from '../common/middleware/content-type.middleware.js';
import { PutModelQueryDto, RunAcceptedDto } from '../jobs/dto/run.dto.js';
import { ModelQueryDto } from './dto/model-query.dto.js';
import { type ShopModelJson } from '../shop/shop-json.js';
import { DEFAULT_FILTERS, ModelStoreService } from '../model-store/model-store.service.js';
import { ModelReadCache } from './model-read-cache.js';
import { ModelUploadService } from './model-upload.service.js';

const SHOP_JSON_SCHEMA = {
  type: 'object',
  description: 'SHOP JSON: any subset of time, model, connections and commands',
  properties: {
    time: { type: 'object' },
    model: { type: 'object', additionalProperties: { type: 'object' } },
    connections: { type: 'array', items: { type: 'object' } },
    commands: { type: 'array', items: {} },
  },
};

@ApiTags('model')
@ApiController('model', { rootAlias: true })
export class ModelsController {
  constructor(
    private readonly store: ModelStoreService,
    private readonly upload: ModelUploadService,
    private readonly cache: ModelReadCache,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The session's model as SHOP JSON, filtered",
    description:
      'With an ETag: a request with If-None-Match of the same model (same filters, no write since) answers ' +
      '304 without a body.',
  })
  @SessionRoute({ query: true })
  @ApiOkResponse({
    schema: SHOP_JSON_SCHEMA,
    headers: { ETag: { description: 'The model revision and filters', schema: { type: 'string' } } },
  })
  @ApiNotModifiedResponse({ description: 'If-None-Match names the model as it is' })
  async get(
    @CurrentSession() session: OptimizationSession,
    @Query() query: ModelQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const { session_id: _ignored, ...given } = query;
    const filters = { ...DEFAULT_FILTERS, ...stripUndefined(given) };
    // The revision first: an answer read after it is at least as new as the revision it is kept under.
    const revision = await this.store.revision(session.id);
    const key = `${session.id}:${JSON.stringify(filters, Object.keys(filters).sort())}`;
    const etag = `"${createHash('sha1').update(`${key}:${revision}`).digest('base64url')}"`;
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', 'private, no-cache');
    if (ifNoneMatch?.split(/\s*,\s*/).includes(etag)) {
      response.status(304).end();
      return;
    }
    let body = this.cache.get(key, revision);
    if (body === undefined) {
      body = Buffer.from(JSON.stringify(await this.store.get(session.id, filters)));
      this.cache.set(key, revision, body);
    }
    // Sent as the cached bytes (Nest would serialise a Buffer as an object).
    response.type('application/json').send(body);
  }

  @Put()
  @ApiOperation({
    summary: 'Merge SHOP JSON into the session model, then run its commands',
    description:
      'Any subset of time, model, connections, commands. Later values replace earlier ones attribute by ' +
      'attribute; connections are added; time replaces time. A rejected document changes nothing. ' +
      'Answers the model filtered to input attributes. The body may also be SHOP YAML ' +
      '(Content-Type application/yaml): connections without from_type/to_type take them from the ' +
      'object names of the document and of the stored model. With commands and ?wait=false: 202 with the run, ' +
      'which goes on in the background. A run starts in its account’s turn (TARN_MAX_RUNS_PER_ACCOUNT runs of ' +
      'one account at once): until then it is queued, and the request without ?wait=false waits for it.',
  })
  @SessionRoute()
  @ApiConsumes(JSON_BODY_TYPES[0], ...YAML_BODY_TYPES)
  @ApiBody({ schema: SHOP_JSON_SCHEMA })
  @ApiOkResponse({ schema: SHOP_JSON_SCHEMA })
  @ApiAcceptedResponse({ type: RunAcceptedDto, description: '?wait=false with commands: stored, the run goes on' })
  @ApiBadRequestResponse({ description: 'Malformed JSON or YAML, or a malformed command' })
  @ApiUnprocessableEntityResponse({
    description:
      'Not a valid model (details name each bad path); or stored, but it cannot be optimized or has no solution',
  })
  async put(
    @CurrentSession() { id }: OptimizationSession,
    @Body() body: unknown,
    @Query() query: PutModelQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ShopModelJson | RunAcceptedDto> {
    const run = await this.upload.put(id, body, { wait: query.wait });
    if (run && query.wait === false) {
      response.status(202);
      const href = `/api/v1/session/runs/${run.run_id}`;
      return { run_id: run.run_id, status: run.status, href, events: `${href}/events` };
    }
    return this.store.get(id, { ...DEFAULT_FILTERS, isOutput: false });
  }
}

@ApiTags('model')
@ApiController('time_resolution', { rootAlias: true })
export class TimeResolutionController {
  constructor(private readonly store: ModelStoreService) {}

  @Get()
  @ApiOperation({ summary: "The time node of the session's model ({} before one is set)" })
  @SessionRoute({ query: true })
  @ApiOkResponse({ schema: { type: 'object' } })
  async get(@CurrentSession() session: OptimizationSession): Promise<object> {
    return (await this.store.time(session.id)) ?? {};
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
