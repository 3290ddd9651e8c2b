import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { ModelUploadService } from './model-upload.service.js';
import { ModelsController, TimeResolutionController } from './models.controller.js';

/** The model endpoints. The job runner comes from the global JobsModule. */
@Module({
  imports: [SessionsModule, ModelStoreModule],
  controllers: [ModelsController, TimeResolutionController],
  providers: [ModelUploadService],
  exports: [ModelStoreModule],
})
export class ModelsModule {}
