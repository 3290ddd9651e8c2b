import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { fixture as yaml, uploadYaml } from './support/shop-models.js';

/**
 * End values (modelling-2.md §5), checked from what GET /model returns after uploading the
 * reference water-value model with each add-on and the run SHOP published them with (MIP gap 0):
 * every end value is recomputed here from the returned inputs (energy values, conversion factors,
 * tables) and the returned storage, independently of the solver.
 */
const PUBLISHED_RUN = [
  'commands:',
  '  - set mipgap /absolute 0',
  '  - set mipgap /relative 0',
  '  - start sim 3',
  '  - set code /incremental',
  '  - start sim 3',
  '',
].join('\n');

let t: TestApp;
let token: string;
/** Jest's limit for a hook or test that solves the models (six MIP iterations each, on a shared machine). */
const SOLVING = 180_000;

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token();
});
afterAll(() => t.close());

interface Solved {
  model: Json;
  log: Json[];
}

async function solve(...documents: string[]): Promise<Solved> {
  const { body, log } = await uploadYaml(t, token, documents);
  return { model: body.model, log };
}

const values = (series: Json): number[] => series.values[0];
const last = (series: Json): number => values(series).at(-1)!;
const RESERVOIRS = ['Reservoir1', 'Reservoir2', 'Reservoir3'];

/** ∫₀^V of a table's step curve: y_j over [x_j, x_{j+1}), x_0 read as 0, the last segment open. */
function stepIntegral(x: number[], y: number[], volume: number): number {
  let value = 0;
  for (let j = 0; j < y.length; j++) {
    const from = j === 0 ? 0 : x[j];
    const to = j + 1 < x.length ? x[j + 1] : Infinity;
    value += y[j] * Math.max(0, Math.min(volume, to) - from);
  }
  return value;
}

/** The objective's end value terms agree with the reservoirs' reported end values. */
function expectObjectiveConsistent(s: Solved) {
  const objective = s.model.objective.average_objective;
  expect(objective.solver_status).toBe('optimal');
  const endValues = RESERVOIRS.map((r) => s.model.reservoir[r].end_value as Json);
  const sum = endValues.reduce((total, series) => total + last(series), 0);
  // Σ WV·(V_0 − V_T) with end_value = −WV·V: the change of the cost-signed end value.
  const relative = endValues.reduce((total, series) => total + last(series) - values(series)[0], 0);
  expect(objective.rsv_end_value).toBeCloseTo(sum, 4);
  expect(objective.rsv_end_value_relative).toBeCloseTo(relative, 4);
  expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 4);
  for (const r of RESERVOIRS) {
    const change = values(s.model.reservoir[r].change_in_end_value);
    const value = values(s.model.reservoir[r].end_value);
    change.forEach((c, i) => expect(c).toBeCloseTo(value[i] - value[0], 6));
  }
}

describe('energy values through a gate (water_values_constant_energy_values.yaml)', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve(yaml('water_values_model.yaml'), yaml('water_values_constant_energy_values.yaml') + PUBLISHED_RUN);
  }, SOLVING);

  it('converts Reservoir1 (no plant, a gate into Reservoir2) through Plant1, the first plant below', () => {
    const ecf = (r: string) => s.model.reservoir[r].energy_conversion_factor as number;
    expect(ecf('Reservoir1')).toBe(ecf('Reservoir2'));
    expect(ecf('Reservoir2')).toBeGreaterThan(0);
    expect(ecf('Reservoir3')).toBeGreaterThan(0);
  });

  it('global values add the reservoir below the plant, skipping the one in between', () => {
    const rsv = s.model.reservoir;
    const ecf = (r: string) => rsv[r].energy_conversion_factor as number;
    const wv = (r: string) => rsv[r].calc_global_water_value as number;
    const evi = (r: string) => rsv[r].energy_value_input as number;
    expect(wv('Reservoir3')).toBeCloseTo(evi('Reservoir3') * ecf('Reservoir3'), 6);
    expect(wv('Reservoir2')).toBeCloseTo(evi('Reservoir2') * ecf('Reservoir2') + wv('Reservoir3'), 6);
    expect(wv('Reservoir1')).toBeCloseTo(evi('Reservoir1') * ecf('Reservoir2') + wv('Reservoir3'), 6);
  });

  it('end_value = −WV·V at every state, and the objective sums them', () => {
    for (const r of RESERVOIRS) {
      const wv = s.model.reservoir[r].calc_global_water_value as number;
      const storage = values(s.model.reservoir[r].storage);
      values(s.model.reservoir[r].end_value).forEach((value, i) => expect(value).toBeCloseTo(-wv * storage[i], 4));
    }
    expectObjectiveConsistent(s);
  });

  it('names no end value attribute as unmodelled', () => {
    expect(s.log.some((line) => /energy_value_input|water_value_input/.test(line.message))).toBe(false);
  });
});

