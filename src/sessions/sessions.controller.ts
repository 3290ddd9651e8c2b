import { Body, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { CreateSessionDto, SessionDto, toSessionDto } from './dto/session.dto.js';
import type { OptimizationSession } from './entities/optimization-session.entity.js';
import { CurrentSession, SessionRoute } from './session-route.decorator.js';
import { SessionsService } from './sessions.service.js';
import { SessionRunsService } from '../jobs/session-runs.service.js';

@ApiTags('sessions')
@ApiController('session', { rootAlias: true })
export class SessionController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly runs: SessionRunsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The selected session' })
  @SessionRoute({ query: true })
  @ApiOkResponse({ type: SessionDto })
  get(@CurrentSession() session: OptimizationSession): SessionDto {
    return toSessionDto(session);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a session', description: 'Answers 200, as SHOP Server does.' })
  @ApiOkResponse({ type: SessionDto })
  @ApiTooManyRequestsResponse({ description: 'The server holds --max-sessions sessions already' })
  async create(@CurrentUser() actor: AuthenticatedUser, @Body() body: CreateSessionDto): Promise<SessionDto> {
    return toSessionDto(await this.sessions.create(actor, body.session_name, body.log_file));
  }

  @Delete()
  @ApiOperation({ summary: 'Delete the selected session with its model, runs and log' })
  @SessionRoute({ query: true })
  @ApiOkResponse({ description: 'Deleted; empty body' })
  async delete(@CurrentUser() actor: AuthenticatedUser, @CurrentSession() session: OptimizationSession): Promise<void> {
    await this.sessions.delete(actor, session.id);
    await this.runs.stop(session.id);
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Interrupt the running solve and drop the queued commands',
    description: 'Runs of the session that wait to start (queued) are cancelled: they never start.',
  })
  @SessionRoute()
  @ApiOkResponse({ description: 'Cancelled; empty body' })
  async cancel(@CurrentSession() session: OptimizationSession): Promise<void> {
    await this.runs.cancel(session.id);
  }
}

@ApiTags('sessions')
@ApiController('sessions', { rootAlias: true })
export class SessionsListController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'The sessions the caller may see' })
  @ApiOkResponse({ type: SessionDto, isArray: true })
  async list(@CurrentUser() actor: AuthenticatedUser): Promise<SessionDto[]> {
    return (await this.sessions.list(actor)).map(toSessionDto);
  }
}
