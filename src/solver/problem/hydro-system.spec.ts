import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { HydroModelError, hydroSystem, initialState } from './hydro-system.js';

/** The basic model as GET /model answers it (shop-json.md §12; the fixture of the e2e tests). */
const BASIC: ShopModelJson = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/basic-model.json', import.meta.url), 'utf8'),
);

describe('hydroSystem', () => {
  const system = hydroSystem(BASIC);

  it('reads 72 hourly steps from the time node', () => {
    expect(system.steps).toHaveLength(72);
    expect(system.steps[0]).toEqual({ start: '2018-01-23T00:00:00Z', hours: 1 });
    expect(system.steps[71].start).toBe('2018-01-25T23:00:00Z');
  });

  it('reads the reservoirs, with inflow over the horizon (none set: zero)', () => {
    const [r1, r2] = system.reservoirs;
    expect(r1).toMatchObject({
      name: 'Reservoir1',
      maxVol: 39,
      lrl: 860,
      hrl: 905,
      startHead: 900,
      energyValueInput: 30,
    });
    expect(r1.inflow).toEqual(Array(72).fill(0));
    expect(r2.inflow).toEqual(Array(72).fill(60));
  });

  it('finds each plant’s reservoirs and generators from the connections', () => {
    const [p1, p2] = system.plants;
    expect(p1).toMatchObject({
      name: 'Plant1',
      upstream: 'Reservoir1',
      downstream: 'Reservoir2',
      from: { type: 'reservoir', name: 'Reservoir1' },
      to: { type: 'reservoir', name: 'Reservoir2' },
      outletLine: 672,
      mainLoss: 0,
    });
    expect(p1.penstockLoss).toEqual([0.001]);
    expect(p1.generators.map((g) => g.name)).toEqual(['Plant1_Generator1', 'Plant1_Generator2']);
    expect(p2).toMatchObject({ upstream: 'Reservoir2', downstream: undefined, to: undefined });
    expect(p2.generators.map((g) => g.penstock)).toEqual([1, 2, 2, 2]);
    expect(p2.generators[0].startcost).toEqual(Array(72).fill(600));
  });

  it('tells spill from bypass gates by the connection type', () => {
    expect(system.gates.map((g) => [g.name, g.upstream, g.downstream, g.kind])).toEqual([
      ['s_Reservoir1_Reservoir2', 'Reservoir1', 'Reservoir2', 'spill'],
      ['b_Reservoir1_Reservoir2', 'Reservoir1', 'Reservoir2', 'bypass'],
      ['s_Reservoir2_Ocean', 'Reservoir2', undefined, 'spill'],
      ['b_Reservoir2_Ocean', 'Reservoir2', undefined, 'bypass'],
    ]);
  });

  it('reads the market series step by step', () => {
    const [market] = system.markets;
    expect(market.salePrice[7]).toBe(74.822);
    expect(market.maxSale).toEqual(Array(72).fill(9999));
    expect(market.load).toEqual(Array(72).fill(0));
  });

  it('names what is missing', () => {
    const noTime = { ...BASIC, time: undefined };
    expect(() => hydroSystem(noTime)).toThrow(HydroModelError);
    const { max_vol: _dropped, ...reservoir } = BASIC.model.reservoir.Reservoir1 as Record<string, unknown>;
    const noMaxVol = {
      ...BASIC,
      model: { ...BASIC.model, reservoir: { ...BASIC.model.reservoir, Reservoir1: reservoir } },
    };
    expect(() => hydroSystem(noMaxVol as ShopModelJson)).toThrow(
      'model.reservoir.Reservoir1.max_vol: is required to optimize',
    );
  });

  it('reads initial_state 0 and 1; SHOP’s -1 (unknown, its default) is not given', () => {
    expect([0, 1, -1, undefined, 2].map(initialState)).toEqual([0, 1, undefined, undefined, undefined]);
    const withStates = structuredClone(BASIC) as ShopModelJson;
    const generators = withStates.model.generator as Record<string, Record<string, unknown>>;
    generators.Plant1_Generator1.initial_state = -1;
    generators.Plant1_Generator2.initial_state = 1;
    const [g1, g2] = hydroSystem(withStates).plants[0].generators;
    expect(g1.initialState).toBeUndefined();
    expect(g2.initialState).toBe(1);
  });

  it('trades without limit where a price has no max_sale/max_buy, and not at all without a price', () => {
    const priced = structuredClone(BASIC) as ShopModelJson;
    const market = Object.values(priced.model.market as Record<string, Record<string, unknown>>)[0];
    delete market.max_sale;
    delete market.max_buy;
    delete market.buy_price;
    const [read] = hydroSystem(priced).markets;
    expect(read.maxSale).toEqual(Array(72).fill(Infinity));
    expect(read.maxBuy).toEqual(Array(72).fill(0));
  });
});

describe('water_value_input (modelling-2.md §5)', () => {
  const withTable = (table: unknown): ShopModelJson => {
    const copy = structuredClone(BASIC);
    (copy.model.reservoir.Reservoir1 as Record<string, unknown>).water_value_input = table;
    return copy;
  };

  it('reads one table as the end value: constant, or segments', () => {
    expect(hydroSystem(withTable([{ ref: 0, x: [0], y: [5000] }])).reservoirs[0].endValueTable).toEqual({
      kind: 'constant',
      value: 5000,
    });
    const segments = hydroSystem(withTable([{ ref: 0, x: [0, 5], y: [30, 20] }])).reservoirs[0].endValueTable;
    expect(segments?.kind).toBe('segments');
    expect(hydroSystem(BASIC).reservoirs[0].endValueTable).toBeUndefined();
  });

  it('refuses a rising table, naming the reservoir and the attribute (400, not 422)', () => {
    const read = () => hydroSystem(withTable([{ ref: 0, x: [0, 5], y: [20, 30] }]));
    expect(read).toThrow(HydroModelError);
    expect(read).toThrow(/^model\.reservoir\.Reservoir1\.water_value_input: reservoir Reservoir1: .*must not rise/);
    try {
      read();
    } catch (error) {
      expect((error as HydroModelError).rejected).toBe(true);
    }
  });

  it('refuses several tables outside a cut group', () => {
    const two = [
      { ref: 10, x: [0], y: [1] },
      { ref: 20, x: [0], y: [2] },
    ];
    expect(() => hydroSystem(withTable(two))).toThrow(/not connected to a cut_group/);
  });
});
