import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { atSteps, fixture as yaml, uploadYaml } from './support/shop-models.js';

/**
 * Multi-scenario runs (modelling-2.md §6), checked from what GET /model returns after uploading
 * the reference stochastic model (12 scenarios sharing the first hour) with its run: the shared
 * hour's decisions, each scenario's water and power balances and the weighted objective are
 * recomputed here from the returned inputs and results.
 */
let t: TestApp;
let token: string;
const SOLVING = 180_000;
const HOUR = 3_600_000;
/** Mm3 per (m3/s · hour) */
const MM3 = 0.0036;
const SCENARIOS = 12;

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token();
});
afterAll(() => t.close());

/** Inner array s of a series at each step (a one-scenario series is the same in all). */
function scenarioSteps(series: Json | number | undefined, s: number, starts: number[]): number[] {
  if (series === undefined || typeof series === 'number') return atSteps(series, starts);
  const inner = series.values[Math.min(s, series.values.length - 1)];
  return atSteps({ ...series, values: [inner] }, starts);
}

describe('stochastic_from_pyshop.yaml: 12 scenarios sharing the first hour', () => {
  let model: Json;
  let log: Json[];
  let starts: number[];
  beforeAll(async () => {
    ({
      body: { model },
      log,
    } = await uploadYaml(t, token, [yaml('stochastic_from_pyshop.yaml')]));
    const first = Date.parse('2018-02-27T00:00:00Z');
    starts = Array.from({ length: 24 }, (_, i) => first + i * HOUR);
  }, SOLVING);

  it('answers every result series with one inner array per scenario', () => {
    for (const [type, name, attribute] of [
      ['reservoir', 'Reservoir1', 'storage'],
      ['generator', 'Plant1_G1', 'production'],
      ['plant', 'Plant2', 'discharge'],
      ['market', 'Day_ahead', 'sale'],
    ]) {
      const series = model[type][name][attribute] as Json;
      expect(series.values).toHaveLength(SCENARIOS);
    }
    expect(log.some((line: Json) => /12 scenarios/.test(line.message))).toBe(true);
  });

  it('takes the same decisions in the shared hour in every scenario, and so has the same storage at 01:00', () => {
    const atZero = (series: Json) => series.values.map((inner: number[]) => inner[0]);
    for (const generator of ['Plant1_G1', 'Plant2_G1']) {
      for (const attribute of ['production', 'discharge', 'committed_out']) {
        const values = atZero(model.generator[generator][attribute]);
        values.forEach((value: number) => expect(value).toBeCloseTo(values[0], 6));
      }
    }
    for (const attribute of ['sale', 'buy']) {
      const values = atZero(model.market.Day_ahead[attribute]);
      values.forEach((value: number) => expect(value).toBeCloseTo(values[0], 6));
    }
    for (const reservoir of ['Reservoir1', 'Reservoir2']) {
      const at0100 = model.reservoir[reservoir].storage.values.map((inner: number[]) => inner[1]);
      at0100.forEach((value: number) => expect(value).toBeCloseTo(at0100[0], 9));
    }
  });

  it('branches after the shared hour: the scenarios with the highest inflow end with the most water', () => {
    const end = model.reservoir.Reservoir1.storage.values.map((inner: number[]) => inner.at(-1));
    const final = (s: number) => end[s] as number;
    // S1 (inflow 50) vs S9 (150) at the same price path.
    expect(final(8)).toBeGreaterThan(final(0));
  });

  it("keeps each scenario's water balance with its own inflow", () => {
    const rsv = model.reservoir;
    for (let s = 0; s < SCENARIOS; s++) {
      const inflow = scenarioSteps(rsv.Reservoir1.inflow, s, starts);
      const q1 = model.plant.Plant1.discharge.values[s] as number[];
      const q2 = model.plant.Plant2.discharge.values[s] as number[];
      const v1 = rsv.Reservoir1.storage.values[s] as number[];
      const v2 = rsv.Reservoir2.storage.values[s] as number[];
      for (let step = 0; step < starts.length; step++) {
        // No spill gates: overflow above max_vol leaves the system, so a reservoir holds at most what flows in.
        expect(v1[step + 1] - v1[step]).toBeLessThanOrEqual((inflow[step] - q1[step]) * MM3 + 1e-6);
        expect(v2[step + 1] - v2[step]).toBeLessThanOrEqual((q1[step] - q2[step]) * MM3 + 1e-6);
        for (const [v, max] of [
          [v1, rsv.Reservoir1.max_vol],
          [v2, rsv.Reservoir2.max_vol],
        ] as Array<[number[], number]>) {
          expect(v[step + 1]).toBeGreaterThanOrEqual(-1e-6);
          if (v[step + 1] < max - 1e-6) {
            // Below max_vol nothing overflows: the balance is exact.
            const inflowTo = v === v1 ? inflow[step] : q1[step];
            const outflow = v === v1 ? q1[step] : q2[step];
            expect(v[step + 1] - v[step]).toBeCloseTo((inflowTo - outflow) * MM3, 6);
          }
        }
      }
    }
  });

  it("balances each scenario's power: production = sale − buy", () => {
    for (let s = 0; s < SCENARIOS; s++) {
      const p1 = model.generator.Plant1_G1.production.values[s] as number[];
      const p2 = model.generator.Plant2_G1.production.values[s] as number[];
      const sale = model.market.Day_ahead.sale.values[s] as number[];
      const buy = model.market.Day_ahead.buy.values[s] as number[];
      const solver1 = model.generator.Plant1_G1.solver_production.values[s] as number[];
      const solver2 = model.generator.Plant2_G1.solver_production.values[s] as number[];
      for (let step = 0; step < starts.length; step++) {
        expect(solver1[step] + solver2[step]).toBeCloseTo(sale[step] - buy[step], 4);
        expect(p1[step]).toBeGreaterThanOrEqual(0);
        expect(p2[step]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('weighs the objective: average_objective = Σ probability · scen_k, for every field', () => {
    const objective = model.objective as Json;
    const probability = (s: number) => {
      const series = model.scenario[`S${s + 1}`].probability as Json;
      return series.values[0].at(-1) as number;
    };
    for (const field of ['total', 'grand_total', 'market_sale_buy', 'startup_costs', 'rsv_end_value']) {
      let weighted = 0;
      for (let s = 0; s < SCENARIOS; s++) weighted += probability(s) * (objective[`scen_${s + 1}`][field] as number);
      expect(objective.average_objective[field]).toBeCloseTo(weighted, 4);
    }
    // Equal probabilities: the plain mean.
    const totals = Array.from({ length: SCENARIOS }, (_, s) => objective[`scen_${s + 1}`].total as number);
    expect(objective.average_objective.total).toBeCloseTo(totals.reduce((a, b) => a + b, 0) / SCENARIOS, 4);
  });

  it("values each scenario's sales at its own prices", () => {
    for (let s = 0; s < SCENARIOS; s++) {
      const price = scenarioSteps(model.market.Day_ahead.sale_price, s, starts);
      const buyPrice = scenarioSteps(model.market.Day_ahead.buy_price, s, starts);
      const sale = model.market.Day_ahead.sale.values[s] as number[];
      const buy = model.market.Day_ahead.buy.values[s] as number[];
      const income = sale.reduce((sum, v, step) => sum + v * price[step] - buy[step] * buyPrice[step], 0);
      expect(model.objective[`scen_${s + 1}`].market_sale_buy).toBeCloseTo(-income, 3);
    }
  });
});

describe('the same scenarios without the shared hour', () => {
  const unshared = () =>
    yaml('stochastic_from_pyshop.yaml').replace(
      /common_scenario:\n {8}2018-02-27 00:00:00: 1\n {8}2018-02-27 01:00:00: (\d+)/g,
      'common_scenario:\n        2018-02-27 00:00:00: $1',
    );

  it(
    'let the high-inflow scenarios produce at 00:00 where the others wait: the shared hour is what makes them agree',
    async () => {
      const { body } = await uploadYaml(t, token, [unshared()]);
      const atZero = (body.model.generator.Plant1_G1.production.values as number[][]).map((inner) => inner[0]);
      expect(Math.max(...atZero) - Math.min(...atZero)).toBeGreaterThan(1);
    },
    SOLVING,
  );

  it(
    'with set com_dec_period 1, produce the same at 00:00 in every scenario, and only production is shared',
    async () => {
      const text = unshared().replace('  - start sim 1\n', '  - set com_dec_period 1\n  - start sim 1\n');
      const { body } = await uploadYaml(t, token, [text]);
      for (const generator of ['Plant1_G1', 'Plant2_G1']) {
        const atZero = (body.model.generator[generator].production.values as number[][]).map((inner) => inner[0]);
        atZero.forEach((value) => expect(value).toBeCloseTo(atZero[0], 6));
      }
      // From 01:00 the scenarios go their own ways.
      const later = (body.model.generator.Plant1_G1.production.values as number[][]).map((inner) => inner.slice(1));
      expect(later.some((series) => series.some((value, i) => Math.abs(value - later[0][i]) > 1))).toBe(true);
    },
    SOLVING,
  );
});

describe('a later run in the session', () => {
  it(
    "goes on from every scenario's last iteration",
    async () => {
      const { log } = await uploadYaml(t, token, [yaml('stochastic_from_pyshop.yaml'), 'commands:\n  - start sim 1\n']);
      const messages = log.map((line: Json) => line.message as string);
      expect(messages.some((m) => /^Iteration 5 \(incremental\).*12 scenarios/.test(m))).toBe(true);
      expect(messages.some((m) => /start afresh/.test(m))).toBe(false);
    },
    SOLVING,
  );
});

describe('refusals', () => {
  async function put(text: string): Promise<Json> {
    const session: number = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body
      .session_id;
    const response = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .set('Content-Type', 'application/yaml')
      .send(text);
    await t.http().delete('/api/v1/session').set('Authorization', token).set('session_id', String(session));
    return response;
  }

  /** The reference model with its text changed. */
  const changed = (from: string | RegExp, to: string) => {
    const text = yaml('stochastic_from_pyshop.yaml');
    const result = text.replace(from, to);
    expect(result).not.toBe(text);
    return result;
  };

  it(
    'refuses inputs that differ in a shared hour (400, naming the series, scenarios and time)',
    async () => {
      const response = await put(
        changed(
          '"2018-02-27 00:00:00": "  101  101  101  101  101  101  101  101  101  101  101  101"',
          '"2018-02-27 00:00:00": "  101  101  101  101  101  101  101  101  101  101  101   99"',
        ),
      );
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/Reservoir1\.inflow.*S1.*S12.*2018-02-27T00:00:00Z.*share/);
    },
    SOLVING,
  );

  it(
    'refuses probabilities that do not sum to 1',
    async () => {
      const response = await put(changed(/0\.08333333333333333/, '0.5'));
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/probabilit.*sum to 1/);
    },
    SOLVING,
  );

  it(
    'refuses a series with another number of scenarios than the model',
    async () => {
      // The sale price's three rows (header and two times) cut to their first 11 values.
      const eleven = (row: string) => row.trim().split(/\s+/).slice(0, 11).join(' ');
      const text = yaml('stochastic_from_pyshop.yaml').replace(
        /(sale_price:\n)((?:\s+"[^"]*": "[^"]*"\n){3})/,
        (_, head: string, rows: string) =>
          head + rows.replace(/: "([^"]*)"/g, (__, row: string) => `: "${eleven(row)}"`),
      );
      expect(text).not.toBe(yaml('stochastic_from_pyshop.yaml'));
      const response = await put(text);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/Day_ahead\.sale_price.*holds 11 scenarios; the model has 12/);
    },
    SOLVING,
  );

  it(
    'answers 422 naming the scenario whose own load cannot be met',
    async () => {
      const row = (values: number[]) => `"${values.join(' ')}"`;
      const zeros = new Array(SCENARIOS).fill(0);
      const load = [
        '      load:',
        `        "Scenario #": ${row(zeros.map((_, s) => s + 1))}`,
        `        "2018-02-27 00:00:00": ${row(zeros)}`,
        `        "2018-02-27 12:00:00": ${row([...zeros.slice(1), 1000])}`,
        `        "2018-02-27 13:00:00": ${row(zeros)}`,
        '',
      ].join('\n');
      const text = changed('      max_buy:\n        2018-02-27 00:00:00: 9999\n', `      max_buy: 0\n${load}`).replace(
        'commands:\n',
        'commands:\n  - penalty flag /off /load\n',
      );
      const response = await put(text);
      expect(response.status).toBe(422);
      const balances = (response.body.details as Json[]).filter((d) => d.attribute === 'balance');
      expect(balances.length).toBeGreaterThan(0);
      for (const balance of balances) {
        expect(balance).toMatchObject({ scenario: 12, time: '2018-02-27T12:00:00Z' });
        expect(balance.message).toMatch(/^scenario 12, market: load balance/);
      }
    },
    SOLVING,
  );

  it(
    'refuses a scenario that continues another one’s history (common_history, not supported yet)',
    async () => {
      const response = await put(
        changed(
          '    S2:\n      scenario_id: 2\n',
          '    S2:\n      scenario_id: 2\n      common_history:\n        2018-02-27 00:00:00: 1\n',
        ),
      );
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/S2\.common_history/);
    },
    SOLVING,
  );
});
