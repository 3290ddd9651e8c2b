import { Module } from '@nestjs/common';
import { TarnConfig } from '../config/tarn-config.js';
import { CbcProvider, findCbc } from './cbc.provider.js';
import { HighsProvider } from './highs.provider.js';
import { OptimizationProvider } from './optimization-provider.js';

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

/** Provides `OptimizationProvider`; nothing outside this module knows which solver is behind it. */
@Module({
  providers: [
    {
      provide: OptimizationProvider,
      inject: [TarnConfig],
      useFactory: (config: TarnConfig) => createOptimizationProvider(config.solver.provider),
    },
  ],
  exports: [OptimizationProvider],
})
export class SolverModule {}
