import { describe, expect, it } from '@jest/globals';
import { aloneLosses, grossHead, headLoss, mainLossOf, netHead, penstockLossOf, plantUnitLosses } from './plant.js';

describe('grossHead', () => {
  it('subtracts the outlet line, or the downstream level when that is higher', () => {
    expect(grossHead(900, 672, 670)).toBe(228); // basic model Plant1 at start levels
    expect(grossHead(900, 672, 680)).toBe(220);
    expect(grossHead(670, 586)).toBe(84);
  });
});

describe('netHead', () => {
  it('subtracts penstock_loss·(n_k·Q)² and main_loss·(n_plant·Q)²', () => {
    // Q = 10, 2 units on the penstock, 3 in the plant: 0.001·20² + 0.0005·30² = 0.4 + 0.45.
    const losses = { penstockLoss: 0.001, mainLoss: 0.0005, unitsOnPenstock: 2, unitsInPlant: 3 };
    expect(headLoss(losses, 10)).toBeCloseTo(0.85, 12);
    expect(netHead(100, losses, 10)).toBeCloseTo(99.15, 12);
  });

  it('has the ECF loss (main + penstock)·Q² for a unit alone', () => {
    expect(netHead(228, aloneLosses(0.001, 0), 51.43)).toBeCloseTo(228 - 0.001 * 51.43 ** 2, 12);
  });
});

describe('loss attributes', () => {
  it('reads penstock_loss by 1-based penstock and main_loss as one value', () => {
    expect(penstockLossOf([0.0001, 0.0002], 2)).toBe(0.0002);
    expect(penstockLossOf([0.0001, 0.0002])).toBe(0.0001);
    expect(penstockLossOf([0.0001], 3)).toBe(0);
    expect(penstockLossOf(undefined)).toBe(0);
    expect(mainLossOf([0.0003])).toBe(0.0003);
    expect(mainLossOf(0.5)).toBe(0.5);
    expect(mainLossOf(undefined)).toBe(0);
  });

  it('counts all units per penstock and plant (full iterations)', () => {
    // basic model Plant2: Generator1 alone on penstock 1, Generators 2–4 on penstock 2.
    const losses = plantUnitLosses([1, 2, 2, 2], [0.0001, 0.0002], [0]);
    expect(losses[0]).toEqual({ penstockLoss: 0.0001, mainLoss: 0, unitsOnPenstock: 1, unitsInPlant: 4 });
    expect(losses[3]).toEqual({ penstockLoss: 0.0002, mainLoss: 0, unitsOnPenstock: 3, unitsInPlant: 4 });
  });

  it('counts the committed units only (incremental iterations)', () => {
    const losses = plantUnitLosses([1, 2, 2, 2], [0.0001, 0.0002], [0], [true, true, false, false]);
    expect(losses.map((l) => [l.unitsOnPenstock, l.unitsInPlant])).toEqual([
      [1, 2],
      [1, 2],
      [2, 3], // not committed: as if it ran alongside the committed ones
      [2, 3],
    ]);
  });
});
