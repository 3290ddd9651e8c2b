import { describe, expect, it } from '@jest/globals';
import {
  bestEfficiencyDischarge,
  dPowerDHead,
  generatorEfficiency,
  power,
  powerFromShaft,
  prepareTurbine,
  shaftPower,
  turbineEfficiency,
  turbineEfficiencyDHead,
} from './generator.js';

// Two head curves, linear in Q on [10, 20]: at 100 m 80 -> 90 %, at 200 m 90 -> 94 %.
// At Q = 15: 85 % at 100 m, 92 % at 200 m.
const turbine = prepareTurbine([
  { ref: 200, x: [10, 20], y: [90, 94] },
  { ref: 100, x: [10, 20], y: [80, 90] },
]);
// η_gen: 96 % at 50 MW to 98 % at 100 MW (slope 0.04 %/MW).
const genEff = { x: [50, 100], y: [96, 98] };

describe('prepareTurbine', () => {
  it('sorts curves by head and collects the discharge grid', () => {
    expect(turbine.heads).toEqual([100, 200]);
    const mixed = prepareTurbine([
      { ref: 1, x: [10, 20], y: [1, 2] },
      { ref: 2, x: [12, 20, 25], y: [1, 2, 3] },
    ]);
    expect(mixed.grid).toEqual([10, 12, 20, 25]);
    expect([mixed.qMin, mixed.qMax]).toEqual([10, 25]);
  });

  it('rejects empty lists and duplicate heads', () => {
    expect(() => prepareTurbine([])).toThrow(RangeError);
    expect(() =>
      prepareTurbine([
        { ref: 1, x: [1], y: [1] },
        { ref: 1, x: [1], y: [1] },
      ]),
    ).toThrow('twice');
  });
});

describe('turbineEfficiency', () => {
  it('interpolates in Q within a curve and linearly between heads', () => {
    expect(turbineEfficiency(turbine, 15, 100)).toBeCloseTo(85, 12);
    expect(turbineEfficiency(turbine, 15, 200)).toBeCloseTo(92, 12);
    expect(turbineEfficiency(turbine, 15, 150)).toBeCloseTo(88.5, 12); // (85 + 92)/2
    expect(turbineEfficiency(turbine, 12, 125)).toBeCloseTo(84.2, 12); // 82 + 0.25·(90.8 − 82)
  });

  it('clamps outside the heads and outside the discharges', () => {
    expect(turbineEfficiency(turbine, 15, 50)).toBeCloseTo(85, 12);
    expect(turbineEfficiency(turbine, 15, 250)).toBeCloseTo(92, 12);
    expect(turbineEfficiency(turbine, 5, 150)).toBeCloseTo(85, 12); // (80 + 90)/2
    expect(turbineEfficiency(turbine, 25, 150)).toBeCloseTo(92, 12); // (90 + 94)/2
  });

  it('has ∂η/∂H = (92 − 85)/100 between the heads and 0 outside', () => {
    expect(turbineEfficiencyDHead(turbine, 15, 150)).toBeCloseTo(0.07, 12);
    expect(turbineEfficiencyDHead(turbine, 15, 250)).toBe(0);
  });
});

describe('bestEfficiencyDischarge', () => {
  const peaked = prepareTurbine([{ ref: 100, x: [10, 20, 30], y: [80, 90, 85] }]);

  it('finds the best curve point at a fixed head', () => {
    expect(bestEfficiencyDischarge(peaked, 100)).toEqual({ q: 20, efficiency: 90 });
  });

  it('stays within the given range', () => {
    expect(bestEfficiencyDischarge(peaked, 100, 10, 15)).toEqual({ q: 15, efficiency: 85 });
    expect(bestEfficiencyDischarge(peaked, 100, 22, 30).q).toBe(22);
  });
});

describe('generator efficiency and power', () => {
  it('interpolates η_gen and clamps it; no curve is 100 %', () => {
    expect(generatorEfficiency(genEff, 75)).toBeCloseTo(97, 12);
    expect(generatorEfficiency(genEff, 10)).toBe(96);
    expect(generatorEfficiency(undefined, 10)).toBe(100);
  });

  it('solves P = shaft·η_gen(P)/100 exactly', () => {
    // On [50, 100] η_gen = 94 + 0.04·P, so P = 100·94/(100 − 100·0.04) = 9400/96.
    const p = powerFromShaft(100, genEff);
    expect(p).toBeCloseTo(9400 / 96, 12);
    expect(p).toBeCloseTo((100 * generatorEfficiency(genEff, p)) / 100, 12);
    expect(powerFromShaft(200, genEff)).toBeCloseTo(196, 12); // above 100 MW: 98 %
    expect(powerFromShaft(40, genEff)).toBeCloseTo(38.4, 12); // below 50 MW: 96 %
    expect(powerFromShaft(0, genEff)).toBe(0);
    expect(powerFromShaft(40, undefined)).toBe(40);
  });

  it('computes P(Q, H) = 9.81e-3·Q·H·η_turb/100·η_gen/100', () => {
    // 9.81e-3 · 15 · 150 · 0.885 = 19.5341625 MW at the shaft.
    expect(shaftPower(turbine, 15, 150)).toBeCloseTo(19.5341625, 10);
    expect(power({ turbine }, 15, 150)).toBeCloseTo(19.5341625, 10);
    expect(power({ turbine, genEff }, 15, 150)).toBeCloseTo(19.5341625 * 0.96, 10);
    expect(power({ turbine }, 0, 150)).toBe(0);
    expect(power({ turbine }, 15, -1)).toBe(0);
  });
});

describe('dPowerDHead', () => {
  it('is 9.81e-3·Q·(η + H·∂η/∂H)/100 without a generator curve', () => {
    // 9.81e-3 · 15 · (88.5 + 150·0.07)/100 = 0.14715 · 0.99 = 0.1456785
    expect(dPowerDHead({ turbine }, 15, 150)).toBeCloseTo(0.1456785, 10);
  });

  it('matches a central finite difference, also with a sloped η_gen', () => {
    const sloped = { turbine, genEff: { x: [0, 100], y: [90, 100] } };
    for (const [q, h] of [
      [15, 150],
      [12.5, 130],
      [18, 260],
    ]) {
      const step = 1e-4;
      const fd = (power(sloped, q, h + step) - power(sloped, q, h - step)) / (2 * step);
      expect(dPowerDHead(sloped, q, h)).toBeCloseTo(fd, 7);
    }
  });
});
