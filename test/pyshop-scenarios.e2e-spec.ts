import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildBasicModel, readSeries } from './support/pyshop-basic.js';
import { PyshopWireClient } from './support/pyshop-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const START = '20180227000000';
const SCENARIOS = 12;

/**
 * pyshop's stochastic example (pyshop/examples/stochastic.py) over the wire: the basic example's
 * topology with 12 equally likely scenarios sharing the first hour, the first one (S1) set
 * without adding it as every SHOP session has it, prices and inflows as 12-column DataFrames
 * (time-major rows), then `start sim 1`, incremental, `start sim 3`, and the results read back as
 * pyshop reads a DataFrame.
 */
describe("pyshop's stochastic example over /internal", () => {
  let t: TestApp;
  let token: string;
  let shop: PyshopWireClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error', TARN_SHOP_COMPAT_USER: 'pyshop@tarn.test' } });
    token = await t.token();
    await t.createUser(token, { email: 'pyshop@tarn.test', password: 'pyshop-password', account_name: 'Scripts' });
    shop = await PyshopWireClient.listening(t.app);
    expect((await shop.open('stochastic')).status).toBe(200);
  });
  afterAll(() => t.close());

  it('sets up the scenarios: S1 is there without being added, S2…S12 are added', async () => {
    expect(await shop.call('SetTimeResolution', START, '20180228000000', 'hour')).toBe(true);
    for (let i = 1; i <= SCENARIOS; i++) {
      const name = `S${i}`;
      if (i > 1) expect(await shop.call('AddObject', 'scenario', name)).toBe(true);
      expect(await shop.call('SetIntValue', 'scenario', name, 'scenario_id', i)).toBe(true);
      expect(await shop.call('SetTxySeries', 'scenario', name, 'probability', START, [0], [1 / SCENARIOS])).toBe(true);
      expect(await shop.call('SetTxySeries', 'scenario', name, 'common_scenario', START, [0, 1], [1, i])).toBe(true);
    }
    await buildBasicModel(shop);
    const row = (values: number[]) => values;
    const prices = [38.5, 39, 39.5, 40];
    expect(
      await shop.call(
        'SetTxySeries',
        'market',
        'Day_ahead',
        'sale_price',
        START,
        [0, 1],
        [row(new Array(SCENARIOS).fill(39)), row(Array.from({ length: SCENARIOS }, (_, s) => prices[s % 4]))],
      ),
    ).toBe(true);
    expect(
      await shop.call(
        'SetTxySeries',
        'reservoir',
        'Reservoir1',
        'inflow',
        START,
        [0, 1],
        [
          row(new Array(SCENARIOS).fill(101)),
          row(Array.from({ length: SCENARIOS }, (_, s) => 50 * (1 + Math.floor(s / 4)))),
        ],
      ),
    ).toBe(true);
    const names = (await shop.call('GetObjectNamesInSystem')) as string[];
    expect(names.filter((name) => /^S\d+$/.test(name)).sort()).toEqual(
      Array.from({ length: SCENARIOS }, (_, s) => `S${s + 1}`).sort(),
    );
  });

  it('runs as the script does, and reads every scenario back as rows of a DataFrame', async () => {
    expect(await shop.call('ExecuteCommand', 'start sim', [], ['1'])).toBe(true);
    expect(await shop.call('ExecuteCommand', 'set code', ['incremental'], [])).toBe(true);
    expect(await shop.call('ExecuteCommand', 'start sim', [], ['3'])).toBe(true);

    const inflow = await readSeries(shop, 'reservoir', 'Reservoir1', 'inflow');
    expect(inflow.y).toEqual([
      new Array(SCENARIOS).fill(101),
      [50, 50, 50, 50, 100, 100, 100, 100, 150, 150, 150, 150],
    ]);

    const production = await readSeries(shop, 'plant', 'Plant2', 'production');
    const rows = production.y as unknown as number[][];
    expect(rows).toHaveLength(24);
    rows.forEach((row) => expect(row).toHaveLength(SCENARIOS));
    // The shared hour: one decision.
    rows[0].forEach((value) => expect(value).toBeCloseTo(rows[0][0], 6));

    // The same numbers as GET /model's values[scenario][time].
    const model = (
      await t.http().get('/api/v1/model').set('Authorization', token).set('session_id', String(shop.sessionId))
    ).body as Json;
    const series = model.model.plant.Plant2.production.values as number[][];
    rows.forEach((row, time) => row.forEach((value, s) => expect(value).toBeCloseTo(series[s][time], 9)));

    // One objective per scenario, and the weighted one.
    const objectives = (await shop.call('GetObjectNamesInSystem')) as string[];
    const types = (await shop.call('GetObjectTypesInSystem')) as string[];
    const objectiveNames = objectives.filter((_, i) => types[i] === 'objective');
    expect(objectiveNames).toEqual(
      expect.arrayContaining(['average_objective', ...Array.from({ length: SCENARIOS }, (_, s) => `scen_${s + 1}`)]),
    );
    let weighted = 0;
    for (let s = 1; s <= SCENARIOS; s++) {
      weighted += ((await shop.call('GetDoubleValue', 'objective', `scen_${s}`, 'total')) as number) / SCENARIOS;
    }
    expect(await shop.call('GetDoubleValue', 'objective', 'average_objective', 'total')).toBeCloseTo(weighted, 4);
  });
});
