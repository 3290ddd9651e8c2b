import { expect, it } from '@jest/globals';
import { describeWithCbc, optimizeWith, withAddOns } from '../../../test/support/solver-runs.js';

// End values (modelling-2.md §5) on the reference water-value model with each of its add-ons, and
// on the cut model with standard and price-dependent cuts, run as SHOP published them (MIP gap 0):
// HiGHS and CBC reach the same objective.
const RUN = ['set mipgap /absolute 0', 'set mipgap /relative 0', 'start sim 3', 'set code /incremental', 'start sim 3'];

describeWithCbc('HiGHS and CBC agree on end values', (highs, coin) => {
  it.each([
    ['energy values through a gate', 'water_values_constant_energy_values.yaml'],
    ['energy values mixed with a constant water value', 'water_values_constant_mixed_values.yaml'],
    ['water-value tables', 'water_values_water_value_tables.yaml'],
  ])(
    '%s: the same objective',
    async (_, addOn) => {
      const model = () => withAddOns('water_values_model.yaml', addOn);
      const [a, b] = [await optimizeWith(highs, model(), RUN), await optimizeWith(coin, model(), RUN)];
      expect(Math.abs(a.grandTotal - b.grandTotal)).toBeLessThan(1e-6 * Math.abs(a.grandTotal));
      // Two runs of six MIP iterations at gap 0 on a shared machine.
    },
    180_000,
  );

  const CUTS_RUN = [
    'set mipgap /absolute 0',
    'set mipgap /relative 0',
    'start sim 5',
    'set code /incremental',
    'start sim 3',
  ];
  it.each([
    ['standard cuts', 'standard_cuts.yaml'],
    ['price-dependent cuts', 'price_dep_cuts.yaml'],
  ])(
    '%s: the same objective and future income',
    async (_, addOn) => {
      const model = () => withAddOns('cuts_model.yaml', addOn);
      const [a, b] = [await optimizeWith(highs, model(), CUTS_RUN), await optimizeWith(coin, model(), CUTS_RUN)];
      expect(Math.abs(a.grandTotal - b.grandTotal)).toBeLessThan(1e-6 * Math.abs(a.grandTotal));
      const endValue = (x: typeof a) => x.outcome.objective!.rsv_end_value;
      expect(Math.abs(endValue(a) - endValue(b))).toBeLessThan(1e-6 * Math.abs(endValue(a)));
    },
    180_000,
  );
});
