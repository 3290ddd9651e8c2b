import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/decorators/public.decorator.js';
import { RedisCheck } from './redis-check.js';
import { SolverCheck } from './solver-check.js';

/** SHOP Server's health check answers exactly this. */
export const SHOP_HEALTH_BODY = 'OK\r\n\r\n';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisCheck,
    private readonly solver: SolverCheck,
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
    summary: 'Readiness: the database answers, Redis when REDIS_URL is set, and the solver threads are warm',
    description:
      'Each part is "up" or "down"; `redis` is "not configured" without REDIS_URL. `solver` is "starting" while ' +
      'the solver threads (and, on the embedded database, the upload path) warm up after start (runs sent then ' +
      'wait for them), and "not here" in an API process ' +
      'that leaves solving to queue workers.',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up', redis: 'not configured', solver: 'up' } } })
  @ApiServiceUnavailableResponse({
    description: 'The database or Redis does not answer, or the solver is not ready; the body names which',
    schema: {
      example: {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Redis does not answer',
        status: 'error',
        database: 'up',
        redis: 'down',
        solver: 'up',
      },
    },
  })
  async ready() {
    const [database, redis] = await Promise.all([this.databaseState(), this.redis.state()]);
    const solver = this.solver.state();
    const solverReady = solver === 'up' || solver === 'not here';
    if (database === 'up' && redis !== 'down' && solverReady) return { status: 'ok', database, redis, solver };
    const problems: string[] = [];
    if (database === 'down' && redis === 'down') problems.push('The database and Redis do not answer');
    else if (database === 'down') problems.push('The database does not answer');
    else if (redis === 'down') problems.push('Redis does not answer');
    if (solver === 'starting') problems.push('The solver threads are warming up');
    if (solver === 'down') problems.push('The solver threads could not start');
    throw new ServiceUnavailableException({ message: problems.join('; '), status: 'error', database, redis, solver });
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
