import { Module } from '@nestjs/common';
import { LoggingModule } from '../logging/logging.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { ModelUploadService } from './model-upload.service.js';
import { ModelsController, TimeResolutionController } from './models.controller.js';

/** The model endpoints. The job runner comes from the global JobsModule. */
@Module({
  imports: [SessionsModule, ModelStoreModule, LoggingModule],
  controllers: [ModelsController, TimeResolutionController],
  providers: [ModelUploadService],
  exports: [ModelStoreModule],
})
export class ModelsModule {}
