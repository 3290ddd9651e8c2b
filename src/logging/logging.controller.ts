import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';
import { CurrentSession, SessionRoute } from '../sessions/session-route.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { LogMessageDto, LogQueryDto } from './dto/log-message.dto.js';
import { LoggingEndpointDto } from './dto/logging-endpoint.dto.js';
import { SessionLogService } from './session-log.service.js';

@ApiTags('logging')
@ApiController('logging', { rootAlias: true })
export class LoggingEndpointController {
  constructor(private readonly logs: SessionLogService) {}

  @Post('endpoint')
  @HttpCode(200)
  @ApiOperation({
    summary: "Deliver the session's log messages to a URL",
    description: 'From then on each new message is POSTed there as {message, level, callerid}.',
  })
  @SessionRoute()
  @ApiOkResponse({ description: 'Registered; empty body' })
  @ApiUnprocessableEntityResponse({ description: 'Not an http or https URL' })
  async register(@CurrentSession() session: OptimizationSession, @Body() body: LoggingEndpointDto): Promise<void> {
    await this.logs.registerEndpoint(session.id, body.endpoint);
  }
}

@ApiTags('logging')
@ApiController('session/log')
export class SessionLogController {
  constructor(private readonly logs: SessionLogService) {}

  @Get()
  @ApiOperation({ summary: "The session's stored log messages (Tarn extension)" })
  @SessionRoute({ query: true })
  @ApiOkResponse({ type: LogMessageDto, isArray: true })
  list(@CurrentSession() session: OptimizationSession, @Query() query: LogQueryDto): Promise<LogMessageDto[]> {
    return this.logs.messages(session.id, query.since ?? 0);
  }
}
