import { describe, expect, it } from '@jest/globals';
import { interpretCommands } from '../../src/shop/command-interpreter.js';
import { parseCommand } from '../../src/shop/shop-document.js';
import type { ShopModelJson } from '../../src/shop/shop-json.js';
import { Problems } from '../../src/shop/shop-values.js';
import { yamlToShopJson } from '../../src/shop/shop-yaml.js';
import { type Continuation, optimize, type OptimizationOutcome } from '../../src/solver/model/hydro-optimizer.js';
import { CbcProvider, findCbc } from '../../src/solver/providers/cbc.provider.js';
import { HighsProvider } from '../../src/solver/providers/highs.provider.js';
import type { OptimizationProvider } from '../../src/solver/providers/optimization-provider.js';
import { fixture } from './shop-models.js';

/** A SHOP YAML file of test/fixtures as SHOP JSON, its commands included. */
export const shopFixture = (name: string) => yamlToShopJson(fixture(name)) as ShopModelJson & { commands?: unknown[] };

export interface OptimizedWith {
  outcome: OptimizationOutcome;
  grandTotal: number;
  /** Each iteration's LP objective, in order. */
  iterations: number[];
  /** The session log's messages. */
  log: string[];
}

/** `optimize` with one provider, without the server (going on from `resume`); the run must end optimal. */
export async function optimizeWith(
  provider: OptimizationProvider,
  model: ShopModelJson,
  commands: readonly unknown[],
  resume?: Continuation,
): Promise<OptimizedWith> {
  const problems = new Problems();
  const { runs } = interpretCommands(commands.map((line, i) => parseCommand(line, `commands[${i}]`, problems)!));
  const iterations: number[] = [];
  const log: string[] = [];
  const outcome = await optimize(
    model,
    runs,
    async (lp, options) => {
      const result = await provider.solve(lp, options);
      iterations.push(result.objective);
      return result;
    },
    (_, message) => log.push(message),
    resume,
  );
  expect(outcome.status).toBe('optimal');
  return { outcome, grandTotal: outcome.objective!.grand_total, iterations, log };
}

const CBC = await findCbc();

/**
 * A suite comparing HiGHS with CBC. Where the cbc command is missing the suite holds one test
 * that checks it really is missing and warns that the comparison did not run (no skipped tests).
 */
export function describeWithCbc(title: string, body: (highs: HighsProvider, cbc: CbcProvider) => void): void {
  describe(title, () => {
    if (CBC === undefined) {
      it('did not run: cbc is not installed (Debian: apt-get install coinor-cbc)', async () => {
        await expect(findCbc()).resolves.toBeUndefined();
        console.warn(`${title}: did not run, cbc is not installed (Debian: apt-get install coinor-cbc)`);
      });
      return;
    }
    body(new HighsProvider(), new CbcProvider(CBC));
  });
}

/**
 * SHOP YAML fixtures applied in turn as PUT /model applies them: a later document's attributes
 * replace an object's, new objects are added, connections appended, commands replaced.
 */
export function withAddOns(base: string, ...addOns: string[]): ShopModelJson & { commands?: unknown[] } {
  const model = shopFixture(base);
  for (const name of addOns) {
    const addOn = shopFixture(name);
    for (const [type, objects] of Object.entries(addOn.model)) {
      const into = (model.model[type] ??= {}) as Record<string, Record<string, unknown>>;
      for (const [object, attributes] of Object.entries(objects ?? {})) {
        into[object] = { ...(into[object] ?? {}), ...(attributes as Record<string, unknown>) };
      }
    }
    model.connections = [...(model.connections ?? []), ...(addOn.connections ?? [])];
    if (addOn.commands) model.commands = addOn.commands;
  }
  return model;
}
