import { describe, expect, it } from '@jest/globals';
import type { RiverData } from '../hydro-system.js';
import {
  gatedFlowPoint,
  gateModelled,
  gateRange,
  heightOfPosition,
  linearisationHeight,
  positionOfHeight,
} from './river-gates.js';

const river = (extra: Partial<RiverData>): RiverData => ({
  name: 'R',
  upstreamElevation: 500,
  inputs: [],
  inflow: [0, 0],
  minFlowPenaltyCost: [0, 0],
  maxFlowPenaltyCost: [0, 0],
  flowSchedulePenaltyCost: [0, 0],
  mainRiver: false,
  mipFlag: [0, 0],
  ...extra,
});

const curves = [
  { ref: 0, x: [500, 510], y: [0, 4] },
  { ref: 1, x: [500, 510], y: [0, 40] },
];

describe('river gate as a variable', () => {
  it('maps positions to gate heights through gate_opening_curve and back', () => {
    const r = river({ upHeadFlowCurve: curves, gateOpeningCurve: { ref: 0, x: [0, 1], y: [0, 2] } });
    expect(heightOfPosition(r, 0.25)).toBeCloseTo(0.5, 12);
    expect(positionOfHeight(r, 1.5)).toBeCloseTo(0.75, 12);
    expect(gateRange(r)).toEqual({ lo: 0, hi: 2 });
    // Without an opening curve the position is the height.
    expect(heightOfPosition(river({ upHeadFlowCurve: curves }), 0.3)).toBe(0.3);
  });

  it('is a variable only where the flow function has a gate and an attribute moves it', () => {
    expect(gateModelled(river({ upHeadFlowCurve: curves, gateAdjustmentCost: [1, 1] }))).toBe(true);
    expect(gateModelled(river({ upHeadFlowCurve: curves }))).toBe(false);
    expect(gateModelled(river({ upHeadFlowCurve: [curves[0]], gateAdjustmentCost: [1, 1] }))).toBe(false);
    const widthDepth = {
      widthDepthCurve: { ref: 0, x: [0, 2], y: [1, 3] },
      gateOpeningCurve: { ref: 0, x: [0, 1], y: [0, 1.5] },
    };
    expect(gateModelled(river({ ...widthDepth, initialGateOpening: 0 }))).toBe(true);
    expect(gateRange(river(widthDepth))).toEqual({ lo: 0, hi: 1.5 });
  });

  it('gives the flow and its slopes in level and gate height (interpolated between the position curves)', () => {
    const r = river({
      upHeadFlowCurve: curves,
      gateOpeningCurve: { ref: 0, x: [0, 1], y: [0, 2] },
      initialGateOpening: 0.5,
    });
    // position 0.5 (height 1), level 505: halfway between 2 and 20 m3/s
    const p = gatedFlowPoint(r, 1, 505);
    expect(p.flow).toBeCloseTo(11, 9);
    expect(p.levelSlope).toBeCloseTo((0.4 + 4) / 2, 9);
    expect(p.gateSlope).toBeCloseTo(18 / 2, 6); // 18 m3/s per position, 2 m per position
    expect(gatedFlowPoint(r, 1, 499).flow).toBe(0);
    // Linearised at the previous iteration's height, else initial_gate_opening's, else mid-range.
    expect(linearisationHeight(r, 0, [1.7, 1.8])).toBe(1.7);
    expect(linearisationHeight(r, 0, undefined)).toBe(1);
    expect(linearisationHeight({ ...r, initialGateOpening: undefined }, 0, undefined)).toBe(1);
    expect(linearisationHeight({ ...r, gateOpeningSchedule: [0.25, undefined] }, 0, [1.7, 1.8])).toBe(0.5);
  });
});