describe('energy values mixed with a constant water value (water_values_constant_mixed_values.yaml)', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve(yaml('water_values_model.yaml'), yaml('water_values_constant_mixed_values.yaml') + PUBLISHED_RUN);
  }, SOLVING);

  it('the one-point table is a constant value: end_value = −y·V_T; calc_global_water_value is not computed', () => {
    const r3 = s.model.reservoir.Reservoir3;
    const [table] = r3.water_value_input as Json[];
    expect(table.y).toHaveLength(1);
    expect(r3.calc_global_water_value).toBe(0);
    const storage = values(r3.storage);
    values(r3.end_value).forEach((value, i) => expect(value).toBeCloseTo(-table.y[0] * storage[i], 4));
  });

  it('the table beats energy values below: the reservoirs above add its value', () => {
    const rsv = s.model.reservoir;
    const y = (rsv.Reservoir3.water_value_input as Json[])[0].y[0] as number;
    const ecf = rsv.Reservoir2.energy_conversion_factor as number;
    expect(rsv.Reservoir2.calc_global_water_value).toBeCloseTo(rsv.Reservoir2.energy_value_input * ecf + y, 6);
    expect(rsv.Reservoir1.calc_global_water_value).toBeCloseTo(rsv.Reservoir1.energy_value_input * ecf + y, 6);
    expectObjectiveConsistent(s);
  });

  it(
    'a table beats energy_value_input on the same reservoir',
    async () => {
      const both = await solve(
        yaml('water_values_model.yaml'),
        yaml('water_values_constant_mixed_values.yaml').replace(
          '    Reservoir3:\n',
          '    Reservoir3:\n      energy_value_input: 20\n',
        ) + PUBLISHED_RUN,
      );
      const r3 = both.model.reservoir.Reservoir3;
      expect(r3.energy_value_input).toBe(20);
      expect(r3.calc_global_water_value).toBe(0);
      expect(last(r3.end_value)).toBeCloseTo(-5000 * last(r3.storage), 4);
      expect(both.model.objective.average_objective.grand_total).toBeCloseTo(
        s.model.objective.average_objective.grand_total,
        4,
      );
    },
    SOLVING,
  );
});

describe('water-value tables (water_values_water_value_tables.yaml)', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve(yaml('water_values_model.yaml'), yaml('water_values_water_value_tables.yaml') + PUBLISHED_RUN);
  }, SOLVING);

  it('the end value is the step integral of the table at every state (1e-6 relative)', () => {
    for (const r of RESERVOIRS) {
      const reservoir = s.model.reservoir[r];
      const [table] = reservoir.water_value_input as Json[];
      expect(table.y.length).toBeGreaterThan(1);
      const storage = values(reservoir.storage);
      values(reservoir.end_value).forEach((value, i) => {
        const expected = -stepIntegral(table.x, table.y, storage[i]);
        expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      });
      expect(reservoir.calc_global_water_value).toBe(0);
    }
    expectObjectiveConsistent(s);
  });

  it(
    'a table of equal values gives the constant run',
    async () => {
      const flat = (y: number) =>
        `      water_value_input:\n        - ref: 0\n          x: [0, 40]\n          y: [${y}, ${y}]\n`;
      const one = (y: number) => `      water_value_input:\n        - ref: 0\n          x: [0]\n          y: [${y}]\n`;
      const document = (table: (y: number) => string) =>
        `model:\n  reservoir:\n    Reservoir1:\n${table(24000)}    Reservoir2:\n${table(23000)}    Reservoir3:\n${table(4500)}` +
        PUBLISHED_RUN;
      const [segments, constant] = [
        await solve(yaml('water_values_model.yaml'), document(flat)),
        await solve(yaml('water_values_model.yaml'), document(one)),
      ];
      const total = (x: Solved) => x.model.objective.average_objective.grand_total as number;
      expect(Math.abs(total(segments) - total(constant))).toBeLessThan(1e-6 * Math.abs(total(constant)));
    },
    SOLVING,
  );

  it('refuses a rising table with 400, naming the reservoir', async () => {
    const session: number = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body
      .session_id;
    const put = (text: string) =>
      t
        .http()
        .put('/api/v1/model')
        .set('Authorization', token)
        .set('session_id', String(session))
        .set('Content-Type', 'application/yaml')
        .send(text);
    expect((await put(yaml('water_values_model.yaml'))).status).toBe(200);
    const rising =
      'model:\n  reservoir:\n    Reservoir2:\n      water_value_input:\n        - ref: 0\n' +
      '          x: [0, 10]\n          y: [100, 200]\n' +
      PUBLISHED_RUN;
    const response = await put(rising);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/Reservoir2\.water_value_input: reservoir Reservoir2: .*must not rise/);
    await t.http().delete('/api/v1/session').set('Authorization', token).set('session_id', String(session));
  });
});

