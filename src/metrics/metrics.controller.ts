import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { MetricsService } from './metrics.service.js';

/**
 * `GET /metrics` on the API port, for admins' tokens only. Not part of the versioned API (no
 * `/api/v1` listing, no deprecation) and left out of the OpenAPI document. Mounted only while
 * TARN_METRICS_PORT is unset; with it, the metrics port serves them instead (see MetricsServer).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Roles('admin')
  async scrape(@Res() response: Response): Promise<void> {
    const text = await this.metrics.metrics();
    response.status(200).setHeader('Content-Type', this.metrics.contentType);
    response.end(text);
  }
}
