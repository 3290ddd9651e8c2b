import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { atSteps, fixture as yaml, uploadYaml } from './support/shop-models.js';

/**
 * Reserve capacity (modelling-2.md §4), checked from what GET /model returns after uploading
 * the reference reserve model with its obligations (fcr_n_group ±10 MW on all six units,
 * frr_group 15 MW up on Plant2's four) and the run SHOP published it with: every group's
 * obligation, every unit's headroom and footroom is recomputed here from the returned inputs,
 * connections and results, independently of the solver.
 */
const PUBLISHED_RUN = ['commands:', '  - start sim 3', '  - set code /incremental', '  - start sim 5', ''].join('\n');

let t: TestApp;
let token: string;
/** Jest's limit for a hook that solves the models (eight MIP iterations each, on a shared machine). */
const SOLVING = 240_000;
const TOLERANCE = 1e-6;

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token();
});
afterAll(() => t.close());

interface Solved {
  model: Json;
  connections: Json[];
  log: Json[];
}

async function solve(...documents: string[]): Promise<Solved> {
  const { body, log } = await uploadYaml(t, token, documents);
  return { model: body.model, connections: body.connections ?? [], log };
}

const KEYS = ['fcr_n_up', 'fcr_n_down', 'fcr_d_up', 'fcr_d_down', 'frr_up', 'frr_down', 'rr_up', 'rr_down'];
const UP = ['fcr_n_up', 'fcr_d_up', 'frr_up', 'rr_up'];
const DOWN = ['fcr_n_down', 'fcr_d_down', 'frr_down', 'rr_down'];
const values = (series: Json | undefined): number[] => (series ? (series.values[0] as number[]) : []);

/** The step starts (ms) of the run's flow series. */
const stepsOf = (s: Solved): number[] =>
  (Object.values(s.model.generator as Json)[0].solver_production.timestamps as string[]).map(Date.parse);

/** The generators connected to a reserve group, written either way. */
function groupUnits(s: Solved, group: string): string[] {
  return s.connections
    .filter((c) => c.from_type === 'reserve_group' || c.to_type === 'reserve_group')
    .filter((c) => c.from === group || c.to === group)
    .map((c) => (c.from === group ? c.to : c.from) as string)
    .filter((name) => s.model.generator[name] !== undefined);
}

const delivery = (s: Solved, unit: string, key: string, steps: number[]): number[] => {
  const series = values(s.model.generator[unit][`${key}_delivery`]);
  return steps.map((_, h) => series[h] ?? 0);
};

const energy = (s: Solved): number =>
  Object.values(s.model.generator as Record<string, Json>).reduce(
    (sum, unit) => sum + values(unit.production).reduce((a, b) => a + b, 0),
    0,
  );

