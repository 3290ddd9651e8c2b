import { Module } from '@nestjs/common';
import { LoggingModule } from '../logging/logging.module.js';
import { ModelStoreService } from './model-store.service.js';

/** The persisted models alone, for the API and for queue workers (which serve no HTTP). */
@Module({
  imports: [LoggingModule],
  providers: [ModelStoreService],
  exports: [ModelStoreService],
})
export class ModelStoreModule {}
