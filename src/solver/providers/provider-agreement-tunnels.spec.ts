import { expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import type { OptimizationProvider } from './optimization-provider.js';
import { describeWithCbc, optimizeWith, shopFixture } from '../../../test/support/solver-runs.js';

// HiGHS and CBC on a small tunnel network (tunnel_model.yaml, then with its continuous gate).
const fixture = (name: string): ShopModelJson => shopFixture(name);

function withGate(): ShopModelJson {
  const base = fixture('tunnel_model.yaml');
  const gate = fixture('tunnel_gate.yaml');
  const tunnels = base.model.tunnel as Record<string, Record<string, unknown>>;
  for (const [name, attributes] of Object.entries(gate.model.tunnel ?? {})) {
    tunnels[name] = { ...tunnels[name], ...(attributes as Record<string, unknown>) };
  }
  return base;
}

const COMMANDS = ['start sim 3', 'set code /incremental', 'start sim 3'];

const run = (model: ShopModelJson, provider: OptimizationProvider) => optimizeWith(provider, model, COMMANDS);

describeWithCbc('HiGHS and CBC agree on a small tunnel network', (highs, coin) => {
  it.each([
    ['tunnel_model.yaml', () => fixture('tunnel_model.yaml')],
    ['tunnel_model.yaml with tunnel_gate.yaml', withGate],
  ])('%s: the same first iteration and the same result', async (_, model) => {
    const [a, b] = [await run(model(), highs), await run(model(), coin)];
    expect(b.iterations).toHaveLength(6);
    expect(Math.abs(b.iterations[0] - a.iterations[0])).toBeLessThan(1e-6 * Math.abs(a.iterations[0]));
    // The iterations between may differ: the first has alternative optima (the three reservoirs'
    // water is worth the same, so how much the gate throttles is free until head optimization
    // prices it from the third iteration on), and each provider linearises at its own answer.
    expect(Math.abs(b.grandTotal - a.grandTotal)).toBeLessThan(1e-6 * Math.abs(a.grandTotal));
  });
});
