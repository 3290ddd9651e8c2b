import { Get, Param, ParseIntPipe, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { ApiSessionSelection, SelectedSessionId } from '../sessions/session-id.decorator.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ApiController } from '../versioning/api-controller.decorator.js';
import { RunDto } from './dto/run.dto.js';
import { type Run, RunsService } from './runs.service.js';

@ApiTags('runs')
@ApiController('session/runs')
export class RunsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly runs: RunsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The session's runs (each PUT /model with commands), oldest first (Tarn extension)" })
  @ApiSessionSelection({ query: true })
  @ApiOkResponse({ type: RunDto, isArray: true })
  async list(@CurrentUser() actor: AuthenticatedUser, @SelectedSessionId() session: number): Promise<Run[]> {
    await this.sessions.get(actor, session);
    return this.runs.list(session);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run: status, timings, objective (Tarn extension)' })
  @ApiSessionSelection({ query: true })
  @ApiOkResponse({ type: RunDto })
  @ApiNotFoundResponse({ description: 'No such run in this session, or not your session' })
  async get(
    @CurrentUser() actor: AuthenticatedUser,
    @SelectedSessionId() session: number,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<Run> {
    await this.sessions.get(actor, session);
    return this.runs.get(session, id);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: "A run's progress as Server-Sent Events (Tarn extension)",
    description:
      'Event `progress` after each solved iteration (iteration, status, objective, mipGap, seconds, size), then ' +
      'event `end` with the finished run, and the stream closes. A finished run sends its `end` at once.',
  })
  @ApiProduces('text/event-stream')
  @ApiSessionSelection({ query: true })
  @ApiNotFoundResponse({ description: 'No such run in this session, or not your session' })
  async events(
    @CurrentUser() actor: AuthenticatedUser,
    @SelectedSessionId() session: number,
    @Param('id', ParseIntPipe) id: number,
    @Res() response: Response,
  ): Promise<void> {
    // Everything that can answer 404 comes before the stream's headers.
    await this.sessions.get(actor, session);
    const events = await this.runs.events(session, id);
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    const subscription = events.subscribe({
      next: (event) => response.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`),
      complete: () => response.end(),
      error: () => response.end(),
    });
    response.on('close', () => subscription.unsubscribe());
  }
}
