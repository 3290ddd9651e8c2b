import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { LoggingEndpointController, SessionLogController } from './logging.controller.js';
import { SessionLogService } from './session-log.service.js';

@Module({
  imports: [SessionsModule],
  controllers: [LoggingEndpointController, SessionLogController],
  providers: [SessionLogService],
  exports: [SessionLogService],
})
export class LoggingModule {}