/** cuts_model.yaml's published run (§5): not in the files, appended. */
const CUTS_RUN = [
  'commands:',
  '  - set mipgap /absolute 0',
  '  - set mipgap /relative 0',
  '  - start sim 5',
  '  - set code /incremental',
  '  - start sim 3',
  '',
].join('\n');

interface CutSet {
  /** sorted by price */
  levels: Array<{ price: number; rhs: number[]; x: number[][]; y: number[][] }>;
  reservoirs: string[];
}

/** The cut group's cuts as GET /model returns them: rhs per level, the reservoirs' tables with the same refs. */
function cutSet(s: Solved, group: string, reservoirs: string[]): CutSet {
  const rhs = [...(s.model.cut_group[group].rhs as Json[])].sort((a, b) => a.ref - b.ref);
  return {
    reservoirs,
    levels: rhs.map((level) => {
      const tables = reservoirs.map((r) =>
        (s.model.reservoir[r].water_value_input as Json[]).find((t) => Math.abs(t.ref - level.ref) < 1e-9)!,
      );
      return { price: level.ref, rhs: level.y, x: tables.map((t) => t.x), y: tables.map((t) => t.y) };
    }),
  };
}

/** cut_k(V) = rhs_k + Σ_i y_ik·(V_i − x_ik) for every cut of a level. */
const cutValues = (level: CutSet['levels'][number], volumes: number[]) =>
  level.rhs.map((rhs, k) => volumes.reduce((sum, v, i) => sum + level.y[i][k] * (v - level.x[i][k]), rhs));
const argmin = (xs: number[]) => xs.indexOf(Math.min(...xs));

describe('standard cuts (cuts_model.yaml + standard_cuts.yaml)', () => {
  let s: Solved;
  let cuts: CutSet;
  const RESERVOIRS_OF_GROUP = ['Reservoir1', 'Reservoir2'];
  beforeAll(async () => {
    s = await solve(yaml('cuts_model.yaml'), yaml('standard_cuts.yaml') + CUTS_RUN);
    cuts = cutSet(s, 'my_cuts', RESERVOIRS_OF_GROUP);
  }, SOLVING);

  it('the future income is the lowest cut at the end volumes (1e-6), and binding_cut_up names it', () => {
    expect(s.model.objective.average_objective.solver_status).toBe('optimal');
    const group = s.model.cut_group.my_cuts;
    const volumes = RESERVOIRS_OF_GROUP.map((r) => last(s.model.reservoir[r].storage));
    const values = cutValues(cuts.levels[0], volumes);
    const c = -last(group.end_value);
    expect(Math.abs(c - Math.min(...values))).toBeLessThanOrEqual(1e-6 * Math.abs(c));
    expect(last(group.binding_cut_up)).toBe(argmin(values));
    expect(last(group.binding_cut_down)).toBe(-1);
  });

  it('each reservoir’s last water_value_global_result is its binding coefficient, negative', () => {
    const k = last(s.model.cut_group.my_cuts.binding_cut_up);
    RESERVOIRS_OF_GROUP.forEach((r, i) => {
      expect(last(s.model.reservoir[r].water_value_global_result)).toBeCloseTo(-cuts.levels[0].y[i][k], 6);
    });
  });

  it('rsv_end_value = −c; the reservoirs of the group have no end value of their own', () => {
    const objective = s.model.objective.average_objective;
    expect(objective.rsv_end_value).toBeCloseTo(last(s.model.cut_group.my_cuts.end_value), 4);
    for (const r of RESERVOIRS_OF_GROUP) {
      expect(last(s.model.reservoir[r].end_value)).toBe(0);
      expect(s.model.reservoir[r].calc_global_water_value).toBe(0);
    }
    expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 4);
  });

  it('names neither the cut group nor water_value_input as unmodelled', () => {
    expect(s.log.some((line) => /cut_group|water_value_input|rhs/.test(line.message))).toBe(false);
  });
});

