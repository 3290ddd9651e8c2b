/**
 * A generated SHOP JSON model of N reservoirs in a chain over T hourly steps, for the
 * benchmark (`npm run bench`) and for tests that need a solve of a given size. Reservoir i
 * feeds plant i, whose water (and reservoir i's spill gate) goes to reservoir i + 1; the last
 * plant and gate release into the sea. Each plant has one generator, every other plant a
 * second, smaller one, with curves shaped like the basic model's. One day-ahead market
 * with a daily and weekly price shape. Deterministic: the same arguments give the same model.
 */

export interface CascadeOptions {
  reservoirs: number;
  hours: number;
  /** Default: 3 full and 3 incremental iterations. */
  commands?: string[];
  /** Default 2026-01-05T00:00:00Z (a Monday). */
  startTime?: string;
  /**
   * Adds SHOP's waterways (modelling-2.md §1–3): a binary pump in every third plant (Plant3, 6, ...), a side
   * reservoir joined to the first reservoir by a tunnel, and the second plant's water reaching
   * the third reservoir through a river with a 3.2 h delay.
   */
  waterways?: boolean;
  /**
   * Several price and inflow scenarios (modelling-2.md §6), equally likely, sharing the first day
   * (`common_scenario` 1) and branching after it: scenario s's inflows and prices are the base
   * ones scaled by factors spread over 0.6–1.4 (inflow) and 0.85–1.15 (price).
   */
  scenarios?: number;
}

export interface CascadeModel {
  time: { start_time: string; end_time: string; time_unit: 'hour'; time_resolution: Txy };
  model: Record<string, Record<string, Record<string, unknown>>>;
  connections: Array<{
    from: string;
    from_type: string;
    to: string;
    to_type: string;
    relation_type: 'default' | 'spill';
    relation_direction: 'both';
  }>;
  commands: string[];
}

interface Txy {
  timestamps: string[];
  values: number[][];
}

export const DEFAULT_CASCADE_COMMANDS: readonly string[] = Object.freeze([
  'set code /full',
  'start sim 3',
  'set code /incremental',
  'start sim 3',
]);

const HOUR_MS = 3_600_000;
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Turbine efficiency (%) along the discharge range, the shape of the basic model's Plant2_Generator1. */
const EFFICIENCY = [92.72, 93.26, 93.73, 94.14, 94.48, 94.75, 94.96, 95.1, 95.18, 95.19, 95.13, 95.01, 94.82, 94.52];

function generator(qMin: number, qMax: number, pMin: number, pMax: number, startcost: Txy) {
  const x = EFFICIENCY.map((_, i) => round(qMin + ((qMax - qMin) * i) / (EFFICIENCY.length - 1), 2));
  return {
    penstock: 1,
    p_min: pMin,
    p_max: pMax,
    p_nom: pMax,
    gen_eff_curve: { ref: 0, x: [pMin, pMax], y: [98, 98] },
    turb_eff_curves: [
      { ref: 90, x, y: EFFICIENCY.map((e) => round(e - 1.5, 4)) },
      { ref: 130, x, y: EFFICIENCY },
    ],
    startcost,
  };
}

export function cascadeModel(options: CascadeOptions): CascadeModel {
  const { reservoirs, hours } = options;
  if (!Number.isInteger(reservoirs) || reservoirs < 1) throw new Error(`reservoirs must be >= 1, got ${reservoirs}`);
  if (!Number.isInteger(hours) || hours < 2) throw new Error(`hours must be >= 2, got ${hours}`);
  const start = Date.parse(options.startTime ?? '2026-01-05T00:00:00Z');
  const startTime = iso(start);
  const timestamps = Array.from({ length: hours }, (_, t) => iso(start + t * HOUR_MS));
  const constant = (value: number): Txy => ({ timestamps: [startTime], values: [[value]] });
  const series = (values: number[]): Txy => ({ timestamps, values: [values] });

  const price = dayAheadPrices(timestamps);

  const reservoir: Record<string, Record<string, unknown>> = {};
  const plant: Record<string, Record<string, unknown>> = {};
  const generators: Record<string, Record<string, unknown>> = {};
  const gate: Record<string, Record<string, unknown>> = {};
  const connections: CascadeModel['connections'] = [];
  const connect = (from: string, fromType: string, to: string, toType: string, spill = false) =>
    connections.push({
      from,
      from_type: fromType,
      to,
      to_type: toType,
      relation_type: spill ? 'spill' : 'default',
      relation_direction: 'both',
    });

  const chain: Chain = { reservoirs, reservoir, plant, generators, gate, constant, series, timestamps, connect };
  for (let i = 0; i < reservoirs; i++) addLink(chain, i);

  const extra = options.waterways
    ? waterways({ reservoirs, reservoir, plant, series, constant, timestamps, connections, connect })
    : {};

  const model: CascadeModel = {
    time: {
      start_time: startTime,
      end_time: iso(start + hours * HOUR_MS),
      time_unit: 'hour',
      time_resolution: constant(1),
    },
    model: {
      reservoir,
      plant,
      generator: generators,
      gate,
      ...extra,
      market: {
        Day_ahead: {
          market_type: 'ENERGY',
          load: constant(0),
          max_buy: constant(9999),
          max_sale: constant(9999),
          buy_price: series(price.map((p) => round(p + 0.002))),
          sale_price: series(price),
        },
      },
    },
    connections,
    commands: [...(options.commands ?? DEFAULT_CASCADE_COMMANDS)],
  };
  return options.scenarios && options.scenarios > 1 ? withScenarios(model, options.scenarios, timestamps) : model;
}

