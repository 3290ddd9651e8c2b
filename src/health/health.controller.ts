import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/decorators/public.decorator.js';
import { RedisCheck } from './redis-check.js';

/** SHOP Server's health check answers exactly this. */
export const SHOP_HEALTH_BODY = 'OK\r\n\r\n';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisCheck,
  ) {}

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
  @ApiOperation({
    summary: 'Readiness: the database answers, and Redis when REDIS_URL is set',
    description: 'Each part is "up" or "down"; `redis` is "not configured" without REDIS_URL.',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up', redis: 'not configured' } } })
  @ApiServiceUnavailableResponse({
    description: 'The database or Redis does not answer; the body names which',
    schema: {
      example: {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Redis does not answer',
        status: 'error',
        database: 'up',
        redis: 'down',
      },
    },
  })
  async ready() {
    const [database, redis] = await Promise.all([this.databaseState(), this.redis.state()]);
    if (database === 'up' && redis !== 'down') return { status: 'ok', database, redis };
    const message =
      database === 'down' && redis === 'down'
        ? 'The database and Redis do not answer'
        : database === 'down'
          ? 'The database does not answer'
          : 'Redis does not answer';
    throw new ServiceUnavailableException({ message, status: 'error', database, redis });
  }

  private async databaseState(): Promise<'up' | 'down'> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'up';
    } catch {
      return 'down';
    }
  }
}
