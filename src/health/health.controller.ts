import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/decorators/public.decorator.js';

/** SHOP Server's health check answers exactly this. */
export const SHOP_HEALTH_BODY = 'OK\r\n\r\n';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'SHOP Server health check: 200 text/plain "OK\\r\\n\\r\\n"' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The server is up' })
  shopHealth(@Res() response: Response): void {
    // Set by hand: express would add "; charset=utf-8" to text/plain.
    response.status(200).setHeader('Content-Type', 'text/plain');
    response.end(SHOP_HEALTH_BODY);
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: the database answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up' } } })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async ready() {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', database: 'up' };
    } catch {
      throw new ServiceUnavailableException('The database does not answer');
    }
  }
}
