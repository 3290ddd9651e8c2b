import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiCatalogService } from './api-catalog.service.js';
import { ApiLifecycleGuard } from './api-lifecycle.guard.js';
import { ApiRootController, ApiVersionController } from './api-root.controller.js';
import { DeprecationReportController } from './deprecation-report.controller.js';
import { DeprecationUsageInterceptor } from './deprecation-usage.interceptor.js';
import { DeprecationUsageService } from './deprecation-usage.service.js';
import { DeprecatedCall } from './entities/deprecated-call.entity.js';
import { RouteTableService } from './route-table.service.js';

/**
 * Versions, deprecation and sunset. Import it before AuthModule: its global guard must
 * run before the token guard, so that 401s of deprecated routes carry the headers and a
 * sunset route answers 410 to everybody.
 */
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([DeprecatedCall])],
  controllers: [ApiRootController, ApiVersionController, DeprecationReportController],
  providers: [
    RouteTableService,
    ApiCatalogService,
    DeprecationUsageService,
    { provide: APP_GUARD, useClass: ApiLifecycleGuard },
    { provide: APP_INTERCEPTOR, useClass: DeprecationUsageInterceptor },
  ],
  exports: [RouteTableService],
})
export class VersioningModule {}