/** The model with n scenarios sharing the first day (see `CascadeOptions.scenarios`). */
function withScenarios(model: CascadeModel, n: number, timestamps: string[]): CascadeModel {
  const branch = Math.min(24, timestamps.length - 1);
  const spread = (s: number) => (n === 1 ? 0 : s / (n - 1) - 0.5);
  const inflowFactor = (s: number) => 1 + 0.8 * spread(s);
  const priceFactor = (s: number) => 1 + 0.3 * spread((s * 5) % n);
  const stochastic = (series: Txy, factor: (s: number) => number): Txy => ({
    timestamps: series.timestamps,
    values: Array.from({ length: n }, (_, s) =>
      series.values[0].map((value, t) => (t < branch ? value : round(value * factor(s)))),
    ),
  });
  for (const reservoir of Object.values(model.model.reservoir)) {
    reservoir.inflow = stochastic(reservoir.inflow as Txy, inflowFactor);
  }
  const market = model.model.market.Day_ahead;
  market.sale_price = stochastic(market.sale_price as Txy, priceFactor);
  market.buy_price = stochastic(market.buy_price as Txy, priceFactor);
  model.model.scenario = Object.fromEntries(
    Array.from({ length: n }, (_, s) => [
      `S${s + 1}`,
      {
        scenario_id: s + 1,
        probability: { timestamps: [timestamps[0]], values: [[1 / n]] },
        common_scenario: { timestamps: [timestamps[0], timestamps[branch]], values: [[1, s + 1]] },
      },
    ]),
  );
  return model;
}

/** Daily peaks at 8 and 18 h, lower at night and at the weekend. */
function dayAheadPrices(timestamps: string[]): number[] {
  return timestamps.map((_, t) => {
    const hour = t % 24;
    const weekend = Math.floor(t / 24) % 7 >= 5 ? 0.8 : 1;
    const peaks = 18 * Math.exp(-((hour - 8) ** 2) / 6) + 14 * Math.exp(-((hour - 18) ** 2) / 8);
    return round((28 + peaks + 4 * Math.sin(t / 37)) * weekend);
  });
}

/** The chain's objects, filled in link by link. */
interface Chain {
  reservoirs: number;
  reservoir: Record<string, Record<string, unknown>>;
  plant: Record<string, Record<string, unknown>>;
  generators: Record<string, Record<string, unknown>>;
  gate: Record<string, Record<string, unknown>>;
  constant: (value: number) => Txy;
  series: (values: number[]) => Txy;
  timestamps: string[];
  connect: (from: string, fromType: string, to: string, toType: string, spill?: boolean) => void;
}

/** Reservoir i regulates between lrl and lrl + 20 m; each plant has about 110 m of head. */
const lrl = (i: number) => 2500 - 110 * i;

