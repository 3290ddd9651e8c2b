import { describe, expect, it } from '@jest/globals';
import { WEIR_COEFFICIENT, weirFlow, weirTangent } from './weir.js';

describe('tunnel entrance weir', () => {
  it('uses the broad-crested weir coefficient (2/3)^1.5·sqrt(g) ≈ 1.705 m^0.5/s', () => {
    expect(WEIR_COEFFICIENT).toBeCloseTo(1.705, 3);
    // 10 m wide, 2 m of water over the crest: 1.705·10·2^1.5 ≈ 48.2 m3/s
    expect(weirFlow(2, 10)).toBeCloseTo(WEIR_COEFFICIENT * 10 * 2 ** 1.5, 12);
    expect(weirFlow(2, 10)).toBeCloseTo(48.22, 2);
    expect(weirFlow(0, 10)).toBe(0);
    expect(weirFlow(-1, 10)).toBe(0);
  });

  it('linearises at the previous head by the tangent, which never lies above the weir', () => {
    for (const h0 of [0.2, 1, 3.5]) {
      const { flow, slope } = weirTangent(h0, 7);
      expect(flow).toBeCloseTo(weirFlow(h0, 7), 12);
      const dh = 1e-6;
      expect(slope).toBeCloseTo((weirFlow(h0 + dh, 7) - weirFlow(h0 - dh, 7)) / (2 * dh), 4);
      for (const h of [0, 0.1, h0 / 2, h0 * 1.5, h0 + 4]) {
        expect(flow + slope * (h - h0)).toBeLessThanOrEqual(weirFlow(h, 7) + 1e-9);
      }
    }
    expect(weirTangent(0, 7)).toEqual({ flow: 0, slope: 0 });
    expect(weirTangent(-2, 7)).toEqual({ flow: 0, slope: 0 });
  });
});
