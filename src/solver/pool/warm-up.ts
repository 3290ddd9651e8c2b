import type { SolverRun } from '../../shop/command-interpreter.js';
import { DEFAULT_SETTINGS } from '../../shop/solver-settings.js';
import { cascadeModel } from '../examples/cascade-model.js';
import { optimize } from '../model/hydro-optimizer.js';
import type { OptimizationProvider } from '../providers/optimization-provider.js';

/** The warm-up's cascade: small, but with every part a typical run goes through. */
const WARM_UP_RESERVOIRS = 3;
const WARM_UP_HOURS = 48;

/**
 * One representative optimization, off the request path: a small cascade with binaries, two full
 * iterations (MIP) and one incremental (LP), through a solve sequence as a run's. The first run in
 * a fresh thread is the slow one (WebAssembly and JavaScript are compiled and optimized while it
 * runs), so the pool's workers run this before they take jobs. Throws if it finds no optimum.
 */
export async function warmUpSolver(provider: OptimizationProvider): Promise<void> {
  const model = cascadeModel({ reservoirs: WARM_UP_RESERVOIRS, hours: WARM_UP_HOURS, commands: [] });
  const settings = { ...DEFAULT_SETTINGS, universalMip: true };
  const runs: SolverRun[] = [
    { mode: 'full', iterations: 2, settings },
    { mode: 'incremental', iterations: 1, settings },
  ];
  const sequence = provider.openSequence();
  try {
    const outcome = await optimize(
      model,
      runs,
      (lp, options) => sequence.solve(lp, options),
      () => undefined,
    );
    if (outcome.status !== 'optimal') throw new Error(`the warm-up optimization ended ${outcome.status}`);
  } finally {
    sequence.close();
  }
}
