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

  it(
    '+ smooth_reserve.yaml (1 MW minimums, ramping cost 5): the same objective and ramping cost',
    async () => {
      const model = () => withAddOns('reserve_capacity_model.yaml', 'reserve_obligation.yaml', 'smooth_reserve.yaml');
      // The base model's MIP gap 0 (its commands), then smooth_reserve's, then the run.
      const base = withAddOns('reserve_capacity_model.yaml').commands ?? [];
      const commands = [...base, ...((model().commands ?? []) as string[]), ...RUN];
      const [a, b] = [await optimizeWith(highs, model(), commands), await optimizeWith(coin, model(), commands)];
      expect(Math.abs(a.grandTotal - b.grandTotal)).toBeLessThan(1e-6 * Math.abs(a.grandTotal));
      const ramping = [a, b].map((x) => x.outcome.objective!.reserve_ramping_cost!);
      expect(ramping[0]).toBeGreaterThan(0);
      expect(Math.abs(ramping[0] - ramping[1])).toBeLessThan(1e-3);
    },
    // Two runs of eight iterations with minimum deliveries at gap 0 (about 40 s and 25 s here).
    240_000,
  );
});
