import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { LoggingEndpointController, SessionLogController } from './logging.controller.js';
import { LoggingModule } from './logging.module.js';

/**
 * POST /logging/endpoint and GET /session/log. Separate from LoggingModule because sessions
 * log too (SessionsModule imports LoggingModule) while these routes check sessions.
 */
@Module({
  imports: [LoggingModule, SessionsModule],
  controllers: [LoggingEndpointController, SessionLogController],
})
export class LoggingApiModule {}
