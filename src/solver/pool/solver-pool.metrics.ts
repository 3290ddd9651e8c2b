import { Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service.js';
import { SolverPool } from './solver-pool.js';

/**
 * Adds this process's solver pool gauges (`tarn_solver_jobs`, `tarn_solver_workers`) to the
 * application's metrics, where it has them. Provided with the pool, so the gauges exist exactly
 * where a pool does (not in an API process that only enqueues).
 */
@Injectable()
export class SolverPoolMetrics {
  constructor(pool: SolverPool, @Optional() metrics?: MetricsService) {
    metrics?.observeSolverPool(() => pool.stats());
  }
}
