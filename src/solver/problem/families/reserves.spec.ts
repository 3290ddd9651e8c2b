import { describe, expect, it } from '@jest/globals';
import { HighsProvider } from '../../providers/highs.provider.js';
import { type HydroSystem, SHOP_GLOBAL_SETTINGS } from '../hydro-system.js';
import { buildIterationProblem, type IterationInput, type UnitCurve } from '../iteration-problem.js';
import { RESERVE_DEFAULTS, type ReserveGroupData, type UnitReserveData } from '../reserve-types.js';

/**
 * One reservoir (no water value), one plant with two 20–100 MW generators, one hour at price 10:
 * without reserves both sell 100 MW. The reserve rows (modelling-2.md §4) then decide.
 */
const noLimits = (): UnitReserveData => ({
  min: {},
  max: {},
  schedule: {},
  cost: {},
  droopMin: [1, 1],
  droopMax: [12, 12],
  pNom: 100,
});

function system(groups: ReserveGroupData[], units = [noLimits(), noLimits()]): HydroSystem {
  const generator = (name: string) => ({
    name,
    penstock: 1,
    pMin: 20,
    pMax: 100,
    pNom: 100,
    turbEff: [],
    startcost: [0],
  });
  return {
    globalSettings: { ...SHOP_GLOBAL_SETTINGS },
    steps: [{ start: '2026-01-01T00:00:00Z', hours: 1 }],
    reservoirs: [
      {
        name: 'R',
        maxVol: 10,
        lrl: 0,
        hrl: 10,
        volHead: { ref: 0, x: [0, 10], y: [0, 10] },
        startVol: 5,
        inflow: [0],
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
        mipFlag: [1],
        generators: [generator('G1'), generator('G2')],
      },
    ],
    gates: [],
    markets: [{ name: 'M', salePrice: [10], buyPrice: [100], maxSale: [1000], maxBuy: [0], load: [0] }],
    reserves: { groups, units: [units], plants: [{}], ...RESERVE_DEFAULTS },
  };
}

const BOTH = [
  { plant: 0, generator: 0 },
  { plant: 0, generator: 1 },
];
const curve: UnitCurve = { qMin: 20, pAtQmin: 20, segments: [{ length: 80, slope: 1 }] };

async function solve(s: HydroSystem, overrides: Partial<IterationInput> = {}) {
  const problem = buildIterationProblem({
    system: s,
    startVolumes: [5],
    curves: [[[curve], [curve]]],
    binaries: [[true]],
    waterValues: [0],
    spillCost: 0.01,
    bypassCost: 0.01,
    overflowCost: 1000,
    ...overrides,
  });
  const result = await new HighsProvider().solve(problem.lp, {});
  expect(result.status).toBe('optimal');
  const value = (column: number) => result.colValue[column];
  const columns = problem.index.reserves!;
  return {
    objective: result.objective,
    power: (g: number) => value(problem.index.unitPower[0][g][0]),
    delivery: (g: number, key: 'fcr_n_up' | 'fcr_n_down' | 'frr_up' | 'frr_down' | 'rr_up', t = 0) =>
      value(columns.delivery[0][g][key]![t]),
    violation: (group: number, key: 'fcr_n_up' | 'frr_up' | 'rr_up') => value(columns.violation[group][key]![0]),
  };
}

