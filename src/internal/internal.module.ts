import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { InternalController } from './internal.controller.js';

/** SHOP Server's `/internal/...` functions. */
@Module({
  imports: [SessionsModule, ModelsModule],
  controllers: [InternalController],
})
export class InternalModule {}
