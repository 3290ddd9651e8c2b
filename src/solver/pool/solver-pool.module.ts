import { Module } from '@nestjs/common';
import { TarnConfig } from '../../config/tarn-config.js';
import { findCbc } from '../providers/cbc.provider.js';
import { SolverPool } from './solver-pool.js';
import { SolverPoolMetrics } from './solver-pool.metrics.js';

/**
 * The pool that runs optimizations off the event loop, `TARN_SOLVER_POOL_SIZE` worker threads
 * started here, at start-up, which waits until each has loaded its solver. They warm up in the
 * background (TARN_SOLVER_WARM_UP), so the server answers before; `GET /health/ready` says `solver: "starting"` (503) until every worker
 * is warm, and runs that come earlier wait for a worker. With TARN_SOLVER=cbc the workers run the
 * `cbc` command, which must be installed, or start-up fails with a message saying how to install it.
 */
export async function createSolverPool(
  config: TarnConfig,
  find: () => Promise<string | undefined> = findCbc,
): Promise<SolverPool> {
  let cbcCommand: string | undefined;
  if (config.solver.provider === 'cbc') {
    cbcCommand = await find();
    if (!cbcCommand) {
      throw new Error('TARN_SOLVER=cbc but the cbc command is not installed (Debian: apt-get install coinor-cbc)');
    }
  }
  const { poolSize, exportDir, warmUp } = config.solver;
  const pool = new SolverPool({ poolSize, cbcCommand, exportDir, warmUp });
  // Start-up waits for the solver to load (a failure stops it), not for the warm-up.
  await pool.start('loaded');
  pool.start().catch(() => undefined); // a pool that gives up later answers runs 'error'; readiness says "down"
  return pool;
}

/**
 * Provides `SolverPool` (its workers end at application shutdown) and its metrics gauges;
 * nothing outside this module knows which solver is behind it.
 */
@Module({
  providers: [
    {
      provide: SolverPool,
      inject: [TarnConfig],
      useFactory: (config: TarnConfig) => createSolverPool(config),
    },
    SolverPoolMetrics,
  ],
  exports: [SolverPool],
})
export class SolverPoolModule {}
