import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { ApiSessionSelection, SelectedSessionId } from '../sessions/session-id.decorator.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ApiController } from '../versioning/api-controller.decorator.js';
import { LogMessageDto, LogQueryDto } from './dto/log-message.dto.js';
import { LoggingEndpointDto } from './dto/logging-endpoint.dto.js';
import { SessionLogService } from './session-log.service.js';

@ApiTags('logging')
@ApiController('logging', { rootAlias: true })
export class LoggingEndpointController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly logs: SessionLogService,
  ) {}

  @Post('endpoint')
  @HttpCode(200)
  @ApiOperation({
    summary: "Deliver the session's log messages to a URL",
    description: 'From then on each new message is POSTed there as {message, level, callerid}.',
  })
  @ApiSessionSelection()
  @ApiOkResponse({ description: 'Registered; empty body' })
  @ApiUnprocessableEntityResponse({ description: 'Not an http or https URL' })
  @ApiNotFoundResponse({ description: 'No such session, or not yours' })
  async register(
    @CurrentUser() actor: AuthenticatedUser,
    @SelectedSessionId() id: number,
    @Body() body: LoggingEndpointDto,
  ): Promise<void> {
    await this.sessions.get(actor, id);
    await this.logs.registerEndpoint(id, body.endpoint);
  }
}

@ApiTags('logging')
@ApiController('session/log')
export class SessionLogController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly logs: SessionLogService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The session's stored log messages (Tarn extension)" })
  @ApiSessionSelection({ query: true })
  @ApiOkResponse({ type: LogMessageDto, isArray: true })
  async list(
    @CurrentUser() actor: AuthenticatedUser,
    @SelectedSessionId() id: number,
    @Query() query: LogQueryDto,
  ): Promise<LogMessageDto[]> {
    await this.sessions.get(actor, id);
    return this.logs.messages(id, query.since ?? 0);
  }
}
