import { Module } from '@nestjs/common';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { InternalController } from './internal.controller.js';

/** SHOP Server's `/internal/...` functions. */
@Module({
  imports: [SessionsModule, ModelStoreModule],
  controllers: [InternalController],
})
export class InternalModule {}