describe('reserve_capacity_model.yaml + reserve_obligation.yaml', () => {
  let s: Solved;
  let without: Solved;
  beforeAll(async () => {
    s = await solve(yaml('reserve_capacity_model.yaml'), yaml('reserve_obligation.yaml') + '\n' + PUBLISHED_RUN);
    without = await solve(yaml('reserve_capacity_model.yaml'), PUBLISHED_RUN);
  }, SOLVING);

  it('meets every group’s obligation in every hour exactly, without violation', () => {
    const steps = stepsOf(s);
    const groups = Object.entries(s.model.reserve_group as Record<string, Json>);
    expect(groups.map(([name]) => name).sort()).toEqual(['fcr_n_group', 'frr_group']);
    let checked = 0;
    for (const [name, group] of groups) {
      const units = groupUnits(s, name);
      expect(units.length).toBeGreaterThan(0);
      for (const key of KEYS) {
        if (group[`${key}_obligation`] === undefined) continue;
        const obligation = atSteps(group[`${key}_obligation`], steps);
        const violation = values(group[`${key}_violation`]);
        const slack = values(group[`${key}_slack`]);
        steps.forEach((_, h) => {
          const delivered = units.reduce((sum, unit) => sum + delivery(s, unit, key, steps)[h], 0);
          expect(Math.abs(delivered + violation[h] - slack[h] - obligation[h])).toBeLessThan(TOLERANCE);
          expect(violation[h]).toBeLessThan(TOLERANCE);
          expect(Math.abs(delivered - obligation[h])).toBeLessThan(TOLERANCE);
          checked++;
        });
      }
    }
    // fcr_n up and down, frr up, over 72 hours.
    expect(checked).toBe(3 * 72);
  });

  it('delivers FRR only from the units connected to the FRR group', () => {
    const steps = stepsOf(s);
    const frrUnits = groupUnits(s, 'frr_group');
    for (const unit of Object.keys(s.model.generator as Json)) {
      if (frrUnits.includes(unit)) continue;
      expect(Math.max(...delivery(s, unit, 'frr_up', steps))).toBeLessThan(TOLERANCE);
    }
  });

  it('keeps every running unit’s production + up ≤ p_max and − down ≥ p_min; no reserve on stopped ones', () => {
    const steps = stepsOf(s);
    let running = 0;
    for (const [name, unit] of Object.entries(s.model.generator as Record<string, Json>)) {
      const production = values(unit.solver_production);
      const committed = values(unit.committed_out);
      const pMax = unit.p_max as number;
      const pMin = unit.p_min as number;
      steps.forEach((_, h) => {
        const up = UP.reduce((sum, key) => sum + delivery(s, name, key, steps)[h], 0);
        const down = DOWN.reduce((sum, key) => sum + delivery(s, name, key, steps)[h], 0);
        if (committed[h] === 1) {
          running++;
          expect(production[h] + up).toBeLessThanOrEqual(pMax + TOLERANCE);
          expect(production[h] - down).toBeGreaterThanOrEqual(pMin - TOLERANCE);
        } else {
          expect(up + down).toBeLessThan(TOLERANCE);
        }
      });
    }
    expect(running).toBeGreaterThan(0);
  });

  it('keeps FCR within the droop: fcr_n ≤ 2·fcr_n_band·p_nom/droop_result (band 0.1 Hz)', () => {
    const steps = stepsOf(s);
    for (const [name, unit] of Object.entries(s.model.generator as Record<string, Json>)) {
      const droop = values(unit.droop_result);
      const pNom = (unit.p_nom ?? unit.p_max) as number;
      steps.forEach((_, h) => {
        expect(droop[h]).toBeGreaterThanOrEqual(1 - TOLERANCE);
        expect(droop[h]).toBeLessThanOrEqual(12 + TOLERANCE);
        for (const key of ['fcr_n_up', 'fcr_n_down']) {
          const r = delivery(s, name, key, steps)[h];
          expect(r).toBeLessThanOrEqual((2 * 0.1 * pNom) / droop[h] + TOLERANCE);
          // The physical delivery: what the droop gives where the unit delivers.
          const physical = values(unit[`${key}_delivery_physical`])[h];
          expect(physical).toBeCloseTo(r > 1e-9 ? (2 * 0.1 * pNom) / droop[h] : 0, 6);
        }
      });
    }
  });

  it('reports the reserve costs in the objective: no violation, the slack cost in the minor penalties', () => {
    const objective = s.model.objective.average_objective;
    expect(objective.solver_status).toBe('optimal');
    expect(objective.reserve_violation_penalty).toBeCloseTo(0, 6);
    expect(objective.reserve_schedule_penalty).toBe(0);
    expect(objective.reserve_sale_buy).toBe(0);
    expect(objective.minor_penalties).toBeGreaterThanOrEqual(objective.reserve_slack_cost);
    expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 4);
  });

  it('costs something: the same model without obligations earns more', () => {
    const withReserves = s.model.objective.average_objective.grand_total as number;
    const withoutReserves = without.model.objective.average_objective.grand_total as number;
    expect(without.model.reserve_group).toBeUndefined();
    expect(withReserves).toBeGreaterThan(withoutReserves);
    // For the report: the energy either way (MWh).
    expect(energy(s)).toBeGreaterThan(0);
    expect(energy(without)).toBeGreaterThan(0);
  });

  it('names no reserve attribute or object as unmodelled', () => {
    const warnings = s.log.filter((line) => line.level === 'WARNING').map((line) => line.message as string);
    expect(warnings.filter((message) => /reserve|obligation|fcr|frr/.test(message))).toEqual([]);
  });
});

