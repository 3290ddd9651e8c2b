import { type DynamicModule, Module } from '@nestjs/common';
import type { TarnConfig } from '../config/tarn-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { ModelsModule } from '../models/models.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { InternalController } from './internal.controller.js';
import { SessionModel } from './session-model.js';
import { ShopApiStateService } from './shop-api-state.service.js';
import { ShopApiService } from './shop-api.service.js';

/** SHOP Server's `/internal/...` functions: the SHOP API, on the same stored model as `/model`. */
@Module({})
export class InternalModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: InternalModule,
      imports: [
        SessionsModule,
        ModelStoreModule,
        LoggingModule,
        ModelsModule.forRoot(config),
        JobsModule.forRoot(config),
      ],
      controllers: [InternalController],
      providers: [ShopApiService, ShopApiStateService, SessionModel],
    };
  }
}
