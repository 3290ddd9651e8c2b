import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggingModule } from '../logging/logging.module.js';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { OptimizationSession } from './entities/optimization-session.entity.js';
import { SessionController, SessionsListController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OptimizationSession]), LoggingModule, ModelStoreModule],
  controllers: [SessionController, SessionsListController],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
