import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from '../providers/highs.provider.js';
import { type HydroSystem, SHOP_GLOBAL_SETTINGS } from './hydro-system.js';
import { buildIterationProblem, type IterationInput, MM3_PER_M3S_HOUR, type UnitCurve } from './iteration-problem.js';

/** One reservoir (5 Mm3 at the start, no inflow), one plant to the sea, one generator, two hours. */
function tinySystem(): HydroSystem {
  return {
    globalSettings: { ...SHOP_GLOBAL_SETTINGS },
    steps: [
      { start: '2026-01-01T00:00:00Z', hours: 1 },
      { start: '2026-01-01T01:00:00Z', hours: 1 },
    ],
    reservoirs: [
      {
        name: 'R',
        maxVol: 10,
        lrl: 0,
        hrl: 10,
        volHead: { ref: 0, x: [0, 10], y: [0, 10] },
        startVol: 5,
        inflow: [0, 0],
        energyValueInput: 0,
      },
    ],
    plants: [
      {
        name: 'P',
        upstream: 'R',
        from: { type: 'reservoir', name: 'R' },
        outletLine: 0,
        mainLoss: 0,
        penstockLoss: [0],
        timeDelay: 0,
        mipFlag: [0, 0],
        generators: [{ name: 'G', penstock: 1, pMin: 0, pMax: 100, pNom: 100, turbEff: [], startcost: [50, 50] }],
      },
    ],
    gates: [],
    markets: [
      { name: 'M', salePrice: [10, 20], buyPrice: [100, 100], maxSale: [1000, 1000], maxBuy: [0, 0], load: [0, 0] },
    ],
  };
}

const relaxed: UnitCurve = { qMin: 0, pAtQmin: 0, segments: [{ length: 100, slope: 1 }] };

function input(overrides: Partial<IterationInput> = {}): IterationInput {
  return {
    system: tinySystem(),
    startVolumes: [5],
    curves: [[[relaxed, relaxed]]],
    binaries: [[false, false]],
    waterValues: [0],
    spillCost: 0.01,
    bypassCost: 0.01,
    overflowCost: 1000,
    ...overrides,
  };
}

async function solve(problemInput: IterationInput) {
  const problem = buildIterationProblem(problemInput);
  const result = await new HighsProvider().solve(problem.lp, {});
  expect(result.status).toBe('optimal');
  const value = (column: number) => result.colValue[column];
  return { problem, result, value };
}

