import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { loggerParams } from './common/logger.js';
import { ContentTypeMiddleware } from './common/middleware/content-type.middleware.js';
import { RequestTextMiddleware } from './common/middleware/request-text.middleware.js';
import { createValidationPipe } from './common/validation.js';
import { ConfigModule } from './config/config.module.js';
import { TarnConfig } from './config/tarn-config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { InternalModule } from './internal/internal.module.js';
import { JobsApiModule } from './jobs/jobs-api.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { LoggingApiModule } from './logging/logging-api.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ModelsModule } from './models/models.module.js';
import { SessionsApiModule } from './sessions/sessions-api.module.js';
import { VersioningModule } from './versioning/versioning.module.js';
import { WebModule } from './web/web.module.js';

type ModuleImport = NonNullable<DynamicModule['imports']>[number];

@Module({})
export class AppModule implements NestModule {
  /** `features` lets tests mount extra controllers through the real pipeline. */
  static forRoot(config: TarnConfig, features: ModuleImport[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRootAsync({ inject: [TarnConfig], useFactory: loggerParams }),
        DatabaseModule,
        // Before AuthModule: its guard runs first (see VersioningModule).
        VersioningModule,
        AuthModule,
        HealthModule,
        MetricsModule.forRoot(config),
        JobsModule.forRoot(config),
        SessionsApiModule.forRoot(config),
        CatalogModule,
        ModelsModule.forRoot(config),
        InternalModule.forRoot(config),
        LoggingApiModule,
        JobsApiModule.forRoot(config),
        WebModule,
        ...features,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestTextMiddleware, ContentTypeMiddleware).forRoutes('*path');
  }
}
