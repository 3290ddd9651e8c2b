import { expect, it } from '@jest/globals';
import { describeWithCbc, optimizeWith, shopFixture } from '../../../test/support/solver-runs.js';

// Multi-scenario runs (modelling-2.md §6) on the reference stochastic model (12 scenarios sharing
// the first hour), run as published (start sim 1, incremental, start sim 3) at MIP gap 0.
const RUN = ['set mipgap /absolute 0', 'set mipgap /relative 0', 'start sim 1', 'set code /incremental', 'start sim 3'];

describeWithCbc('HiGHS and CBC agree on a multi-scenario run', (highs, coin) => {
  it('stochastic_from_pyshop.yaml: the same optimum of the first (MIP) iteration; each shares the first hour', async () => {
    const model = () => shopFixture('stochastic_from_pyshop.yaml');
    const [a, b] = [await optimizeWith(highs, model(), RUN), await optimizeWith(coin, model(), RUN)];
    expect(Math.abs(a.iterations[0] - b.iterations[0])).toBeLessThan(1e-6 * Math.abs(a.iterations[0]));
    // Each scenario's prices are flat after the first hour, so its production can move between hours
    // at no cost: the two solvers' equally good first solutions differ, and the incremental
    // iterations linearise at them. The final objectives stay close, not equal.
    expect(Math.abs(a.grandTotal - b.grandTotal)).toBeLessThan(1e-2 * Math.abs(a.grandTotal));
    for (const run of [a, b]) {
      const firstHour = (
        run.outcome.outputs.find((o) => o.objectName === 'Plant2_G1' && o.attribute === 'production')!.value as {
          values: number[][];
        }
      ).values.map((inner) => inner[0]);
      firstHour.forEach((value) => expect(value).toBeCloseTo(firstHour[0], 6));
    }
  }, 180_000);
});