/** Link i of the chain: reservoir i, its plant (one or two generators) and its spill gate. */
function addLink(chain: Chain, i: number): void {
  const { reservoirs, reservoir, plant, generators, gate, constant, series, timestamps, connect } = chain;
  const name = `Reservoir${i + 1}`;
  const low = lrl(i);
  const maxVol = 40 + 5 * (i % 4);
  const local = i === 0 ? 70 : 8 + 4 * (i % 3);
  reservoir[name] = {
    max_vol: maxVol,
    lrl: low,
    hrl: low + 20,
    vol_head: {
      ref: 0,
      x: [0, 0.2, 0.4, 0.6, 0.8, 1, 1.1].map((f) => round(f * maxVol)),
      y: [0, 5, 9.5, 13.5, 17, 20, 21.5].map((h) => low + h),
    },
    start_head: low + 12 + (i % 3),
    flow_descr: { ref: 0, x: [low + 20.5, low + 21.5], y: [0, 300] },
    inflow: series(timestamps.map((_, t) => round(local * (1 + 0.25 * Math.sin((2 * Math.PI * t) / 24 + i))))),
    energy_value_input: 33 + (i % 5),
  };

  const plantName = `Plant${i + 1}`;
  const last = i === reservoirs - 1;
  plant[plantName] = {
    prod_area: constant(1),
    outlet_line: last ? low - 100 : lrl(i + 1) + 5,
    main_loss: [0],
    penstock_loss: [0.0001],
  };
  connect(name, 'reservoir', plantName, 'plant');
  const units = i % 2 === 0 ? 1 : 2;
  for (let g = 0; g < units; g++) {
    const unitName = `${plantName}_Generator${g + 1}`;
    generators[unitName] =
      g === 0 ? generator(40, 170, 40, 160, constant(500)) : generator(20, 70, 20, 60, constant(200));
    connect(unitName, 'generator', plantName, 'plant');
  }
  const spill = `s_${name}`;
  gate[spill] = {};
  connect(name, 'reservoir', spill, 'gate', true);
  if (!last) {
    const below = `Reservoir${i + 2}`;
    connect(plantName, 'plant', below, 'reservoir');
    connect(spill, 'gate', below, 'reservoir');
  }
}

interface WaterwayParts {
  reservoirs: number;
  reservoir: Record<string, Record<string, unknown>>;
  plant: Record<string, Record<string, unknown>>;
  series: (values: number[]) => Txy;
  constant: (value: number) => Txy;
  timestamps: string[];
  connections: CascadeModel['connections'];
  connect: (from: string, fromType: string, to: string, toType: string) => void;
}

/** A binary pump: one (upflow, efficiency) point per lift, less water the higher it lifts. */
function pump(pNom: number, startcost: Txy) {
  return {
    penstock: 1,
    p_min: pNom,
    p_max: pNom,
    p_nom: pNom,
    startcost,
    gen_eff_curve: { ref: 0, x: [0, pNom], y: [98, 98] },
    turb_eff_curves: [
      { ref: 95, x: [40], y: [86] },
      { ref: 110, x: [34], y: [86.5] },
      { ref: 125, x: [29], y: [86] },
    ],
  };
}

/** The waterways of `waterways: true` (see CascadeOptions), added to the chain's objects. */
function waterways(parts: WaterwayParts): Record<string, Record<string, Record<string, unknown>>> {
  const { reservoirs, reservoir, plant, series, timestamps, connections, connect } = parts;
  const pumps: Record<string, Record<string, unknown>> = {};
  for (let i = 2; i < reservoirs; i += 3) {
    if (i === reservoirs - 1) continue; // the last plant releases into the sea: nothing to pump from
    const name = `Plant${i + 1}_Pump1`;
    pumps[name] = pump(45, parts.constant(200));
    connect(name, 'pump', `Plant${i + 1}`, 'plant');
  }
  // A side reservoir at Reservoir1's level, joined to it by a tunnel (water flows either way).
  const first = reservoir.Reservoir1 as { lrl: number; hrl: number; start_head: number; vol_head: unknown };
  reservoir.Reservoir1_side = {
    max_vol: 12,
    lrl: first.lrl,
    hrl: first.hrl,
    vol_head: { ref: 0, x: [0, 6, 12, 13.2], y: [0, 11, 20, 21.5].map((h) => first.lrl + h) },
    start_head: first.start_head + 1,
    inflow: series(timestamps.map((_, t) => round(15 * (1 + 0.5 * Math.sin((2 * Math.PI * t) / 24))))),
    energy_value_input: 33,
  };
  const tunnel = { Tunnel_side: { loss_factor: 0.0005, start_height: first.lrl - 10, end_height: first.lrl - 10 } };
  connect('Reservoir1_side', 'reservoir', 'Tunnel_side', 'tunnel');
  connect('Tunnel_side', 'tunnel', 'Reservoir1', 'reservoir');
  const river: Record<string, Record<string, unknown>> = {};
  if (reservoirs >= 3) {
    // Plant2's water reaches Reservoir3 through a river 3.2 h long instead of directly.
    const name = 'River_Plant2';
    const low = plant.Plant2 as { outlet_line: number };
    river[name] = { upstream_elevation: low.outlet_line - 5, time_delay_const: 3.2 };
    connections.splice(
      connections.findIndex((c) => c.from === 'Plant2' && c.to === 'Reservoir3'),
      1,
    );
    connect('Plant2', 'plant', name, 'river');
    connect(name, 'river', 'Reservoir3', 'reservoir');
  }
  return { pump: pumps, tunnel, ...(reservoirs >= 3 ? { river } : {}) };
}