describe('buildIterationProblem', () => {
  it('without a water value, sells the full capacity in both hours', async () => {
    const { result, value, problem } = await solve(input());
    // 100 MW in each hour: 100·10 + 100·20 = 3000 of sales.
    expect(result.objective).toBeCloseTo(-3000, 6);
    // Storage falls by 100 m3/s · 1 h · 0.0036 = 0.36 Mm3 per hour: 4.64, then 4.28.
    expect(value(problem.index.storage[0][0])).toBeCloseTo(4.64, 9);
    expect(value(problem.index.storage[0][1])).toBeCloseTo(4.28, 9);
    expect(value(problem.index.sale[0][1])).toBeCloseTo(100, 9);
  });

  it('keeps water worth more than the first hour’s price: WV 5000/Mm3 makes an m3/s-hour worth 18', async () => {
    const { result, value, problem } = await solve(input({ waterValues: [5000] }));
    // Hour 1: 10 < 18, keep the water. Hour 2: 20 > 18, produce 100 MW.
    expect(value(problem.index.unitDischarge[0][0][0])).toBeCloseTo(0, 9);
    expect(value(problem.index.unitDischarge[0][0][1])).toBeCloseTo(100, 9);
    // -2000 of sales - 5000 · (5 - 0.36) of end value.
    expect(result.objective).toBeCloseTo(-2000 - 5000 * (5 - 100 * MM3_PER_M3S_HOUR), 6);
  });

  it('keeps the water balance of every reservoir and step', async () => {
    const { value, problem } = await solve(input({ waterValues: [5000] }));
    const v = problem.index.storage[0].map(value);
    const q = problem.index.unitDischarge[0][0].map(value);
    expect(v[0] - 5).toBeCloseTo(-MM3_PER_M3S_HOUR * q[0], 12);
    expect(v[1] - v[0]).toBeCloseTo(-MM3_PER_M3S_HOUR * q[1], 12);
  });

  it('with binaries, runs from Q_min and pays a start after the first step', async () => {
    const curve: UnitCurve = { qMin: 20, pAtQmin: 15, segments: [{ length: 80, slope: 1 }] };
    // Hour 1 off (price 1 does not pay for the water at WV 5000 -> 18 per m3/s-hour), hour 2 on:
    // sales 95 MW · 20 = 1900, start 50, water used 100 m3/s · 0.0036.
    const system = tinySystem();
    system.markets[0].salePrice = [1, 20];
    const { result, value, problem } = await solve(
      input({ system, curves: [[[curve, curve]]], binaries: [[true, true]], waterValues: [5000] }),
    );
    expect(value(problem.index.unitOn[0][0][0]!)).toBeCloseTo(0, 9);
    expect(value(problem.index.unitOn[0][0][1]!)).toBeCloseTo(1, 9);
    expect(value(problem.index.unitPower[0][0][1])).toBeCloseTo(95, 9);
    expect(value(problem.index.startups[0][0][1]!)).toBeCloseTo(1, 9);
    expect(result.objective).toBeCloseTo(-1900 + 50 - 5000 * (5 - 100 * MM3_PER_M3S_HOUR), 6);
  });

  it('a fixed commitment keeps a unit off', async () => {
    const { value, problem } = await solve(input({ fixedCommitment: [[[0, 1]]] }));
    expect(value(problem.index.unitPower[0][0][0])).toBeCloseTo(0, 9);
    expect(value(problem.index.unitPower[0][0][1])).toBeCloseTo(100, 9);
  });

  describe('storage limits', () => {
    const limit = (volume: number, penalty?: number) => ({
      reservoir: 0,
      step: 1,
      kind: 'min' as const,
      volume,
      attribute: 'min_vol_constr',
      penalty,
    });

    it('a reachable soft minimum binds: 0.5 Mm3 may be released, the dear hour first', async () => {
      const { result, value, problem } = await solve(input({ storageLimits: [limit(4.5, 1e6)] }));
      // 0.5 Mm3 = 138.89 m3/s for an hour: 100 in hour 2 (price 20), 38.89 in hour 1 (price 10).
      expect(value(problem.index.storage[0][1])).toBeCloseTo(4.5, 9);
      expect(value(problem.index.unitDischarge[0][0][0])).toBeCloseTo(0.5 / MM3_PER_M3S_HOUR - 100, 6);
      expect(value(problem.index.limitViolation[0]!)).toBeCloseTo(0, 9);
      expect(result.objective).toBeCloseTo(-((0.5 / MM3_PER_M3S_HOUR - 100) * 10 + 100 * 20), 6);
    });

    it('an unreachable soft minimum costs its penalty per Mm3 short, and no water is sold', async () => {
      // 6 Mm3 after hour 2 from 5 without inflow: 1 Mm3 short at best; selling more costs 3600 per m3/s-hour.
      const { result, value, problem } = await solve(input({ storageLimits: [limit(6, 1e6)] }));
      expect(value(problem.index.limitViolation[0]!)).toBeCloseTo(1, 9);
      expect(result.objective).toBeCloseTo(1e6, 4);
    });

    it('a hard one makes the problem infeasible, in a row named after the attribute', async () => {
      const problem = buildIterationProblem(input({ storageLimits: [limit(6)] }));
      expect(problem.index.limitViolation).toEqual([undefined]);
      expect(problem.lp.rowNames).toContain('reservoir.R.min_vol_constr[1]');
      expect((await new HighsProvider().solve(problem.lp, {})).status).toBe('infeasible');
    });
  });

  describe('load', () => {
    const system = () => {
      const s = tinySystem();
      s.markets[0].load = [150, 0];
      return s;
    };

    it('soft: the 50 MW that 100 MW of capacity cannot serve cost the load penalty', async () => {
      const { result, value, problem } = await solve(input({ system: system(), loadPenalty: 5000 }));
      expect(value(problem.index.loadShortfall[0]!)).toBeCloseTo(50, 9);
      expect(problem.index.loadShortfall[1]).toBeUndefined(); // no load, no slack
      // 50 MW · 1 h · 5000 - 100 MW · 20 sold in hour 2.
      expect(result.objective).toBeCloseTo(50 * 5000 - 100 * 20, 6);
    });

    it('hard: infeasible', async () => {
      const problem = buildIterationProblem(input({ system: system() }));
      expect((await new HighsProvider().solve(problem.lp, {})).status).toBe('infeasible');
    });
  });

  it('head terms add k·(V[t-1] − V⁰) to the power of step t', async () => {
    // k = 1000 MW/Mm3 around V⁰ = 4.64: holding back 1 m3/s in hour 1 adds 3.6 MW in hour 2
    // (worth 72 > 10), so all water waits: V[0] = 5, hour 2 sells 100 + 1000·0.36 = 460 MW.
    const { result, value, problem } = await solve(
      input({ headTerms: [{ step: 1, reservoir: 0, coefficient: 1000, reference: 4.64 }] }),
    );
    expect(value(problem.index.storage[0][0])).toBeCloseTo(5, 9);
    expect(value(problem.index.sale[0][1])).toBeCloseTo(460, 6);
    expect(result.objective).toBeCloseTo(-460 * 20, 6);
  });

  it('names rows and columns in SHOP terms', () => {
    const { lp } = buildIterationProblem(input());
    expect(lp.colNames![0]).toBe('reservoir.R.storage[0]');
    const rows = [...lp.rowNames!];
    expect(rows).toContain('reservoir.R.balance[1]');
    expect(rows).toContain('market.balance[0]');
  });
});
