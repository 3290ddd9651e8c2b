import { expect, it } from '@jest/globals';
import { describeWithCbc, optimizeWith, withAddOns } from '../../../test/support/solver-runs.js';

// Reserve capacity (modelling-2.md §4) on the reference reserve model with its obligations, run
// as SHOP published it (the model's MIP gap 0, then 3 full and 5 incremental iterations):
// HiGHS and CBC reach the same objective and the same reserve costs.
const RUN = ['start sim 3', 'set code /incremental', 'start sim 5'];

describeWithCbc('HiGHS and CBC agree on reserve capacity', (highs, coin) => {
  it(
    'reserve_capacity_model.yaml + reserve_obligation.yaml: the same objective, no violation',
    async () => {
      const model = () => withAddOns('reserve_capacity_model.yaml', 'reserve_obligation.yaml');
      const commands = [...((model().commands ?? []) as string[]), ...RUN];
      const [a, b] = [await optimizeWith(highs, model(), commands), await optimizeWith(coin, model(), commands)];
      expect(Math.abs(a.grandTotal - b.grandTotal)).toBeLessThan(1e-6 * Math.abs(a.grandTotal));
      for (const x of [a, b]) expect(x.outcome.objective!.reserve_violation_penalty).toBeLessThan(1e-6);
    },
    // Two runs of eight MIP iterations at gap 0 on a shared machine.
    180_000,
  );
});
