import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { JobsModule } from './jobs.module.js';
import { RunsController } from './runs.controller.js';

/** GET /api/v1/session/runs[/:id[/events]]; apart from JobsModule, which the models module imports. */
@Module({
  imports: [JobsModule, SessionsModule],
  controllers: [RunsController],
})
export class JobsApiModule {}
