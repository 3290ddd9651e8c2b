import { type DynamicModule, Module } from '@nestjs/common';
import type { TarnConfig } from '../config/tarn-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { SessionController, SessionsListController } from './sessions.controller.js';
import { SessionsModule } from './sessions.module.js';
import { ShopCompatSessionSweeper } from './shop-compat-session.sweeper.js';

/**
 * /session, /sessions and /session/cancel (a cancel or a delete stops the session's runs), and the
 * sweeper of idle SHOP compatibility sessions (which stops their runs too).
 */
@Module({})
export class SessionsApiModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: SessionsApiModule,
      imports: [SessionsModule, JobsModule.forRoot(config)],
      controllers: [SessionController, SessionsListController],
      providers: [ShopCompatSessionSweeper],
    };
  }
}
