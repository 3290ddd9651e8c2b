import { Body, Get, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
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
  ) {}

  @Get()
  @ApiOperation({ summary: "The session's model as SHOP JSON, filtered" })
  @SessionRoute({ query: true })
  @ApiOkResponse({ schema: SHOP_JSON_SCHEMA })
  async get(@CurrentSession() session: OptimizationSession, @Query() query: ModelQueryDto): Promise<ShopModelJson> {
    const { session_id: _ignored, ...filters } = query;
    return this.store.get(session.id, { ...DEFAULT_FILTERS, ...stripUndefined(filters) });
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
      'which goes on in the background.',
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
