import { readFileSync } from 'node:fs';
import { expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import type { OptimizationProvider } from './optimization-provider.js';
import { describeWithCbc, optimizeWith } from '../../../test/support/solver-runs.js';
import { yamlToShopJson } from '../../shop/shop-yaml.js';

// HiGHS and CBC on the reference basic model: the same objective within the MIP gap.
const BASIC: ShopModelJson & { commands: unknown[] } = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'),
);

// A small pump model: basic_pump.yaml (one generator and one fixed-speed pump in one plant), its
// prices raised by 0.01 each hour so that each LP has one optimum (with flat prices which hours
// pump or generate a little less is the solver's choice, and the iterations part ways).
const hourly = (price: (hour: number) => number) =>
  Array.from(
    { length: 24 },
    (_, h) => `        2018-02-27 ${String(h).padStart(2, '0')}:00:00: ${price(h).toFixed(2)}\n`,
  ).join('');
const PUMP = yamlToShopJson(
  readFileSync(new URL('../../../test/fixtures/basic_pump.yaml', import.meta.url), 'utf8')
    .replace(
      '        2018-02-27 00:00:00: 20.01\n        2018-02-27 06:00:00: 40.01\n',
      hourly((h) => (h < 6 ? 20.01 : 40.01) + 0.01 * h),
    )
    .replace(
      '        2018-02-27 00:00:00: 19.99\n        2018-02-27 06:00:00: 39.99\n',
      hourly((h) => (h < 6 ? 19.99 : 39.99) + 0.01 * h),
    ),
) as ShopModelJson & { commands: unknown[] };

const run = (provider: OptimizationProvider, commands: unknown[], model: ShopModelJson = BASIC) =>
  optimizeWith(provider, model, commands);

describeWithCbc('HiGHS and CBC agree on the basic model', (highs, coin) => {
  // SHOP's default relative MIP gap, which both are given.
  const gap = 1e-4;

  it('with its commands (LP iterations): the same objective in every iteration and in the result', async () => {
    const [a, b] = [await run(highs, BASIC.commands), await run(coin, BASIC.commands)];
    expect(b.iterations).toHaveLength(8);
    b.iterations.forEach((objective, i) =>
      expect(Math.abs(objective - a.iterations[i])).toBeLessThan(1e-6 * Math.abs(objective)),
    );
    expect(Math.abs(b.grandTotal - a.grandTotal)).toBeLessThan(1e-6 * Math.abs(a.grandTotal));
  });

  it('with set universal_mip /on (MILP full iterations): each full iteration within the MIP gap', async () => {
    const commands = ['set universal_mip /on', ...BASIC.commands];
    const [a, b] = [await run(highs, commands), await run(coin, commands)];
    // The first five are the MILPs; after the first, each is linearised at its own previous
    // answer, and two answers within the gap may differ, so the bound widens with each.
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(b.iterations[i] - a.iterations[i])).toBeLessThanOrEqual(
        2 * (i + 1) * gap * Math.abs(a.iterations[i]),
      );
    }
    // Incremental iterations keep each provider's own commitments: within a few gaps.
    expect(Math.abs(b.grandTotal - a.grandTotal)).toBeLessThan(5 * gap * Math.abs(a.grandTotal));
  });
});

describeWithCbc('HiGHS and CBC agree on the pump model', (highs, coin) => {
  it('with its commands (LP iterations): the same objective in every iteration and in the result', async () => {
    expect((PUMP.model.market.Day_Ahead.buy_price as { values: number[][] }).values[0]).toHaveLength(24);
    const [a, b] = [await run(highs, PUMP.commands, PUMP), await run(coin, PUMP.commands, PUMP)];
    expect(b.iterations).toHaveLength(6);
    b.iterations.forEach((objective, i) =>
      expect(Math.abs(objective - a.iterations[i])).toBeLessThan(1e-6 * Math.abs(objective)),
    );
    expect(Math.abs(b.grandTotal - a.grandTotal)).toBeLessThan(1e-6 * Math.abs(a.grandTotal));
  });

  it('with set universal_mip /on (binary pump and generator): the same result within the MIP gap', async () => {
    const commands = ['set universal_mip /on', ...PUMP.commands];
    const [a, b] = [await run(highs, commands, PUMP), await run(coin, commands, PUMP)];
    expect(Math.abs(b.iterations[0] - a.iterations[0])).toBeLessThanOrEqual(2e-4 * Math.abs(a.iterations[0]));
    expect(Math.abs(b.grandTotal - a.grandTotal)).toBeLessThan(5e-4 * Math.abs(a.grandTotal));
  });
});
