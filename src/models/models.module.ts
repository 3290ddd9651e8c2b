import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { SimulationModule } from '../solver/simulation.module.js';
import { ModelStoreService } from './model-store.service.js';
import { ModelsController, TimeResolutionController } from './models.controller.js';

@Module({
  imports: [SessionsModule, LoggingModule, SimulationModule, JobsModule],
  controllers: [ModelsController, TimeResolutionController],
  providers: [ModelStoreService],
  exports: [ModelStoreService],
})
export class ModelsModule {}