describe('reserves family', () => {
  it('up reserve takes headroom: 30 MW of FCR-N up leaves 170 MW to sell', async () => {
    const s = await solve(
      system([{ name: 'A', obligation: { fcr_n_up: [30] }, penaltyCost: {}, markets: [], units: BOTH }]),
    );
    expect(s.power(0) + s.power(1)).toBeCloseTo(170, 6);
    expect(s.delivery(0, 'fcr_n_up') + s.delivery(1, 'fcr_n_up')).toBeCloseTo(30, 6);
    for (const g of [0, 1]) expect(s.power(g) + s.delivery(g, 'fcr_n_up')).toBeLessThanOrEqual(100 + 1e-6);
    expect(s.violation(0, 'fcr_n_up')).toBeCloseTo(0, 9);
    expect(s.objective).toBeCloseTo(-1700, 4);
  });

  it('down reserve needs a running unit above p_min: 10 MW down at p_min 20 keeps it at 30 or more', async () => {
    // Selling costs 50 per MWh: the units run as little as the obligation lets them.
    const sys = system([{ name: 'A', obligation: { fcr_n_down: [10] }, penaltyCost: {}, markets: [], units: BOTH }]);
    sys.markets[0].salePrice = [-50];
    sys.markets[0].maxSale = [1000];
    const s = await solve(sys);
    // One unit at 30 MW (p_min + down) beats 10 MW of violation at 10 000 per MW.
    expect(s.power(0) + s.power(1)).toBeCloseTo(30, 6);
    expect(s.objective).toBeCloseTo(30 * 50, 4);
  });

  it('on a step without binaries the footroom row holds p_min times the commitment’s LP relaxation', async () => {
    // The relaxed curve runs from 0 (a share u of the hour on): 10 MW of FCR-N down needs
    // P − 10 ≥ 20·u and P ≤ 100·u, so P ≥ 12.5 at u = 0.125, not P ≥ 10 as with p_min 0.
    const sys = system([{ name: 'A', obligation: { fcr_n_down: [10] }, penaltyCost: {}, markets: [], units: BOTH }]);
    sys.markets[0].salePrice = [-50];
    sys.markets[0].maxSale = [1000];
    const relaxedCurve: UnitCurve = { qMin: 0, pAtQmin: 0, segments: [{ length: 100, slope: 1 }] };
    const s = await solve(sys, { binaries: [[false]], curves: [[[relaxedCurve], [relaxedCurve]]] });
    expect(s.power(0) + s.power(1)).toBeCloseTo(12.5, 6);
    expect(s.delivery(0, 'fcr_n_down') + s.delivery(1, 'fcr_n_down')).toBeCloseTo(10, 6);
    expect(s.objective).toBeCloseTo(12.5 * 50, 4);
  });

  it('plant limits: frr_up_max caps the units’ sum, frr_symmetric_flag gives each as much FRR down as up', async () => {
    const groups: ReserveGroupData[] = [
      { name: 'F', obligation: { frr_up: [30] }, penaltyCost: { frr: [400] }, markets: [], units: BOTH },
    ];
    const sys = system(groups);
    sys.reserves!.plants = [{ frrUpMax: [20], frrSymmetric: [1] }];
    const s = await solve(sys);
    const frrUp = s.delivery(0, 'frr_up') + s.delivery(1, 'frr_up');
    expect(frrUp).toBeCloseTo(20, 6);
    expect(s.violation(0, 'frr_up')).toBeCloseTo(10, 6);
    for (const g of [0, 1]) expect(s.delivery(g, 'frr_down')).toBeCloseTo(s.delivery(g, 'frr_up'), 6);
    // 20 MW up and 20 down: production between p_min + down and p_max − up, 160 MW to sell at most.
    expect(s.power(0) + s.power(1)).toBeCloseTo(180, 6);
  });

  it('plant minimums: frr_up_min and rr_up_min hold reserve on the units without any group asking', async () => {
    const sys = system([]);
    sys.reserves!.plants = [{ frrUpMin: [15], rrUpMin: [25] }];
    const s = await solve(sys);
    expect(s.delivery(0, 'frr_up') + s.delivery(1, 'frr_up')).toBeCloseTo(15, 6);
    expect(s.delivery(0, 'rr_up') + s.delivery(1, 'rr_up')).toBeCloseTo(25, 6);
    expect(s.power(0) + s.power(1)).toBeCloseTo(160, 6);
  });

  it('spinning_reserve_up_max caps a unit’s and a plant’s spinning reserve', async () => {
    const group = (): ReserveGroupData[] => [
      { name: 'A', obligation: { fcr_n_up: [30] }, penaltyCost: { fcr_n: [400] }, markets: [], units: BOTH },
    ];
    const capped = { ...noLimits(), spinningUpMax: [10] };
    const units = await solve(system(group(), [capped, noLimits()]));
    expect(units.delivery(0, 'fcr_n_up')).toBeLessThanOrEqual(10 + 1e-6);
    expect(units.delivery(0, 'fcr_n_up') + units.delivery(1, 'fcr_n_up')).toBeCloseTo(30, 6);
    const sys = system(group());
    sys.reserves!.plants = [{ spinningUpMax: [25] }];
    const plant = await solve(sys);
    expect(plant.delivery(0, 'fcr_n_up') + plant.delivery(1, 'fcr_n_up')).toBeCloseTo(25, 6);
    expect(plant.violation(0, 'fcr_n_up')).toBeCloseTo(5, 6);
  });

  it('reserve_contribution_cost: each unit with any reserve costs it once per step', async () => {
    // 15 MW of FCR-N up fits one unit (droop 1 allows 20): one unit gives it all.
    const sys = system([{ name: 'A', obligation: { fcr_n_up: [15] }, penaltyCost: {}, markets: [], units: BOTH }]);
    sys.reserves!.contributionCost = 100;
    const s = await solve(sys);
    const given = [0, 1].map((g) => s.delivery(g, 'fcr_n_up'));
    expect(given.filter((mw) => mw > 1e-6)).toHaveLength(1);
    expect(given[0] + given[1]).toBeCloseTo(15, 6);
    expect(s.objective).toBeCloseTo(-185 * 10 + 100, 4);
  });

  it('p_extended of a reserve capability replaces p_max in its key’s row: FCR-N up above full load', async () => {
    const group = [{ name: 'A', obligation: { fcr_n_up: [20] }, penaltyCost: {}, markets: [], units: BOTH }];
    const extended = (): UnitReserveData => ({ ...noLimits(), pExtended: { fcr_n_up: [110] } });
    const s = await solve(system(group, [extended(), extended()]));
    // Both units at 100 MW with 10 MW each above p_max, against 180 MW to sell without.
    expect(s.power(0) + s.power(1)).toBeCloseTo(200, 6);
    expect(s.delivery(0, 'fcr_n_up') + s.delivery(1, 'fcr_n_up')).toBeCloseTo(20, 6);
    const plain = await solve(system(group));
    expect(plain.power(0) + plain.power(1)).toBeCloseTo(180, 6);
  });

  it('stopped units deliver no FRR (violation at the group’s penalty), but RR up within p_max', async () => {
    const groups: ReserveGroupData[] = [
      { name: 'F', obligation: { frr_up: [15] }, penaltyCost: { frr: [400] }, markets: [], units: BOTH },
      { name: 'R', obligation: { rr_up: [150] }, penaltyCost: {}, markets: [], units: BOTH },
    ];
    const s = await solve(system(groups), { fixedCommitment: [[[0], [0]]] });
    expect(s.violation(0, 'frr_up')).toBeCloseTo(15, 9);
    expect(s.violation(1, 'rr_up')).toBeCloseTo(0, 9);
    expect(s.delivery(0, 'rr_up') + s.delivery(1, 'rr_up')).toBeCloseTo(150, 6);
    expect(s.objective).toBeCloseTo(15 * 400, 4);
  });

  it('a unit in two groups splits its delivery between them', async () => {
    const groups: ReserveGroupData[] = [
      { name: 'A', obligation: { frr_up: [30] }, penaltyCost: {}, markets: [], units: [BOTH[0]] },
      { name: 'B', obligation: { frr_up: [30] }, penaltyCost: {}, markets: [], units: [BOTH[0]] },
    ];
    const s = await solve(system(groups));
    expect(s.delivery(0, 'frr_up')).toBeCloseTo(60, 6);
    expect(s.power(0)).toBeCloseTo(40, 6);
    expect(s.power(1)).toBeCloseTo(100, 6);
  });

  it('a minimum makes a delivery all or nothing, and a schedule fixes it at its penalty', async () => {
    const min = { ...noLimits(), min: { frr_up: [25] } };
    const scheduled = { ...noLimits(), schedule: { frr_up: [5] } };
    const group = { name: 'A', obligation: { frr_up: [10] }, penaltyCost: {}, markets: [], units: BOTH };
    const s = await solve(system([group], [min, scheduled]));
    // G2's schedule gives 5; G1 gives 0 or at least 25: 25, 20 MW above the obligation at the
    // slack cost, beats 5 MW of violation at 10 000.
    expect(s.delivery(1, 'frr_up')).toBeCloseTo(5, 6);
    expect(s.delivery(0, 'frr_up')).toBeCloseTo(25, 6);
    expect(s.violation(0, 'frr_up')).toBeCloseTo(0, 9);
    expect(s.power(0) + s.power(1)).toBeCloseTo(170, 6);
  });

  it('ramping: each MW of change in a delivery from the hour before costs the ramping cost', async () => {
    // Two hours; 30 MW of FRR up from G1, then 10. Keeping 30 MW in hour 2 would save the
    // ramping cost of the 20 MW fall (5 · 20 = 100) but lose 20 MW of sales (200): it falls.
    const sys = system([
      { name: 'A', obligation: { frr_up: [30, 10] }, penaltyCost: {}, markets: [], units: [BOTH[0]] },
    ]);
    sys.steps.push({ start: '2026-01-01T01:00:00Z', hours: 1 });
    sys.reservoirs[0].inflow = [0, 0];
    sys.plants[0].mipFlag = [1, 1];
    sys.plants[0].generators.forEach((g) => (g.startcost = [0, 0]));
    sys.markets[0] = {
      ...sys.markets[0],
      salePrice: [10, 10],
      buyPrice: [100, 100],
      maxSale: [1000, 1000],
      maxBuy: [0, 0],
      load: [0, 0],
    };
    sys.reserves!.rampingCost = 5;
    const s = await solve(sys, {
      curves: [
        [
          [curve, curve],
          [curve, curve],
        ],
      ],
      binaries: [[true, true]],
    });
    expect(s.delivery(0, 'frr_up')).toBeCloseTo(30, 6);
    expect(s.delivery(0, 'frr_up', 1)).toBeCloseTo(10, 6);
    // Sales: 170 MW, then 190 MW, at 10; the ramping cost 5 · 20.
    expect(s.objective).toBeCloseTo(-(170 + 190) * 10 + 100, 4);
  });

  it('a reserve market buys reserve in its group: 40 MW of FCR-N up at 50 beats 40 MWh at 10', async () => {
    const sys = system([{ name: 'A', obligation: { fcr_n_up: [0] }, penaltyCost: {}, markets: [1], units: BOTH }]);
    sys.markets.push({
      name: 'FCR',
      reserveType: 'fcr_n_up',
      salePrice: [50],
      buyPrice: [100],
      maxSale: [40],
      maxBuy: [0],
      load: [0],
    });
    const s = await solve(sys);
    expect(s.delivery(0, 'fcr_n_up') + s.delivery(1, 'fcr_n_up')).toBeCloseTo(40, 6);
    expect(s.power(0) + s.power(1)).toBeCloseTo(160, 6);
    expect(s.objective).toBeCloseTo(-(160 * 10 + 40 * 50), 4);
  });

  it('a reserve market without a group trades nothing', async () => {
    const sys = system([{ name: 'A', obligation: { fcr_n_up: [0] }, penaltyCost: {}, markets: [], units: BOTH }]);
    sys.markets.push({
      name: 'FCR',
      reserveType: 'fcr_n_up',
      salePrice: [50],
      buyPrice: [100],
      maxSale: [40],
      maxBuy: [0],
      load: [0],
    });
    const s = await solve(sys);
    expect(s.objective).toBeCloseTo(-2000, 4);
  });

  it('fcr_mip_flag keeps free capacity (gen_reserve_min_free_cap_factor · p_max) on a unit with FCR', async () => {
    const flagged = { ...noLimits(), fcrMipFlag: [1] };
    const group = { name: 'A', obligation: { fcr_n_up: [1] }, penaltyCost: {}, markets: [], units: [BOTH[0]] };
    const plain = await solve(system([group]));
    expect(plain.power(0)).toBeCloseTo(99, 6);
    const s = await solve(system([group], [flagged, noLimits()]));
    expect(s.delivery(0, 'fcr_n_up')).toBeCloseTo(1, 6);
    expect(s.power(0)).toBeCloseTo(100 - 0.02 * 100, 6);
  });

  it('fcr_n_equality_flag: each unit delivers as much FCR-N down as up', async () => {
    const group = {
      name: 'A',
      obligation: { fcr_n_up: [30], fcr_n_down: [0] },
      penaltyCost: {},
      markets: [],
      units: BOTH,
    };
    const sys = system([group]);
    sys.reserves!.fcrNEquality = true;
    const s = await solve(sys);
    for (const g of [0, 1]) expect(s.delivery(g, 'fcr_n_down')).toBeCloseTo(s.delivery(g, 'fcr_n_up'), 6);
    expect(s.delivery(0, 'fcr_n_up') + s.delivery(1, 'fcr_n_up')).toBeCloseTo(30, 6);
  });

  it('droop_cost_exponent: the convex droop cost equals the linear one at droop_ref_value, and exceeds it beyond', async () => {
    const group = { name: 'A', obligation: { fcr_n_up: [8] }, penaltyCost: {}, markets: [], units: BOTH };
    const objective = async (droop: number, convex: boolean) => {
      const unit = { ...noLimits(), fixedDroop: [droop], droopCost: [1000, 1000] };
      const sys = system([group], [unit, { ...unit }]);
      if (convex) sys.reserves = { ...sys.reserves!, droopCostExponent: 2, droopRefValue: 5 };
      return (await solve(sys)).objective;
    };
    // At droop 5 (x = 0.2) both cost 1000·0.2 per unit.
    expect(await objective(5, true)).toBeCloseTo(await objective(5, false), 6);
    // At droop 2.5 (x = 0.4) the convex cost is 1000·0.2·2² = 800 per unit, the linear one 400. The
    // piecewise-linear curve (breakpoints at 1/12 + k·(11/12)/10: the chord from k = 3 to 4) lies a little above.
    const steeper = (await objective(2.5, true)) - (await objective(2.5, false));
    const [a, b] = [1 / 12 + (3 * 11) / 120, 1 / 12 + (4 * 11) / 120];
    const f = (x: number) => 1000 * 0.2 * (x / 0.2) ** 2;
    const chord = f(a) + ((f(b) - f(a)) * (0.4 - a)) / (b - a);
    expect(steeper).toBeGreaterThanOrEqual(2 * (800 - 400) - 1e-6);
    expect(steeper).toBeCloseTo(2 * (chord - 400), 6);
  });

  it('droop caps FCR at 2·fcr_n_band·p_nom/droop: a fixed droop of 10 lets each unit give 2 MW', async () => {
    const group = { name: 'A', obligation: { fcr_n_up: [10] }, penaltyCost: {}, markets: [], units: BOTH };
    const free = await solve(system([group]));
    expect(free.violation(0, 'fcr_n_up')).toBeCloseTo(0, 9);
    const fixed = { ...noLimits(), fixedDroop: [10] };
    const s = await solve(system([group], [fixed, { ...fixed }]));
    expect(s.delivery(0, 'fcr_n_up')).toBeCloseTo(2, 6);
    expect(s.delivery(1, 'fcr_n_up')).toBeCloseTo(2, 6);
    expect(s.violation(0, 'fcr_n_up')).toBeCloseTo(6, 6);
  });
});
