import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OptimizationSession } from './entities/optimization-session.entity.js';
import { SessionsService } from './sessions.service.js';

/**
 * Sessions and who may see them: SessionsService, for SessionAccessGuard (@SessionRoute) in
 * every module with session routes. The /session endpoints are SessionsApiModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OptimizationSession])],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