describe('price-dependent cuts (cuts_model.yaml + price_dep_cuts.yaml)', () => {
  let s: Solved;
  let cuts: CutSet;
  let standard: CutSet;
  const RESERVOIRS_OF_GROUP = ['Reservoir1', 'Reservoir2'];
  /** The mean sale price over the horizon (72 h, shorter than 168 h) and the levels around it. */
  let weights: { lo: number; hi: number; wLo: number; wHi: number };
  beforeAll(async () => {
    s = await solve(yaml('cuts_model.yaml'), yaml('price_dep_cuts.yaml') + CUTS_RUN);
    cuts = cutSet(s, 'my_cuts', RESERVOIRS_OF_GROUP);
    const sale = s.model.market.Day_ahead.sale_price as Json;
    const prices = values(sale);
    expect(prices).toHaveLength(72);
    const mean = prices.reduce((sum: number, p: number) => sum + p, 0) / prices.length;
    const levels = cuts.levels.map((level) => level.price);
    const hi = levels.findIndex((p) => p >= mean);
    expect(hi).toBeGreaterThan(0);
    const wHi = (mean - levels[hi - 1]) / (levels[hi] - levels[hi - 1]);
    weights = { lo: hi - 1, hi, wLo: 1 - wHi, wHi };
    const std = await solve(yaml('cuts_model.yaml'), yaml('standard_cuts.yaml'));
    standard = cutSet(std, 'my_cuts', RESERVOIRS_OF_GROUP);
  }, SOLVING);

  it('the value is w_lo·min_k cut_lo,k + w_hi·min_k cut_hi,k at the end volumes; binding cuts per level', () => {
    const group = s.model.cut_group.my_cuts;
    const volumes = RESERVOIRS_OF_GROUP.map((r) => last(s.model.reservoir[r].storage));
    const lo = cutValues(cuts.levels[weights.lo], volumes);
    const hi = cutValues(cuts.levels[weights.hi], volumes);
    const expected = weights.wLo * Math.min(...lo) + weights.wHi * Math.min(...hi);
    const c = -last(group.end_value);
    expect(Math.abs(c - expected)).toBeLessThanOrEqual(1e-6 * Math.abs(c));
    expect(last(group.binding_cut_up)).toBe(argmin(hi));
    expect(last(group.binding_cut_down)).toBe(argmin(lo));
    expect(s.model.objective.average_objective.rsv_end_value).toBeCloseTo(last(group.end_value), 4);
  });

  it(
    'equals the standard run with every cut scaled by w_lo·s_lo + w_hi·s_hi (the levels scale one cut set)',
    async () => {
      // Each level is the standard set scaled by s_l: rhs and coefficients alike, the volumes the same.
      const scales = cuts.levels.map((level) => level.rhs[0] / standard.levels[0].rhs[0]);
      cuts.levels.forEach((level, l) => {
        level.rhs.forEach((rhs, k) => expect(rhs / standard.levels[0].rhs[k]).toBeCloseTo(scales[l], 6));
        level.y.forEach((row, i) =>
          row.forEach((y, k) => expect(y / standard.levels[0].y[i][k]).toBeCloseTo(scales[l], 6)),
        );
        level.x.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(standard.levels[0].x[i][k], 9)));
      });
      const scale = weights.wLo * scales[weights.lo] + weights.wHi * scales[weights.hi];
      const document = scaleStandardCuts(yaml('standard_cuts.yaml'), scale);
      const scaledRun = await solve(yaml('cuts_model.yaml'), document + CUTS_RUN);
      const total = (x: Solved) => x.model.objective.average_objective.grand_total as number;
      expect(Math.abs(total(scaledRun) - total(s))).toBeLessThanOrEqual(1e-6 * Math.abs(total(s)));
      expect(last(scaledRun.model.cut_group.my_cuts.end_value)).toBeCloseTo(
        last(s.model.cut_group.my_cuts.end_value),
        2,
      );
    },
    SOLVING,
  );
});

/** standard_cuts.yaml with every y (the rhs constants and the reservoirs' coefficients) times `scale`. */
function scaleStandardCuts(text: string, scale: number): string {
  let inY = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s+y:\s*$/.test(line)) inY = true;
      else if (/^\s+(x:|- ref:|[A-Za-z_]+:)/.test(line)) inY = false;
      const item = /^(\s+- )(-?[\d.]+(?:e[-+]?\d+)?)\s*$/.exec(line);
      return inY && item ? `${item[1]}${Number(item[2]) * scale}` : line;
    })
    .join('\n');
}
