import { type DynamicModule, Module } from '@nestjs/common';
import type { TarnConfig } from '../config/tarn-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ModelReadCache } from './model-read-cache.js';
import { ModelUploadService } from './model-upload.service.js';
import { PutWarmUp } from './put-warm-up.js';
import { ModelsController, TimeResolutionController } from './models.controller.js';

/** One configured module per configuration: the app and the SHOP API functions share one. */
const configured = new WeakMap<TarnConfig, DynamicModule>();

/**
 * The model endpoints: uploads go to the job runner configured for this process. Exports
 * ModelUploadService, through which the SHOP API functions (`/internal`) write too.
 */
@Module({})
export class ModelsModule {
  static forRoot(config: TarnConfig): DynamicModule {
    const known = configured.get(config);
    if (known) return known;
    const module: DynamicModule = {
      module: ModelsModule,
      imports: [SessionsModule, ModelStoreModule, LoggingModule, JobsModule.forRoot(config)],
      controllers: [ModelsController, TimeResolutionController],
      // The upload warm-up runs an upload as this process's runs do: only where they are solved here.
      providers: [ModelUploadService, ModelReadCache, ...(config.redisUrl ? [] : [PutWarmUp])],
      exports: [ModelUploadService],
    };
    configured.set(config, module);
    return module;
  }
}
