import { type DynamicModule, Module } from '@nestjs/common';
import type { TarnConfig } from '../config/tarn-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { SessionController, SessionsListController } from './sessions.controller.js';
import { SessionsModule } from './sessions.module.js';

/** /session, /sessions and /session/cancel (a cancel or a delete stops the session's runs). */
@Module({})
export class SessionsApiModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: SessionsApiModule,
      imports: [SessionsModule, JobsModule.forRoot(config)],
      controllers: [SessionController, SessionsListController],
    };
  }
}
