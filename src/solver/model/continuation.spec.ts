import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { optimizeWith, shopFixture } from '../../../test/support/solver-runs.js';
import { HighsProvider } from '../providers/highs.provider.js';
import { type Continuation, fromStoredContinuation, toStoredContinuation } from './continuation.js';

const BASIC: ShopModelJson = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'),
);

/** tunnel_model.yaml with the continuous gate of tunnel_gate.yaml. */
function tunnelsWithGate(): ShopModelJson {
  const base = shopFixture('tunnel_model.yaml');
  const tunnels = base.model.tunnel as Record<string, Record<string, unknown>>;
  for (const [name, attributes] of Object.entries(shopFixture('tunnel_gate.yaml').model.tunnel ?? {})) {
    tunnels[name] = { ...tunnels[name], ...(attributes as Record<string, unknown>) };
  }
  return base;
}

const FULL = ['start sim 3'];
const INCREMENTAL = ['set code /incremental', 'start sim 3'];
const provider = new HighsProvider();

/** What a session stores between runs: the continuation through JSON, as the database holds it. */
const stored = (continuation: Continuation | undefined) =>
  fromStoredContinuation(JSON.parse(JSON.stringify(toStoredContinuation(continuation!))));

const iterationLines = (log: string[]) => log.filter((line) => line.startsWith('Iteration '));

describe.each([
  ['the basic model', () => BASIC],
  ['a tunnel network with a gate', tunnelsWithGate],
  ['a plant with pumps (basic_pump.yaml)', () => shopFixture('basic_pump.yaml')],
  ['12 scenarios (stochastic_from_pyshop.yaml)', () => shopFixture('stochastic_from_pyshop.yaml')],
])('optimize on %s: [full 3] then, in a run of its own, [incremental 3]', (_, model) => {
  const together = optimizeWith(provider, model(), [...FULL, ...INCREMENTAL]);
  const apart = (async () => {
    const first = await optimizeWith(provider, model(), FULL);
    const second = await optimizeWith(provider, model(), INCREMENTAL, stored(first.outcome.continuation));
    return { first, second };
  })();

  it('gives the objective and the outputs of one run with both', async () => {
    const [one, { second }] = [await together, await apart];
    expect(second.grandTotal).toBeCloseTo(one.grandTotal, 6);
    expect(second.outcome.outputs).toEqual(one.outcome.outputs);
    expect(second.iterations).toEqual(one.iterations.slice(3));
  });

  it('numbers the iterations on (4 to 6, incremental) and counts its own in the outcome', async () => {
    const { first, second } = await apart;
    expect(first.outcome.iterations).toBe(3);
    expect(second.outcome.iterations).toBe(3);
    expect(iterationLines(second.log).map((line) => line.split(':')[0])).toEqual([
      'Iteration 4 (incremental)',
      'Iteration 5 (incremental)',
      'Iteration 6 (incremental)',
    ]);
    expect(second.outcome.continuation).toMatchObject({ iterations: 6, fullIterations: 3 });
  });
});

describe('optimize resuming from a system of another shape', () => {
  /** The basic model over two days instead of three: 48 steps. */
  const shorter = (): ShopModelJson => ({ ...BASIC, time: { ...BASIC.time!, end_time: '2018-01-25T00:00:00Z' } });
  /** The basic model without one of Plant2's generators. */
  const fewerUnits = (): ShopModelJson => {
    const generators = { ...BASIC.model.generator };
    delete generators.Plant2_Generator4;
    return {
      ...BASIC,
      model: { ...BASIC.model, generator: generators },
      connections: BASIC.connections!.filter((c) => c.from !== 'Plant2_Generator4' && c.to !== 'Plant2_Generator4'),
    };
  };

  it.each([
    ['time steps', shorter],
    ['generators', fewerUnits],
  ])('with other %s starts afresh, says so, and solves as a first run would', async (_, changed) => {
    const first = await optimizeWith(provider, BASIC, FULL);
    const resumed = await optimizeWith(provider, changed(), INCREMENTAL, first.outcome.continuation);
    const fresh = await optimizeWith(provider, changed(), INCREMENTAL);
    expect(resumed.log).toContainEqual(
      expect.stringMatching(/^The iterations start afresh: the model's objects, time steps or scenarios changed/),
    );
    expect(fresh.log.some((line) => line.includes('start afresh'))).toBe(false);
    expect(resumed.grandTotal).toBeCloseTo(fresh.grandTotal, 6);
    expect(iterationLines(resumed.log)).toHaveLength(3);
    expect(iterationLines(resumed.log)[0]).toMatch(/^Iteration 1 \(full\)/);
    expect(iterationLines(resumed.log)[1]).toMatch(/^Iteration 2 \(incremental\)/);
    expect(resumed.outcome.continuation).toMatchObject({ iterations: 3, fullIterations: 1 });
  });
});

describe('a stored continuation', () => {
  it('comes back as it was: undefined in arrays, non-finite numbers, lastFull the same solution', async () => {
    const { outcome } = await optimizeWith(provider, tunnelsWithGate(), FULL);
    const continuation = outcome.continuation!;
    continuation.previous.loadShortfall[0] = Infinity;
    continuation.previous.objective = Number.NaN;
    const back = stored(continuation);
    expect(back).toEqual(continuation);
    expect(back.previous.waterways!.gatePosition).toContain(undefined);
    expect(back.lastFull).toBe(back.previous);
    const json = JSON.stringify(toStoredContinuation(continuation));
    expect(json).not.toContain('"lastFull"');
  });

  it("keeps each scenario's solutions of a multi-scenario run, each lastFull its own previous", async () => {
    const { outcome } = await optimizeWith(provider, shopFixture('stochastic_from_pyshop.yaml'), FULL);
    const continuation = outcome.continuation!;
    expect(continuation.scenarios).toHaveLength(11);
    const back = stored(continuation);
    expect(back).toEqual(continuation);
    back.scenarios!.forEach((path, s) => {
      expect(path.lastFull).toBe(path.previous);
      expect(path.previous.storage).toEqual(continuation.scenarios![s].previous.storage);
    });
    expect(JSON.stringify(toStoredContinuation(continuation))).not.toContain('"lastFull"');
  });

  it('starts afresh when the number of scenarios changed', async () => {
    const twelve = await optimizeWith(provider, shopFixture('stochastic_from_pyshop.yaml'), FULL);
    const one = shopFixture('stochastic_from_pyshop.yaml');
    delete one.model.scenario;
    const resumed = await optimizeWith(provider, one, INCREMENTAL, stored(twelve.outcome.continuation));
    expect(resumed.log).toContainEqual(expect.stringMatching(/^The iterations start afresh/));
    expect(resumed.log).toContainEqual(
      expect.stringMatching(/several scenarios, but the model has one scenario object/),
    );
  });
});
