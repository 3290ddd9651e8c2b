import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from '../highs.provider.js';
import type { HydroSystem } from './hydro-system.js';
import { buildIterationProblem, type IterationInput, MM3_PER_M3S_HOUR, type UnitCurve } from './iteration-problem.js';

/** One reservoir (5 Mm3 at the start, no inflow), one plant to the sea, one generator, two hours. */
function tinySystem(): HydroSystem {
  return {
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

  it('names rows and columns in SHOP terms', () => {
    const { builder } = buildIterationProblem(input());
    expect(builder.columnName(0)).toBe('reservoir.R.storage[0]');
    const rows = [...Array(builder.numRows).keys()].map((i) => builder.rowName(i));
    expect(rows).toContain('reservoir.R.balance[1]');
    expect(rows).toContain('market.balance[0]');
  });
});
