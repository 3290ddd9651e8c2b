import { type DynamicModule, Module } from '@nestjs/common';
import type { TarnConfig } from '../config/tarn-config.js';
import { HttpMetricsRecorder } from './http-metrics.recorder.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsServer } from './metrics-server.js';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus metrics. Global, so that other modules can record into MetricsService (they inject
 * it `@Optional()`, and work without this module, as their unit tests build them). Without
 * TARN_METRICS_PORT, `GET /metrics` is a route of the API port for admins; with it, the route is
 * not mounted (404) and the metrics port serves the metrics without a token. The solver pool's
 * gauges come from SolverPoolModule, in the processes that solve.
 */
@Module({})
export class MetricsModule {
  static forRoot(config: TarnConfig): DynamicModule {
    const ownPort = config.metrics.port !== undefined;
    return {
      module: MetricsModule,
      global: true,
      controllers: ownPort ? [] : [MetricsController],
      providers: [MetricsService, HttpMetricsRecorder, ...(ownPort ? [MetricsServer] : [])],
      exports: [MetricsService],
    };
  }
}