describe('set reserve_penalty_cost', () => {
  it(
    'below what reserve costs, the obligation is left unmet and the violation is charged at that cost',
    async () => {
      const run = PUBLISHED_RUN.replace('commands:\n', 'commands:\n  - set reserve_penalty_cost 0.001\n');
      const s = await solve(yaml('reserve_capacity_model.yaml'), yaml('reserve_obligation.yaml') + '\n' + run);
      const steps = stepsOf(s);
      let violated = 0;
      let charged = 0;
      for (const group of Object.values(s.model.reserve_group as Record<string, Json>)) {
        for (const key of KEYS) {
          const violation = values(group[`${key}_violation`]);
          steps.forEach((_, h) => {
            violated += violation[h] ?? 0;
            charged += (violation[h] ?? 0) * 0.001;
          });
        }
      }
      expect(violated).toBeGreaterThan(0);
      const objective = s.model.objective.average_objective;
      expect(objective.reserve_violation_penalty).toBeCloseTo(charged, 6);
    },
    SOLVING,
  );
});

/**
 * smooth_reserve.yaml on top (modelling-2.md §4): a 1 MW minimum for every unit's FCR-N (and
 * Plant2's FRR up) and `set reserve_ramping_cost 5`. Recomputed from GET /model: the
 * obligations still hold, every positive delivery of a key with a minimum is at least 1 MW, and
 * the ramping cost is 5 per MW of change from hour to hour, counted in the minor penalties and
 * so in the grand total.
 */
describe('reserve_capacity_model.yaml + reserve_obligation.yaml + smooth_reserve.yaml', () => {
  let s: Solved;
  beforeAll(async () => {
    // smooth_reserve.yaml ends with its command list: the run's commands go on after it.
    const [ownCommands] = /commands:\n(?:\s+- .*\n?)+$/.exec(yaml('smooth_reserve.yaml'))!;
    expect(ownCommands).toContain('set reserve_ramping_cost 5');
    s = await solve(
      yaml('reserve_capacity_model.yaml'),
      yaml('reserve_obligation.yaml'),
      yaml('smooth_reserve.yaml').trimEnd() + '\n' + PUBLISHED_RUN.replace('commands:\n', ''),
    );
  }, SOLVING);

  it('runs the published iterations with the ramping cost set', () => {
    const messages = s.log.map((line) => line.message as string);
    expect(messages.filter((m) => /^Iteration \d+ /.test(m))).toHaveLength(8);
    expect(s.model.objective.average_objective.solver_status).toBe('optimal');
  });

  it('meets the obligations and keeps every positive delivery at or above its 1 MW minimum', () => {
    const steps = stepsOf(s);
    const smooth = yamlMinimums();
    let positive = 0;
    for (const [unit, keys] of Object.entries(smooth)) {
      for (const [key, min] of Object.entries(keys)) {
        for (const r of delivery(s, unit, key, steps)) {
          if (r <= TOLERANCE) continue;
          positive++;
          expect(r).toBeGreaterThanOrEqual(min - TOLERANCE);
        }
      }
    }
    expect(positive).toBeGreaterThan(0);
    for (const [name, group] of Object.entries(s.model.reserve_group as Record<string, Json>)) {
      for (const key of KEYS) {
        if (group[`${key}_obligation`] === undefined) continue;
        const obligation = atSteps(group[`${key}_obligation`], steps);
        steps.forEach((_, h) => {
          const delivered = groupUnits(s, name).reduce((sum, unit) => sum + delivery(s, unit, key, steps)[h], 0);
          expect(Math.abs(delivered - obligation[h])).toBeLessThan(TOLERANCE);
        });
      }
    }
  });

  it('charges 5 per MW of change in each delivery, in the minor penalties and the grand total', () => {
    const steps = stepsOf(s);
    let ramping = 0;
    for (const unit of Object.keys(s.model.generator as Json)) {
      for (const key of KEYS) {
        const r = delivery(s, unit, key, steps);
        for (let h = 1; h < r.length; h++) ramping += 5 * Math.abs(r[h] - r[h - 1]);
      }
    }
    const objective = s.model.objective.average_objective;
    expect(ramping).toBeGreaterThan(0);
    expect(objective.reserve_ramping_cost).toBeCloseTo(ramping, 4);
    const minor = [
      'reserve_ramping_cost',
      'reserve_slack_cost',
      'reserve_violation_penalty',
      'reserve_schedule_penalty',
    ];
    expect(objective.minor_penalties).toBeGreaterThanOrEqual(
      minor.reduce((sum, field) => sum + (objective[field] as number), 0) - TOLERANCE,
    );
    expect(objective.sum_penalties).toBeCloseTo(objective.major_penalties + objective.minor_penalties, 6);
    const inTotal = ['market_sale_buy', 'startup_costs', 'sum_penalties', 'vow_in_transit', 'reserve_sale_buy'];
    const others = ['reserve_oblig_value', 'reserve_allocation_cost'];
    const total = [...inTotal, ...others].reduce((sum, field) => sum + ((objective[field] as number) ?? 0), 0);
    expect(objective.total).toBeCloseTo(total, 4);
    expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 4);
  });
});

