import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { LoggingModule } from '../logging/logging.module.js';
import { ModelStoreModule } from '../model-store/model-store.module.js';
import { SolverModule } from '../solver/solver.module.js';
import { InProcessJobRunner } from './in-process-job-runner.js';
import { JobRunner } from './job-runner.js';
import { QueueJobRunner } from './queue-job-runner.js';
import { SOLVE_QUEUE, redisOptions } from './queue-connection.js';
import { RunExecutor } from './run-executor.service.js';
import { RunsService } from './runs.service.js';
import { SessionRunsService } from './session-runs.service.js';
import { SolveQueueWorker } from './solve-queue.worker.js';

/** The BullMQ queue of solve jobs, on REDIS_URL, its keys under TARN_QUEUE_PREFIX. */
const queueImports = () => [
  BullModule.forRootAsync({
    inject: [TarnConfig],
    useFactory: (config: TarnConfig) => ({
      // Commands fail at once while Redis is away (a 503) instead of waiting for it to return.
      connection: { ...redisOptions(config.redisUrl!), enableOfflineQueue: false },
      prefix: config.queue.prefix,
    }),
  }),
  BullModule.registerQueue({ name: SOLVE_QUEUE }),
];

/** One configured module per configuration, so that every importer shares one runner. */
const configured = new WeakMap<TarnConfig, DynamicModule>();

/**
 * Where runs are solved. `forRoot`: the API's side, imported by the modules that submit,
 * follow or cancel runs (models, sessions, runs): with REDIS_URL the BullMQ queue
 * (QueueJobRunner; this process starts no solver threads), else this process's solver threads
 * (InProcessJobRunner). The same object for the same configuration, so Nest makes one instance
 * of it however many modules import it. `forWorker`: the `npm run worker` process, which takes
 * jobs from the queue and solves them.
 */
@Module({})
export class JobsModule {
  static forRoot(config: TarnConfig): DynamicModule {
    const known = configured.get(config);
    if (known) return known;
    const queued = config.redisUrl !== undefined;
    const module: DynamicModule = {
      module: JobsModule,
      imports: [...(queued ? queueImports() : [SolverModule]), ModelStoreModule, LoggingModule],
      providers: [
        RunsService,
        SessionRunsService,
        ...(queued
          ? [{ provide: JobRunner, useClass: QueueJobRunner }]
          : [RunExecutor, { provide: JobRunner, useClass: InProcessJobRunner }]),
      ],
      exports: [RunsService, JobRunner, SessionRunsService],
    };
    configured.set(config, module);
    return module;
  }

  static forWorker(): DynamicModule {
    return {
      module: JobsModule,
      imports: [SolverModule, ModelStoreModule, LoggingModule],
      providers: [RunsService, RunExecutor, SolveQueueWorker],
    };
  }
}
