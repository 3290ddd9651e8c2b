import { Module } from '@nestjs/common';
import { LoggingModule } from '../logging/logging.module.js';
import { SolverModule } from './solver.module.js';
import { SolverService } from './solver.service.js';

/** Running a session's commands: the solver pool plus the session log. */
@Module({
  imports: [SolverModule, LoggingModule],
  providers: [SolverService],
  exports: [SolverService],
})
export class SimulationModule {}