/** The `<key>_min` of each generator in smooth_reserve.yaml (MW; its values are constant). */
function yamlMinimums(): Record<string, Record<string, number>> {
  const minimums: Record<string, Record<string, number>> = {};
  let unit = '';
  let key = '';
  for (const line of yaml('smooth_reserve.yaml').split('\n')) {
    const name = /^ {4}(\w+):\s*$/.exec(line);
    const attribute = /^ {6}(\w+)_min:\s*$/.exec(line);
    const value = /^ {8}\S+ \S+: ([\d.]+)\s*$/.exec(line);
    if (name) unit = name[1];
    else if (attribute) key = attribute[1];
    else if (value && key) (minimums[unit] ??= {})[key] = Number(value[1]);
  }
  return minimums;
}

describe('plant frr_up_max below the FRR obligation', () => {
  it(
    'caps Plant2’s FRR up at 12 MW each hour, the other 3 MW of frr_group’s 15 a violation',
    async () => {
      const plantLimit = [
        'model:',
        '  plant:',
        '    Plant2:',
        '      frr_up_max:',
        '        2018-01-23 00:00:00: 12',
        PUBLISHED_RUN,
      ].join('\n');
      const s = await solve(yaml('reserve_capacity_model.yaml'), yaml('reserve_obligation.yaml'), plantLimit);
      const steps = stepsOf(s);
      const violation = values(s.model.reserve_group.frr_group.frr_up_violation);
      const plant2 = Object.keys(s.model.generator as Json).filter((name) => name.startsWith('Plant2_'));
      expect(plant2).toHaveLength(4);
      steps.forEach((_, h) => {
        const sum = plant2.reduce((total, unit) => total + delivery(s, unit, 'frr_up', steps)[h], 0);
        expect(sum).toBeCloseTo(12, 6);
        expect(violation[h]).toBeCloseTo(3, 6);
      });
      const warnings = s.log.filter((line) => line.level === 'WARNING').map((line) => line.message as string);
      expect(warnings.filter((message) => /frr_up_max/.test(message))).toEqual([]);
    },
    SOLVING,
  );
});

/**
 * Reserves from a pump (modelling-2.md §4): basic_pump.yaml's pump (40 MW, fixed speed) in a
 * group asking 40 MW of RR down. A running pump at p_max has no room to raise its consumption,
 * so RR down comes from the stopped pump (`rr_down_off ≤ p_max·(1 − u)`): the pump stays off.
 */
