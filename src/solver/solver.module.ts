import { Module } from '@nestjs/common';
import { LoggingModule } from '../logging/logging.module.js';
import { SolverPoolModule } from './pool/solver-pool.module.js';
import { SolverService } from './solver.service.js';

/** Running a session's commands: the solver pool plus the session log. */
@Module({
  imports: [SolverPoolModule, LoggingModule],
  providers: [SolverService],
  exports: [SolverService],
})
export class SolverModule {}
