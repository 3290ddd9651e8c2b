import { Module } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { CbcProvider, findCbc } from './cbc.provider.js';
import { HighsProvider } from './highs.provider.js';
import { OptimizationProvider } from './optimization-provider.js';
import { SolverPool } from './solver-pool.js';

export type SolverKind = TarnConfig['solver']['provider'];

/**
 * The provider `TARN_SOLVER` selects. HiGHS is loaded and warmed up here, at start-up;
 * CBC must be installed, or start-up fails with a message saying how to install it.
 */
export async function createOptimizationProvider(
  kind: SolverKind,
  find: () => Promise<string | undefined> = findCbc,
): Promise<OptimizationProvider> {
  if (kind === 'cbc') {
    const command = await find();
    if (!command) {
      throw new Error('TARN_SOLVER=cbc but the cbc command is not installed (Debian: apt-get install coinor-cbc)');
    }
    return new CbcProvider(command);
  }
  const highs = new HighsProvider();
  await highs.warmUp();
  return highs;
}

/**
 * The pool that runs solves off the event loop. With HiGHS: `TARN_SOLVER_POOL_SIZE` worker
 * threads, started and warmed up here, at start-up. With CBC (already a child process per
 * solve): no threads, the pool hands each solve to the CBC provider.
 */
export async function createSolverPool(config: TarnConfig, provider: OptimizationProvider): Promise<SolverPool> {
  if (config.solver.provider === 'cbc') return new SolverPool({ delegate: provider });
  const pool = new SolverPool({ poolSize: config.solver.poolSize });
  await pool.start();
  return pool;
}

/**
 * Provides `OptimizationProvider` and `SolverPool` (its workers end at application shutdown);
 * nothing outside this module knows which solver is behind them.
 */
@Module({
  providers: [
    {
      provide: OptimizationProvider,
      inject: [TarnConfig],
      useFactory: (config: TarnConfig) => createOptimizationProvider(config.solver.provider),
    },
    {
      provide: SolverPool,
      inject: [TarnConfig, OptimizationProvider],
      useFactory: createSolverPool,
    },
  ],
  exports: [OptimizationProvider, SolverPool],
})
export class SolverModule {}
