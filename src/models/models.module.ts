import { type DynamicModule, Module } from '@nestjs/common';
import type { TarnConfig } from '../config/tarn-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ModelUploadService } from './model-upload.service.js';
import { ModelsController, TimeResolutionController } from './models.controller.js';

/** The model endpoints: uploads go to the job runner configured for this process. */
@Module({})
export class ModelsModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: ModelsModule,
      imports: [SessionsModule, ModelStoreModule, LoggingModule, JobsModule.forRoot(config)],
      controllers: [ModelsController, TimeResolutionController],
      providers: [ModelUploadService],
    };
  }
}
