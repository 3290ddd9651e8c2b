import { Module } from '@nestjs/common';
import { SessionLogService } from './session-log.service.js';

/** The session log store and its delivery; the HTTP side is LoggingApiModule. */
@Module({
  providers: [SessionLogService],
  exports: [SessionLogService],
})
export class LoggingModule {}
