import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { LoggingEndpointController, SessionLogController } from './logging.controller.js';
import { LoggingModule } from './logging.module.js';

/**
 * POST /logging/endpoint and GET /session/log. Separate from LoggingModule, which the solver
 * and the queue worker use without HTTP or sessions.
 */
@Module({
  imports: [LoggingModule, SessionsModule],
  controllers: [LoggingEndpointController, SessionLogController],
})
export class LoggingApiModule {}
