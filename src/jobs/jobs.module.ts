import { Module } from '@nestjs/common';
import { RunsService } from './runs.service.js';

/** Runs of sessions' commands: their rows and live events (the models module records them). */
@Module({
  providers: [RunsService],
  exports: [RunsService],
})
export class JobsModule {}