describe('basic_pump.yaml with an RR down group on its pump', () => {
  const model = () => yaml('basic_pump.yaml').replace(/^commands:[\s\S]*$/m, '');
  const run = yaml('basic_pump.yaml').match(/^commands:[\s\S]*$/m)![0];
  const group = [
    'model:',
    '  reserve_group:',
    '    rr_group:',
    '      rr_down_obligation:',
    '        2018-02-27 00:00:00: 40',
    'connections:',
    '  - from: rr_group',
    '    to: P1P1',
    '    from_type: reserve_group',
    '    to_type: pump',
    '    connection_type: connection_standard',
    '    order: 0',
    '',
  ].join('\n');

  it(
    'delivers the 40 MW from the stopped pump every hour; without the group it pumps',
    async () => {
      const without = await solve(model(), run);
      const s = await solve(model(), group + run);
      const consumption = (x: Solved) => values(x.model.pump.P1P1.consumption);
      expect(Math.max(...consumption(without))).toBeGreaterThan(1);
      const delivered = values(s.model.pump.P1P1.rr_down_delivery);
      const violation = values(s.model.reserve_group.rr_group.rr_down_violation);
      expect(delivered).toHaveLength(24);
      delivered.forEach((mw, h) => {
        expect(mw).toBeCloseTo(40, 6);
        expect(violation[h]).toBeCloseTo(0, 6);
        expect(consumption(s)[h] ?? 0).toBeLessThan(TOLERANCE);
      });
      const warnings = s.log.filter((line) => line.level === 'WARNING').map((line) => line.message as string);
      expect(warnings.filter((message) => /reserve|rr_down/.test(message))).toEqual([]);
    },
    SOLVING,
  );
  it(
    'with rr_down_min 35 on the pump and ramping at 5: deliveries 0 or at least 35, ramping counted',
    async () => {
      const minimum = ['  pump:', '    P1P1:', '      rr_down_min:', '        2018-02-27 00:00:00: 35', ''].join('\n');
      const obligation30 = group.replace('2018-02-27 00:00:00: 40', '2018-02-27 00:00:00: 30');
      const withMinimum = obligation30.replace('connections:', minimum + 'connections:');
      const ramped = run.replace('commands:\n', 'commands:\n  - set reserve_ramping_cost 5\n');
      const s = await solve(model(), withMinimum + ramped);
      const delivered = values(s.model.pump.P1P1.rr_down_delivery);
      const violation = values(s.model.reserve_group.rr_group.rr_down_violation);
      const slack = values(s.model.reserve_group.rr_group.rr_down_slack);
      expect(delivered).toHaveLength(24);
      delivered.forEach((mw, h) => {
        if (mw > TOLERANCE) expect(mw).toBeGreaterThanOrEqual(35 - TOLERANCE);
        expect(Math.abs(mw + violation[h] - slack[h] - 30)).toBeLessThan(TOLERANCE);
      });
      expect(Math.max(...delivered)).toBeGreaterThanOrEqual(35 - TOLERANCE);
      let ramping = 0;
      for (let h = 1; h < delivered.length; h++) ramping += 5 * Math.abs(delivered[h] - delivered[h - 1]);
      expect(s.model.objective.average_objective.reserve_ramping_cost).toBeCloseTo(ramping, 6);
    },
    SOLVING,
  );
  it(
    'with an rr_down_schedule of 25 on the pump (its group on the generator): 25 MW, off its schedule never',
    async () => {
      const schedule = [
        'model:',
        '  reserve_group:',
        '    fcr_group:',
        '      fcr_n_up_obligation:',
        '        2018-02-27 00:00:00: 5',
        '  pump:',
        '    P1P1:',
        '      rr_down_schedule:',
        '        2018-02-27 00:00:00: 25',
        'connections:',
        '  - from: fcr_group',
        '    to: P1G1',
        '    from_type: reserve_group',
        '    to_type: generator',
        '    connection_type: connection_standard',
        '    order: 0',
        '',
      ].join('\n');
      const s = await solve(model(), schedule + run);
      const delivered = values(s.model.pump.P1P1.rr_down_delivery);
      const penalty = values(s.model.pump.P1P1.rr_down_schedule_penalty);
      const consumption = values(s.model.pump.P1P1.consumption);
      expect(delivered).toHaveLength(24);
      delivered.forEach((mw, h) => {
        expect(mw).toBeCloseTo(25, 6);
        expect(penalty[h]).toBeCloseTo(0, 6);
        expect(consumption[h] ?? 0).toBeLessThan(TOLERANCE);
      });
      expect(s.model.objective.average_objective.reserve_schedule_penalty).toBeCloseTo(0, 6);
    },
    SOLVING,
  );
});

/**
 * FCR from a variable-speed pump (basic_pump.yaml's pump with p_min 20): up lowers its
 * consumption; its droop bounds the delivery, `fcr_n_up ≤ 2·fcr_n_band·p_nom/droop` (0.8 MW at
 * droop_min 10 for its 40 MW), and `spinning_reserve_up_max` caps it further.
 */
