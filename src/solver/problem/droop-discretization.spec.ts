import { describe, expect, it } from '@jest/globals';
import { discreteDroop, withDiscreteDroops } from './droop-discretization.js';
import type { HydroSystem } from './hydro-system.js';
import { RESERVE_DEFAULTS, type UnitReserveData } from './reserve-types.js';

const range = { min: 1, max: 12 };

describe('discreteDroop: the droop a result below the limit is fixed to', () => {
  it('fixes a result below the limit to the largest integer not above it, without discrete values', () => {
    expect(discreteDroop(4.7, 6, range)).toBe(4);
    expect(discreteDroop(5, 6, range)).toBe(5);
    expect(discreteDroop(1.2, 3, range)).toBe(1);
  });

  it('leaves a result at or above the limit free, and every result when the limit is 0', () => {
    expect(discreteDroop(6, 6, range)).toBeUndefined();
    expect(discreteDroop(7.3, 6, range)).toBeUndefined();
    expect(discreteDroop(4.7, 0, range)).toBeUndefined();
  });

  it('takes the largest discrete_droop_values entry not above the result', () => {
    const values = [2, 2.5, 4, 8];
    expect(discreteDroop(3.9, 6, { ...range, values })).toBe(2.5);
    expect(discreteDroop(4, 6, { ...range, values })).toBe(4);
    expect(discreteDroop(7.9, 9, { ...range, values })).toBe(4);
  });

  it('keeps to [droop_min, droop_max]: legal values outside it do not count', () => {
    // droop_min 3: the integer 2 below 2.8 is out of range, and so is every discrete value at or below it.
    expect(discreteDroop(2.8, 6, { min: 2.5, max: 12 })).toBeUndefined();
    expect(discreteDroop(3.4, 6, { min: 2.5, max: 12 })).toBe(3);
    expect(discreteDroop(3.4, 6, { min: 3, max: 12, values: [1, 2, 2.9] })).toBeUndefined();
    // droop_max 4.5: 5 would exceed it even though the result (below the limit) is above 5.
    expect(discreteDroop(5.5, 9, { min: 1, max: 4.5 })).toBe(4);
    expect(discreteDroop(5.5, 9, { min: 1, max: 4.5, values: [3, 5] })).toBe(3);
  });

  it('stays free when no legal value is at or below the result', () => {
    expect(discreteDroop(1.4, 3, { ...range, values: [1.5, 3, 6] })).toBeUndefined();
  });

  it('counts a result a rounding error below a legal value as that value', () => {
    expect(discreteDroop(3 - 1e-12, 6, range)).toBe(3);
    expect(discreteDroop(2.5 - 1e-12, 6, { ...range, values: [2, 2.5] })).toBe(2.5);
  });
});

describe('withDiscreteDroops: the system the next iteration is built on', () => {
  const unit = (over: Partial<UnitReserveData> = {}): UnitReserveData => ({
    min: {},
    max: {},
    schedule: {},
    cost: {},
    droopMin: [1, 1],
    droopMax: [12, 12],
    pNom: 100,
    ...over,
  });
  const systemWith = (units: UnitReserveData[], limit: number): HydroSystem =>
    ({
      steps: [
        { start: '2026-01-01T00:00:00Z', hours: 1 },
        { start: '2026-01-01T01:00:00Z', hours: 1 },
      ],
      reserves: { ...RESERVE_DEFAULTS, groups: [], units: [units], droopDiscretizationLimit: limit },
    }) as unknown as HydroSystem;

  it('fixes per unit and step the droops below the limit, and leaves the others and units without FCR free', () => {
    const system = systemWith([unit(), unit({ discreteDroopValues: [2, 5] }), unit()], 6);
    // Droop results: unit 0 4.5 and 8; unit 1 5.5 and 2.2; unit 2 offers no FCR.
    const fixed = withDiscreteDroops(system, [
      [
        [1 / 4.5, 1 / 8],
        [1 / 5.5, 1 / 2.2],
        [undefined, undefined],
      ],
    ]);
    const units = fixed.reserves!.units[0];
    expect(units[0].fixedDroop).toEqual([4, undefined]);
    expect(units[1].fixedDroop).toEqual([5, 2]);
    expect(units[2].fixedDroop).toBeUndefined();
  });

  it('keeps a unit’s own fixed_droop, and changes nothing with the limit 0', () => {
    const own = unit({ fixedDroop: [3.3, undefined] });
    const fixed = withDiscreteDroops(systemWith([own], 6), [[[1 / 3.3, 1 / 4.2]]]);
    expect(fixed.reserves!.units[0][0].fixedDroop).toEqual([3.3, 4]);
    const off = systemWith([unit()], 0);
    expect(withDiscreteDroops(off, [[[1 / 4.2, 1 / 4.2]]])).toBe(off);
  });

  it('holds a droop fixed at a smaller limit at a larger one', () => {
    const first = withDiscreteDroops(systemWith([unit()], 3), [[[1 / 2.6, 1 / 2.6]]]);
    expect(first.reserves!.units[0][0].fixedDroop).toEqual([2, 2]);
    const next = withDiscreteDroops(systemWith([unit()], 6), [[[1 / 2, 1 / 2]]]);
    expect(next.reserves!.units[0][0].fixedDroop).toEqual([2, 2]);
  });
});
