import type { SolverRun } from '../../shop/command-interpreter.js';
import { DEFAULT_SETTINGS } from '../../shop/solver-settings.js';
import { cascadeModel } from '../examples/cascade-model.js';
import { optimize } from '../model/hydro-optimizer.js';
import type { OptimizationProvider } from '../providers/optimization-provider.js';

/** The warm-up's cascade: small, but with every part a typical run goes through. */
const WARM_UP_RESERVOIRS = 3;
const WARM_UP_HOURS = 48;

/**
 * Representative optimizations, off the request path: a small cascade with binaries (two full
 * iterations, MIP, and an incremental one, LP), the same without binaries (LPs, solved warm from
 * one another), then one with pumps, a tunnel and a delayed river (LPs, solved cold), each
 * through a solve sequence as a run's. The first runs in a fresh thread are the slow
 * ones (WebAssembly and JavaScript are compiled and optimized while they run), so the pool's
 * workers run these before they take jobs. Throws if one finds no optimum.
 */
export async function warmUpSolver(provider: OptimizationProvider): Promise<void> {
  const settings = { ...DEFAULT_SETTINGS };
  const cases: Array<{ waterways: boolean; runs: SolverRun[]; times?: number }> = [
    {
      waterways: false,
      runs: [
        { mode: 'full', iterations: 2, settings: { ...settings, universalMip: true } },
        { mode: 'incremental', iterations: 1, settings: { ...settings, universalMip: true } },
      ],
    },
    {
      // A run of LPs as most are: each iteration changes the last one's model in place (warm).
      // V8 optimizes code as it keeps running: a thread's third run is about as fast as later ones.
      waterways: false,
      runs: [
        { mode: 'full', iterations: 3, settings },
        { mode: 'incremental', iterations: 2, settings },
      ],
      times: 3,
    },
    {
      waterways: true,
      runs: [
        { mode: 'full', iterations: 2, settings },
        { mode: 'incremental', iterations: 2, settings },
      ],
    },
  ];
  const repeated = cases.flatMap((warmUpCase) => Array.from({ length: warmUpCase.times ?? 1 }, () => warmUpCase));
  for (const { waterways, runs } of repeated) {
    const model = cascadeModel({ reservoirs: WARM_UP_RESERVOIRS, hours: WARM_UP_HOURS, waterways, commands: [] });
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
}
