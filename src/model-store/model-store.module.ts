import { Module } from '@nestjs/common';
import { ModelStoreService } from './model-store.service.js';

/** The persisted models alone, for the API and for queue workers (which serve no HTTP). */
@Module({
  providers: [ModelStoreService],
  exports: [ModelStoreService],
})
export class ModelStoreModule {}
