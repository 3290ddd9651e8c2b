import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../../config/config.module.js';
import { ConfigError, loadConfig } from '../../config/tarn-config.js';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { parseCommand } from '../../shop/shop-document.js';
import { Problems } from '../../shop/shop-values.js';
import { findCbc } from '../providers/cbc.provider.js';
import { interpretCommands } from '../../shop/command-interpreter.js';
import { cascadeModel } from '../examples/cascade-model.js';
import { SolverPool } from './solver-pool.js';
import { SolverPoolModule, createSolverPool } from './solver-pool.module.js';

const BASIC: ShopModelJson & { commands: unknown[] } = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'),
);

function runsOf(lines: unknown[]) {
  const problems = new Problems();
  return interpretCommands(lines.map((line, i) => parseCommand(line, `commands[${i}]`, problems)!)).runs;
}

async function withPool<T>(env: Record<string, string>, use: (pool: SolverPool) => Promise<T>): Promise<T> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig([], { TARN_SOLVER_POOL_SIZE: '1', ...env })), SolverPoolModule],
  }).compile();
  try {
    return await use(moduleRef.get(SolverPool));
  } finally {
    await moduleRef.close();
  }
}

const optimizeBasic = (pool: SolverPool) => pool.optimize(BASIC, runsOf(BASIC.commands), () => undefined);

describe('TARN_SOLVER', () => {
  it('defaults to highs and accepts cbc', () => {
    expect(loadConfig([], {}).solver.provider).toBe('highs');
    expect(loadConfig([], { TARN_SOLVER: 'cbc' }).solver.provider).toBe('cbc');
  });

  it('rejects any other value, naming the variable', () => {
    expect(() => loadConfig([], { TARN_SOLVER: 'gurobi' })).toThrow(ConfigError);
    expect(() => loadConfig([], { TARN_SOLVER: 'gurobi' })).toThrow(
      /TARN_SOLVER must be one of the following values: highs, cbc/,
    );
  });
});

describe('SolverPoolModule', () => {
  it('provides a HiGHS pool by default that optimizes the basic model', async () => {
    const { name, result } = await withPool({}, async (pool) => ({
      name: pool.name,
      result: await optimizeBasic(pool),
    }));
    expect(name).toBe('highs');
    expect(result.outcome.status).toBe('optimal');
    expect(result.outcome.objective!.grand_total).toBeLessThan(0);
  });

  it('fails at start-up when TARN_SOLVER=cbc and cbc is not installed', async () => {
    await expect(createSolverPool(loadConfig([], { TARN_SOLVER: 'cbc' }), async () => undefined)).rejects.toThrow(
      'TARN_SOLVER=cbc but the cbc command is not installed (Debian: apt-get install coinor-cbc)',
    );
  });
});

// With cbc installed, TARN_SOLVER=cbc runs CBC in the workers; without it, start-up must fail
// with the installation hint (and the CBC runs did not happen, which the warning says).
const cbc = await findCbc();

describe('SolverPoolModule with TARN_SOLVER=cbc', () => {
  if (cbc !== undefined) {
    it('runs CBC in the workers: the basic model comes out as with HiGHS', async () => {
      const [viaCbc, viaHighs] = [
        await withPool({ TARN_SOLVER: 'cbc' }, async (pool) => {
          expect(pool.name).toBe('cbc');
          await pool.start(); // start-up waited for the solver to load; this, for the warm-up too
          expect(pool.stats()).toMatchObject({ workers: 1, ready: 1, sharedModule: false });
          return optimizeBasic(pool);
        }),
        await withPool({}, optimizeBasic),
      ];
      expect(viaCbc.outcome.status).toBe('optimal');
      expect(viaCbc.solves).toHaveLength(8);
      const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      expect(relative(viaCbc.outcome.objective!.grand_total, viaHighs.outcome.objective!.grand_total)).toBeLessThan(
        1e-6,
      );
    });

    it('stops a running cbc on cancel: the worker sees the flag and answers, without being terminated', async () => {
      const model = cascadeModel({ reservoirs: 10, hours: 168, commands: [] }) as unknown as ShopModelJson;
      // A fallback that cannot come first (the pool's default terminates after 300 ms, which a
      // loaded machine can need to stop cbc): what stops the run is the worker's flag.
      const pool = new SolverPool({ poolSize: 1, cbcCommand: (await findCbc())!, terminateAfterMs: 20_000 });
      try {
        await pool.start();
        const controller = new AbortController();
        // Once the first iteration is solved, during the run (the next cbc solve starts at once).
        const result = await pool.optimize(
          model,
          runsOf(['set universal_mip /on', 'set mipgap /relative 0', 'start sim 30']),
          () => undefined,
          controller.signal,
          () => controller.abort(),
        );
        expect(result.outcome.status).toBe('interrupted');
        expect(result.solves.length).toBeLessThan(30);
        expect(result.message).toBeUndefined(); // the worker answered; it was not terminated
        expect(pool.stats().replaced).toBe(0);
      } finally {
        await pool.close();
      }
    });
  } else {
    it('cannot start without cbc (the CBC runs through Nest did not happen)', async () => {
      console.warn('CBC pool tests did not run: cbc is not installed (Debian: apt-get install coinor-cbc)');
      await expect(withPool({ TARN_SOLVER: 'cbc' }, optimizeBasic)).rejects.toThrow(/cbc command is not installed/);
    });
  }
});
