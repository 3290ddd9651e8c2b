import { Module } from '@nestjs/common';
import { LoggingModule } from '../logging/logging.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { SimulationModule } from '../solver/simulation.module.js';
import { ModelStoreService } from './model-store.service.js';
import { ModelsController, TimeResolutionController } from './models.controller.js';

@Module({
  imports: [SessionsModule, LoggingModule, SimulationModule],
  controllers: [ModelsController, TimeResolutionController],
  providers: [ModelStoreService],
  exports: [ModelStoreService],
})
export class ModelsModule {}
