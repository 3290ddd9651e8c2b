import { describe, expect, it } from '@jest/globals';
import {
  flowSquaredTangent,
  gateOpening,
  openingAt,
  rootTangent,
  solveNetwork,
  tunnelFlow,
  tunnelHeadLoss,
} from './tunnel.js';

describe('tunnel head loss', () => {
  it('flow and head loss are each other’s inverse, signed, and scale with the opening', () => {
    const k = 0.00015;
    expect(tunnelHeadLoss(100, k)).toBeCloseTo(1.5, 12);
    expect(tunnelHeadLoss(-100, k)).toBeCloseTo(-1.5, 12);
    expect(tunnelFlow(1.5, k)).toBeCloseTo(100, 9);
    expect(tunnelFlow(-1.5, k)).toBeCloseTo(-100, 9);
    expect(tunnelHeadLoss(100, k, 0.5)).toBeCloseTo(3, 12);
    expect(tunnelFlow(3, k, 0.5)).toBeCloseTo(100, 9);
    expect(tunnelFlow(3, k, 0)).toBe(0);
  });

  it('linearises Q|Q| by its tangent at the previous flow, by the chord through 0 below 1 m3/s', () => {
    for (const q0 of [-120, -3, 1, 40]) {
      const { slope, constant } = flowSquaredTangent(q0);
      expect(slope * q0 + constant).toBeCloseTo(q0 * Math.abs(q0), 9);
      // a tangent: the derivative 2|q0|
      expect(slope).toBeCloseTo(2 * Math.abs(q0), 12);
    }
    for (const q0 of [0, 0.3, -0.7]) {
      const { slope, constant } = flowSquaredTangent(q0);
      expect(slope * 0 + constant).toBe(0);
      expect(slope * 1 + constant).toBe(1);
      expect(slope * -1 + constant).toBe(-1);
    }
  });

  it('linearises sqrt(|ΔH|/k) above the root, exact at the previous head difference', () => {
    const k = 0.00015;
    const { slope, constant } = rootTangent(-4, k);
    expect(constant + slope * 4).toBeCloseTo(Math.sqrt(4 / k), 9);
    for (const x of [0.5, 2, 9]) expect(constant + slope * x).toBeGreaterThanOrEqual(Math.sqrt(x / k) - 1e-9);
  });

  it('reports the opening k·Q²/|ΔH| clipped to [0, 1], and reads positions through the curve', () => {
    expect(gateOpening(50, 1.5, 0.00015)).toBeCloseTo(0.25, 12);
    expect(gateOpening(500, 1.5, 0.00015)).toBe(1);
    expect(gateOpening(0, 1.5, 0.00015)).toBe(0);
    const curve = { x: [0, 0.5, 1], y: [0, 0.2, 1] };
    expect(openingAt(curve, 0.25)).toBeCloseTo(0.1, 12);
    expect(openingAt(curve, 0.75)).toBeCloseTo(0.6, 12);
    expect(openingAt(undefined, 0.4)).toBe(0.4);
  });
});

describe('solveNetwork', () => {
  it('a reservoir feeding a plant intake: the intake pressure is the level less k·Q²', () => {
    const state = solveNetwork(
      [{ fixedHead: 97, inflow: 0 }, { inflow: -90 }],
      [{ from: 0, to: 1, k: 0.0003, opening: 1 }],
    );
    expect(state.flows[0]).toBeCloseTo(90, 9);
    expect(state.heads[1]).toBeCloseTo(97 - 0.0003 * 90 * 90, 9);
  });

  it('two reservoirs meeting in a node: every head loss holds and the node balances', () => {
    const k = [0.00015, 0.0003, 0.0001];
    const state = solveNetwork(
      [{ fixedHead: 95, inflow: 0 }, { fixedHead: 92, inflow: 0 }, { inflow: 0 }, { inflow: -120 }],
      [
        { from: 0, to: 2, k: k[0], opening: 1 },
        { from: 1, to: 2, k: k[1], opening: 1 },
        { from: 2, to: 3, k: k[2], opening: 1 },
      ],
    );
    const [q1, q2, q3] = state.flows;
    expect(q1 + q2).toBeCloseTo(q3, 9);
    expect(q3).toBeCloseTo(120, 9);
    expect(95 - state.heads[2]).toBeCloseTo(k[0] * q1 * Math.abs(q1), 9);
    expect(92 - state.heads[2]).toBeCloseTo(k[1] * q2 * Math.abs(q2), 9);
    expect(state.heads[2] - state.heads[3]).toBeCloseTo(k[2] * q3 * q3, 9);
  });

  it('a creek node cannot rise above its surface: it spills what the tunnel does not take', () => {
    // Creek (net_head 55, 20 m3/s) into a reservoir at 43 m: the tunnel takes sqrt(12/0.0005) ≫ 20.
    const taking = solveNetwork(
      [
        { inflow: 20, maxHead: 55 },
        { fixedHead: 43, inflow: 0 },
      ],
      [{ from: 0, to: 1, k: 0.0005, opening: 1 }],
    );
    expect(taking.flows[0]).toBeCloseTo(20, 9);
    expect(taking.heads[0]).toBeCloseTo(43 + 0.0005 * 400, 9);
    expect(taking.spill[0]).toBe(0);
    // Into a reservoir at 54.9 m only sqrt(0.1/0.0005) = 14.1 m3/s pass; the rest spills.
    const spilling = solveNetwork(
      [
        { inflow: 20, maxHead: 55 },
        { fixedHead: 54.9, inflow: 0 },
      ],
      [{ from: 0, to: 1, k: 0.0005, opening: 1 }],
    );
    expect(spilling.heads[0]).toBe(55);
    expect(spilling.flows[0]).toBeCloseTo(Math.sqrt(0.1 / 0.0005), 9);
    expect(spilling.spill[0]).toBeCloseTo(20 - Math.sqrt(0.1 / 0.0005), 9);
  });

  it('a closed tunnel carries nothing, a throttling gate its given flow', () => {
    const state = solveNetwork(
      [
        { fixedHead: 95, inflow: 0 },
        { fixedHead: 90, inflow: 0 },
        { fixedHead: 91, inflow: 0 },
      ],
      [
        { from: 0, to: 1, k: 0.0001, opening: 0 },
        { from: 0, to: 2, k: 0.0001, opening: 1, fixedFlow: 30 },
      ],
    );
    expect(state.flows).toEqual([0, 30]);
  });

  it('a reservoir below the tunnel opening delivers nothing into it', () => {
    const state = solveNetwork(
      [{ fixedHead: 88, inflow: 0 }, { inflow: -10 }, { fixedHead: 95, inflow: 0 }],
      [
        { from: 0, to: 1, k: 0.001, opening: 1, startHeight: 89 },
        { from: 2, to: 1, k: 0.001, opening: 1 },
      ],
    );
    expect(state.flows[0]).toBeLessThanOrEqual(1e-9);
    expect(state.flows[1] + state.flows[0]).toBeCloseTo(10, 9);
  });
});
