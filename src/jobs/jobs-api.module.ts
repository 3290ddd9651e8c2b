import { type DynamicModule, Module } from '@nestjs/common';
import type { TarnConfig } from '../config/tarn-config.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { JobsModule } from './jobs.module.js';
import { RunsController } from './runs.controller.js';

/** GET /api/v1/session/runs[/:id[/events]]. */
@Module({})
export class JobsApiModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: JobsApiModule,
      imports: [SessionsModule, JobsModule.forRoot(config)],
      controllers: [RunsController],
    };
  }
}
