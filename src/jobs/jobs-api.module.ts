import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { RunsController } from './runs.controller.js';

/** GET /api/v1/session/runs[/:id[/events]]; RunsService comes from the global JobsModule. */
@Module({
  imports: [SessionsModule],
  controllers: [RunsController],
})
export class JobsApiModule {}
