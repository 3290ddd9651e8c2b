import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { unitOf } from './cascade.js';
import { power, prepareTurbine } from './generator.js';
import { dPdH, headCoefficients, plantDPowerDHead } from './head-optimization.js';
import { dLevelDVolume, levelFromVolume } from './reservoir.js';

const basic = JSON.parse(readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'));

// Curves at 100 m (80 -> 90 % on Q 10..20) and 200 m (90 -> 94 %): at Q = 15, H = 150: η = 88.5, ∂η/∂H = 0.07,
// so ∂P/∂H = 9.81e-3 · 15 · (88.5 + 150·0.07)/100 = 0.1456785 MW/m.
const unit = {
  turbine: prepareTurbine([
    { ref: 100, x: [10, 20], y: [80, 90] },
    { ref: 200, x: [10, 20], y: [90, 94] },
  ]),
};

describe('dPdH', () => {
  it('matches a central finite difference on Plant1_Generator1 of the basic model', () => {
    const generator = unitOf(basic.model.generator.Plant1_Generator1);
    for (const [q, h] of [
      [45.3, 215.7],
      [33.1, 180.2],
      [57, 225],
    ]) {
      const step = 1e-4;
      const fd = (power(generator, q, h + step) - power(generator, q, h - step)) / (2 * step);
      expect(dPdH(generator, q, h)).toBeCloseTo(fd, 7);
    }
  });

  it('is the hand value on a tiny unit', () => {
    expect(dPdH(unit, 15, 150)).toBeCloseTo(0.1456785, 10);
  });
});

describe('headCoefficients', () => {
  // vol_head slope 2 m per Mm3 upstream, 0.5 downstream.
  const up = { x: [0, 10], y: [100, 120] };
  const down = { x: [0, 10], y: [50, 55] };
  const units = [
    { unit, q: 15, head: 150 },
    { unit, q: 0, head: 150 }, // did not run: left out
  ];

  it('sums ∂P/∂H over running units times d(level)/dV', () => {
    expect(plantDPowerDHead(units)).toBeCloseTo(0.1456785, 10);
    const k = headCoefficients(units, up, 4, { volHead: down, volume: 3, setsTailwater: true });
    expect(k.upstream).toBeCloseTo(0.291357, 10); // 0.1456785 · 2
    expect(k.downstream).toBeCloseTo(0.07283925, 10); // 0.1456785 · 0.5
    expect(headCoefficients(units, up, 4, { volHead: down, volume: 3, setsTailwater: false }).downstream).toBe(0);
  });

  it('predicts the power change of a small storage change (first order)', () => {
    // Basic Reservoir1 at 32.77 Mm3 (900 m), Plant1_Generator1 at 50 m3/s, tailwater 672, penstock loss 0.001.
    const volHead = basic.model.reservoir.Reservoir1.vol_head;
    const generator = unitOf(basic.model.generator.Plant1_Generator1);
    const headAt = (v: number) => levelFromVolume(volHead, v) - 672 - 0.001 * 50 * 50;
    const k = headCoefficients([{ unit: generator, q: 50, head: headAt(32.77) }], volHead, 32.77).upstream;
    const dv = 0.01;
    const actual = power(generator, 50, headAt(32.77 + dv)) - power(generator, 50, headAt(32.77));
    expect(k * dv).toBeCloseTo(actual, 6);
    expect(k).toBeCloseTo(dPdH(generator, 50, headAt(32.77)) * dLevelDVolume(volHead, 32.77), 12);
  });
});
