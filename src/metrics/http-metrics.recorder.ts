import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { httpMetricsMiddleware } from './http-metrics.js';
import { MetricsService } from './metrics.service.js';

/**
 * Puts the HTTP metrics middleware first on Express. It does so while the application is being
 * built (providers are created before `createApp` adds helmet and the body parsers, and long
 * before Nest's own middleware), so that answers given before routing, such as a 413 for a body
 * over the limit, are counted too. Without an HTTP adapter (an application context) it does nothing.
 */
@Injectable()
export class HttpMetricsRecorder {
  readonly installed: boolean;

  constructor(adapterHost: HttpAdapterHost, metrics: MetricsService) {
    const adapter = adapterHost.httpAdapter;
    this.installed = adapter !== undefined && adapter !== null;
    if (this.installed) adapter.use(httpMetricsMiddleware(metrics));
  }
}
