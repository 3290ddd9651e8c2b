import { Get, Param, Res } from '@nestjs/common';
import { ParseIdPipe } from '../common/database-id.js';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { OptimizationSession } from '../sessions/entities/optimization-session.entity.js';
import { CurrentSession, SessionRoute } from '../sessions/session-route.decorator.js';
import { ApiController } from '../common/decorators/api-controller.decorator.js';
import { RunDto } from './dto/run.dto.js';
import { type Run, RunsService } from './runs.service.js';

const NO_SUCH_RUN = 'No such run in this session, or not your session';

@ApiTags('runs')
@ApiController('session/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @ApiOperation({ summary: "The session's runs (each PUT /model with commands), oldest first (Tarn extension)" })
  @SessionRoute({ query: true })
  @ApiOkResponse({ type: RunDto, isArray: true })
  list(@CurrentSession() session: OptimizationSession): Promise<Run[]> {
    return this.runs.list(session.id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run: status, timings, objective (Tarn extension)' })
  @SessionRoute({ query: true, notFound: NO_SUCH_RUN })
  @ApiOkResponse({ type: RunDto })
  get(@CurrentSession() session: OptimizationSession, @Param('id', ParseIdPipe) id: number): Promise<Run> {
    return this.runs.get(session.id, id);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: "A run's progress as Server-Sent Events (Tarn extension)",
    description:
      'Event `progress` after each solved iteration (iteration, status, objective, mipGap, seconds, size), then ' +
      'event `end` with the finished run, and the stream closes. A finished run sends its `end` at once.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream (text/event-stream), until the run ends' })
  @SessionRoute({ query: true, notFound: NO_SUCH_RUN })
  async events(
    @CurrentSession() session: OptimizationSession,
    @Param('id', ParseIdPipe) id: number,
    @Res() response: Response,
  ): Promise<void> {
    // Everything that can answer 404 comes before the stream's headers.
    const events = await this.runs.events(session.id, id);
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