describe('basic_pump.yaml with an FCR-N up group on its pump', () => {
  const model = () => yaml('basic_pump.yaml').replace(/^commands:[\s\S]*$/m, '');
  const run = yaml('basic_pump.yaml').match(/^commands:[\s\S]*$/m)![0];
  const withPump = (attributes: string[]) =>
    [
      'model:',
      '  reserve_group:',
      '    fcr_group:',
      '      fcr_n_up_obligation:',
      '        2018-02-27 00:00:00: 5',
      '  pump:',
      '    P1P1:',
      '      p_min: 20',
      ...attributes.map((line) => `      ${line}`),
      'connections:',
      '  - from: fcr_group',
      '    to: P1P1',
      '    from_type: reserve_group',
      '    to_type: pump',
      '    connection_type: connection_standard',
      '    order: 0',
      '',
    ].join('\n');

  it(
    "bounds the pump's FCR by its droop, reports droop_result, and caps it by spinning_reserve_up_max",
    async () => {
      const free = await solve(model(), withPump([]) + run);
      const droopy = await solve(model(), withPump(['droop_min:', '  2018-02-27 00:00:00: 10']) + run);
      const capped = await solve(
        model(),
        withPump([
          'droop_min:',
          '  2018-02-27 00:00:00: 10',
          'spinning_reserve_up_max:',
          '  2018-02-27 00:00:00: 0.5',
        ]) + run,
      );
      const delivered = (x: Solved) => values(x.model.pump.P1P1.fcr_n_up_delivery);
      // At the default droop range (1–12) the pump can give the whole 5 MW.
      expect(Math.max(...delivered(free))).toBeCloseTo(5, 6);
      const band = 0.1;
      const pNom = 40;
      const droop = values(droopy.model.pump.P1P1.droop_result);
      delivered(droopy).forEach((mw, h) => {
        expect(droop[h]).toBeGreaterThanOrEqual(10 - TOLERANCE);
        expect(mw).toBeLessThanOrEqual((2 * band * pNom) / droop[h] + TOLERANCE);
        const violation = values(droopy.model.reserve_group.fcr_group.fcr_n_up_violation)[h];
        const slack = values(droopy.model.reserve_group.fcr_group.fcr_n_up_slack)[h];
        expect(Math.abs(mw + violation - slack - 5)).toBeLessThan(TOLERANCE);
      });
      expect(Math.max(...delivered(droopy))).toBeCloseTo(0.8, 6);
      delivered(capped).forEach((mw) => expect(mw).toBeLessThanOrEqual(0.5 + TOLERANCE));
      expect(Math.max(...delivered(capped))).toBeCloseTo(0.5, 6);
      const warnings = droopy.log.filter((line) => line.level === 'WARNING').map((line) => line.message as string);
      expect(warnings.filter((message) => /droop|spinning/.test(message))).toEqual([]);
    },
    SOLVING,
  );
});

describe('a reserve market on fcr_n_group', () => {
  it(
    'buys FCR-N up within max_buy and reports the obligation left unmet as its reserve_obligation_penalty',
    async () => {
      const market = [
        'model:',
        '  market:',
        '    fcr_n_up_market:',
        '      market_type: FCR_N_UP',
        '      max_buy:',
        '        2018-01-23 00:00:00: 4',
        '      max_sale:',
        '        2018-01-23 00:00:00: 0',
        '      buy_price:',
        '        2018-01-23 00:00:00: 0.0001',
        '      sale_price:',
        '        2018-01-23 00:00:00: 0',
        'connections:',
        '  - from: fcr_n_group',
        '    to: fcr_n_up_market',
        '    from_type: reserve_group',
        '    to_type: market',
        '    connection_type: connection_standard',
        '    order: 0',
        PUBLISHED_RUN.replace('commands:\n', 'commands:\n  - set fcr_n_band 0.001\n'),
      ].join('\n');
      const s = await solve(yaml('reserve_capacity_model.yaml'), yaml('reserve_obligation.yaml'), market);
      const steps = stepsOf(s);
      const violation = values(s.model.reserve_group.fcr_n_group.fcr_n_up_violation);
      const penalty = values(s.model.market.fcr_n_up_market.reserve_obligation_penalty);
      const buy = values(s.model.market.fcr_n_up_market.buy);
      expect(penalty).toHaveLength(steps.length);
      // A 0.001 Hz band leaves the units 2·0.001·p_nom each (1.17 MW in all): the market's
      // 4 MW are bought, the rest of the 10 MW is unmet, and the market reports it.
      const units = Object.keys(s.model.generator as Json);
      steps.forEach((_, h) => {
        const delivered = units.reduce((sum, unit) => sum + delivery(s, unit, 'fcr_n_up', steps)[h], 0);
        expect(buy[h]).toBeCloseTo(4, 6);
        expect(penalty[h]).toBeCloseTo(violation[h], 9);
        expect(penalty[h]).toBeCloseTo(10 - 4 - delivered, 6);
        expect(penalty[h]).toBeGreaterThan(4);
      });
    },
    SOLVING,
  );
});
