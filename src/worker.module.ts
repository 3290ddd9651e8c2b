import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from './common/logger.js';
import { ConfigModule } from './config/config.module.js';
import { TarnConfig } from './config/tarn-config.js';
import { DatabaseModule } from './database/database.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';

/** The `npm run worker` process: no HTTP API, the database, the solver pool and the queue's worker. */
@Module({})
export class WorkerModule {
  static forRoot(config: TarnConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRootAsync({ inject: [TarnConfig], useFactory: loggerParams }),
        DatabaseModule,
        // Served only with TARN_METRICS_PORT (a worker has no API port).
        MetricsModule.forRoot(config),
        JobsModule.forWorker(),
      ],
    };
  }
}
