import { Body, Get, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { ApiSessionSelection, SelectedSessionId } from '../sessions/session-id.decorator.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ApiController } from '../versioning/api-controller.decorator.js';
import { ModelQueryDto } from './dto/model-query.dto.js';
import { commandsNotRunYet, DEFAULT_FILTERS, ModelStoreService, type ShopModelJson } from './model-store.service.js';

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
    private readonly sessions: SessionsService,
    private readonly store: ModelStoreService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The session's model as SHOP JSON, filtered" })
  @ApiSessionSelection({ query: true })
  @ApiOkResponse({ schema: SHOP_JSON_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such session, or not yours' })
  async get(
    @CurrentUser() actor: AuthenticatedUser,
    @SelectedSessionId() id: number,
    @Query() query: ModelQueryDto,
  ): Promise<ShopModelJson> {
    await this.sessions.get(actor, id);
    const { session_id: _ignored, ...filters } = query;
    return this.store.get(id, { ...DEFAULT_FILTERS, ...stripUndefined(filters) });
  }

  @Put()
  @ApiOperation({
    summary: 'Merge SHOP JSON into the session model, then run its commands',
    description:
      'Any subset of time, model, connections, commands. Later values replace earlier ones attribute by ' +
      'attribute; connections are added; time replaces time. A rejected document changes nothing. ' +
      'Answers the model filtered to input attributes.',
  })
  @ApiSessionSelection()
  @ApiBody({ schema: SHOP_JSON_SCHEMA })
  @ApiOkResponse({ schema: SHOP_JSON_SCHEMA })
  @ApiBadRequestResponse({ description: 'Malformed JSON or a malformed command' })
  @ApiUnprocessableEntityResponse({ description: 'Not a valid model; details name each bad path' })
  @ApiResponse({ status: 501, description: 'The model was stored; the commands cannot run yet' })
  async put(
    @CurrentUser() actor: AuthenticatedUser,
    @SelectedSessionId() id: number,
    @Body() body: unknown,
  ): Promise<ShopModelJson> {
    await this.sessions.get(actor, id);
    const commands = await this.store.put(id, body);
    if (commands.length) throw commandsNotRunYet(commands);
    return this.store.get(id, { ...DEFAULT_FILTERS, isOutput: false });
  }
}

@ApiTags('model')
@ApiController('time_resolution', { rootAlias: true })
export class TimeResolutionController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly store: ModelStoreService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The time node of the session's model ({} before one is set)" })
  @ApiSessionSelection({ query: true })
  @ApiOkResponse({ schema: { type: 'object' } })
  async get(@CurrentUser() actor: AuthenticatedUser, @SelectedSessionId() id: number): Promise<object> {
    await this.sessions.get(actor, id);
    return (await this.store.time(id)) ?? {};
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
