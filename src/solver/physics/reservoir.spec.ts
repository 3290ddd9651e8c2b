import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  forcedSpillLines,
  dLevelDVolume,
  levelFromVolume,
  levelsFromVolumes,
  nextVolume,
  overflowAtLevel,
  overflowAtVolume,
  startLevel,
  startVolume,
  volumeBounds,
  volumeFromLevel,
  type ReservoirData,
} from './reservoir.js';
import { reservoirData } from './cascade.js';

const basic = JSON.parse(readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'));
const reservoir1: ReservoirData = reservoirData(basic.model.reservoir.Reservoir1);
const reservoir2: ReservoirData = reservoirData(basic.model.reservoir.Reservoir2);

describe('level and volume through vol_head', () => {
  it('converts the basic model start heads to volumes', () => {
    // Reservoir1: 900 m lies between (30.36 Mm3, 898 m) and (35.18, 902): 30.36 + 2/4·4.82 = 32.77.
    expect(startVolume(reservoir1)).toBeCloseTo(32.77, 10);
    // Reservoir2: 670 m between (52.75, 669.15) and (64.125, 671.7): 52.75 + 0.85/2.55·11.375 = 56.541666…
    expect(startVolume(reservoir2)).toBeCloseTo(52.75 + (0.85 / 2.55) * 11.375, 10);
    expect(levelFromVolume(reservoir1.vol_head, 32.77)).toBeCloseTo(900, 10);
    expect(volumeFromLevel(reservoir1.vol_head, 905)).toBeCloseTo(39, 10);
  });

  it('extrapolates beyond the table', () => {
    // First segment of Reservoir1: 2 m per 0.91 Mm3, so V = −1 is 860 − 2/0.91.
    expect(levelFromVolume(reservoir1.vol_head, -1)).toBeCloseTo(860 - 2 / 0.91, 10);
    expect(volumeFromLevel(reservoir1.vol_head, 858)).toBeCloseTo(-0.91, 10);
    expect(Array.from(levelsFromVolumes(reservoir1.vol_head, [0, 39]))).toEqual([860, 905]);
  });

  it('gives d(level)/dV as the local slope', () => {
    expect(dLevelDVolume(reservoir1.vol_head, 32.77)).toBeCloseTo(4 / 4.82, 12); // (902 − 898)/(35.18 − 30.36)
    expect(dLevelDVolume(reservoir1.vol_head, 35.18)).toBeCloseTo(2 / 2.5, 12); // right segment (904 − 902)/(37.68 − 35.18)
  });
});

describe('start volume and level', () => {
  const table = { x: [0, 10], y: [100, 120] };

  it('prefers start_vol, as SHOP prefer_start_vol = 1 does', () => {
    const both = { vol_head: table, start_vol: 5, start_head: 104 };
    expect(startVolume(both)).toBe(5);
    expect(startLevel(both)).toBeCloseTo(110, 12);
    expect(startVolume(both, false)).toBeCloseTo(2, 12);
    expect(startLevel(both, false)).toBe(104);
    expect(startLevel({ vol_head: table, start_head: 104 })).toBe(104);
  });

  it('needs one of them', () => {
    expect(() => startVolume({ vol_head: table })).toThrow(RangeError);
  });
});

describe('volumeBounds', () => {
  it('takes the volumes at lrl and hrl, within 0 and max_vol', () => {
    expect(volumeBounds(reservoir1)).toEqual({ min: 0, max: 39 }); // V(860) = 0, V(905) = 39 = max_vol
    const table = { x: [0, 10], y: [100, 120] };
    expect(volumeBounds({ vol_head: table, lrl: 104, hrl: 130, max_vol: 12 })).toEqual({ min: 2, max: 12 });
    expect(volumeBounds({ vol_head: table })).toEqual({ min: 0, max: 10 });
  });
});

describe('overflow', () => {
  it('is 0 below the crest and follows flow_descr above it', () => {
    const flow = reservoir1.flow_descr; // (906 m, 0 m3/s) – (907 m, 132 m3/s)
    expect(overflowAtLevel(flow, 905)).toBe(0);
    expect(overflowAtLevel(flow, 906.5)).toBeCloseTo(66, 10);
    expect(overflowAtLevel(flow, 908)).toBeCloseTo(264, 10); // extrapolated: 132 + 132
    expect(overflowAtLevel(undefined, 1000)).toBe(0);
    // Level 907 is at V = 41.66 (vol_head's last point): 132 m3/s.
    expect(overflowAtVolume(reservoir1, 41.66)).toBeCloseTo(132, 10);
  });
});

describe('water balance', () => {
  it('adds 0.0036·Δt·net flow per step, over two steps', () => {
    // Step 1: inflow 60, discharge 100 -> −40 m3/s for 1 h: −0.144 Mm3. Step 2: +20 m3/s for 2 h: +0.144 Mm3.
    const v1 = nextVolume(32.77, 1, 60 - 100);
    const v2 = nextVolume(v1, 2, 20);
    expect(v1).toBeCloseTo(32.626, 12);
    expect(v2).toBeCloseTo(32.77, 12);
  });
});

describe('forcedSpillLines', () => {
  const volHead = { x: [0, 10, 20], y: [100, 110, 112] };

  it('is the composite itself when convex: no spill below the crest, then rising', () => {
    // Crest at 110 m (V = 10), 0 -> 50 m3/s over 110..111 m (V 10..15), 150 at 112 m (V 20).
    const lines = forcedSpillLines(volHead, { x: [110, 111, 112], y: [0, 50, 150] }, 20);
    expect(lines).toHaveLength(2);
    const at = (v: number) => Math.max(0, ...lines.map((l) => l.slope * v + l.intercept));
    for (const v of [0, 5, 10, 12.5, 15, 17.5, 20]) {
      expect(at(v)).toBeCloseTo(
        overflowAtVolume({ vol_head: volHead, flow_descr: { x: [110, 111, 112], y: [0, 50, 150] } }, v),
        9,
      );
    }
  });

  it('takes the convex hull of a non-convex composite (never above it)', () => {
    const flowDescr = { x: [110, 111, 112], y: [0, 100, 120] };
    const lines = forcedSpillLines(volHead, flowDescr, 20);
    const at = (v: number) => Math.max(0, ...lines.map((l) => l.slope * v + l.intercept));
    expect(at(20)).toBeCloseTo(120, 9);
    expect(at(10)).toBeCloseTo(0, 9);
    for (const v of [11, 13, 15, 18]) {
      expect(at(v)).toBeLessThanOrEqual(overflowAtVolume({ vol_head: volHead, flow_descr: flowDescr }, v) + 1e-9);
    }
  });

  it('has no lines without flow_descr or with the crest above the top', () => {
    expect(forcedSpillLines(volHead, undefined, 20)).toEqual([]);
    expect(forcedSpillLines(volHead, { x: [113, 114], y: [0, 10] }, 20)).toEqual([]);
  });
});
