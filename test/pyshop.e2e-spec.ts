import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildBasicModel, readSeries, runBasicCommands } from './support/pyshop-basic.js';
import { PyshopWireClient } from './support/pyshop-client.js';
import { fixture } from './support/shop-models.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

/** pyshop's basic example as pyshop 1.4.0 sent it in REST mode: [method, path, body text]. */
const pyshopBasicCalls = (): Array<[string, string, string | null]> =>
  fixture('pyshop-basic-calls.jsonl')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as [string, string, string | null]);

/**
 * pyshop's basic script over the wire, call by call, as pyshop sends it (a new connection per
 * call, session-id header, {args, kwargs} bodies, Python's JSON), then the same session through
 * the SHOP JSON endpoints.
 */
describe('a pyshop script over /internal', () => {
  let t: TestApp;
  let token: string;
  let shop: PyshopWireClient;

  beforeAll(async () => {
    // Compatibility mode, as an operator turns it on for pyshop: anonymous requests from this
    // machine act as a plain user. The clients below send no header beyond pyshop's.
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error', TARN_SHOP_COMPAT_USER: 'pyshop@tarn.test' } });
    token = await t.token();
    await t.createUser(token, { email: 'pyshop@tarn.test', password: 'pyshop-password', account_name: 'Scripts' });
    shop = await PyshopWireClient.listening(t.app);
    const opened = await shop.open('basic');
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ session_id: expect.any(Number), session_name: 'basic' });
  });
  afterAll(() => t.close());

  const model = async (query = '') =>
    (await t.http().get(`/api/v1/model${query}`).set('Authorization', token).set('session_id', String(shop.sessionId)))
      .body as Json;

  it('opens as ShopSession does: the function list, the catalogue, an empty model', async () => {
    const list = await shop.send('GET', '/internal');
    expect(list.status).toBe(200);
    expect(list.body).toEqual(expect.arrayContaining(['AddObject', 'SetTxySeries', 'ExecuteCommand']));
    const types = (await shop.call('GetObjectTypeNames')) as string[];
    expect(types).toEqual(expect.arrayContaining(['reservoir', 'plant', 'generator', 'market', 'objective']));
    for (const type of types) {
      expect(await shop.call('GetObjectInfo', type, 'isInput')).toBe(type === 'objective' ? 'False' : 'True');
    }
    // SHOP's global_settings object and first scenario are there from the start, as in every SHOP session.
    expect(await shop.call('GetObjectNamesInSystem')).toEqual(['global_settings', 'S1']);
    expect(await shop.call('GetObjectTypesInSystem')).toEqual(['global_settings', 'scenario']);
    expect(await shop.call('GetCommandTypesInSystem')).toEqual(
      expect.arrayContaining(['start sim', 'set code', 'set time_delay_unit', 'penalty flag']),
    );
    expect(await shop.call('UpdateNeeded')).toBe(false);
  });

  it('builds the basic model object by object; GET /model holds every value', async () => {
    await buildBasicModel(shop);
    expect(shop.calls.filter((call) => call.status >= 400)).toEqual([]);
    const body = await model();
    expect(body.time).toEqual({
      start_time: '2018-02-27T00:00:00Z',
      end_time: '2018-02-28T00:00:00Z',
      time_unit: 'hour',
    });
    const { reservoir, plant, generator, market } = body.model;
    expect(reservoir.Reservoir1).toMatchObject({
      max_vol: 12,
      lrl: 90,
      hrl: 100,
      vol_head: { ref: 0, x: [0, 12, 14], y: [90, 100, 101] },
      inflow: { timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T01:00:00Z'], values: [[101, 50]] },
    });
    expect(plant.Plant1).toMatchObject({ outlet_line: 40, main_loss: [0.0002], penstock_loss: [0.0001] });
    expect(generator.Plant1_G1.turb_eff_curves).toEqual([
      { ref: 90, x: [25, 90, 100], y: [80, 95, 90] },
      { ref: 100, x: [25, 90, 100], y: [82, 98, 92] },
    ]);
    expect(generator.Plant2_G1.penstock).toBe(1);
    expect(market.Day_ahead.sale_price).toEqual({ timestamps: ['2018-02-27T00:00:00Z'], values: [[39.99]] });
    expect(body.connections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'Plant1', to: 'Plant1_G1' }),
        expect.objectContaining({ from: 'Reservoir1', to: 'Plant1' }),
        expect.objectContaining({ from: 'Plant1', to: 'Reservoir2' }),
      ]),
    );
  });

  it('reads back what it set, as pyshop reads it', async () => {
    expect(await shop.call('GetDoubleValue', 'reservoir', 'Reservoir1', 'max_vol')).toBe(12);
    expect(await shop.call('GetXyCurveX', 'reservoir', 'Reservoir1', 'vol_head')).toEqual([0, 12, 14]);
    expect(await shop.call('GetXyCurveArrayNPoints', 'generator', 'Plant1_G1', 'turb_eff_curves')).toEqual([3, 3]);
    expect(await readSeries(shop, 'reservoir', 'Reservoir1', 'inflow')).toEqual({
      start: '20180227000000',
      t: [0, 1],
      y: [101, 50],
    });
    const generators = (await shop.call('GetRelations', 'plant', 'Plant1', 'connection_standard')) as number[];
    const names = (await shop.call('GetObjectNamesInSystem')) as string[];
    expect(generators.map((i) => names[i])).toEqual(['Plant1_G1', 'Reservoir2']);
  });

  it('runs the commands; the objective equals a PUT /model of the same model', async () => {
    expect(await runBasicCommands(shop)).toEqual([true, true, true]);
    expect(await shop.call('UpdateNeeded')).toBe(true);
    const names = (await shop.call('GetObjectNamesInSystem')) as string[];
    const types = (await shop.call('GetObjectTypesInSystem')) as string[];
    expect(names[types.indexOf('objective')]).toBe('average_objective');
    const objective = (await shop.call('GetDoubleValue', 'objective', 'average_objective', 'grand_total')) as number;
    expect(objective).toBeLessThan(0);

    const storage = await readSeries(shop, 'reservoir', 'Reservoir1', 'storage');
    expect(storage.start).toBe('20180227000000');
    expect(storage.t).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const production = await readSeries(shop, 'plant', 'Plant1', 'production');
    expect(production.t).toHaveLength(24);

    // The same model, uploaded in one piece as SHOP JSON with the same commands.
    const dumped = (await shop.call('DumpYamlString', true, true, true)) as string;
    const session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .set('Content-Type', 'application/yaml')
      .send(`${dumped}\ncommands:\n  - start sim 3\n  - set code /incremental\n  - start sim 3\n`);
    expect(put.status).toBe(200);
    const other = await t
      .http()
      .get('/api/v1/model?objectType=objective')
      .set('Authorization', token)
      .set('session_id', String(session));
    expect(other.body.model.objective.average_objective.grand_total).toBeCloseTo(objective, 6);
  });

  it('answers model failures with the failure value and an ERROR in the session log', async () => {
    expect(await shop.call('SetDoubleValue', 'reservoir', 'Nowhere', 'max_vol', 3)).toBe(false);
    expect(await shop.call('SetIntValue', 'reservoir', 'Reservoir1', 'max_vol', 3)).toBe(false);
    expect(await shop.call('GetDoubleValue', 'reservoir', 'Reservoir1', 'no_such_attribute')).toBe(0);
    expect(await shop.call('SetDoubleValue', 'reservoir', 'Reservoir1', 'max_vol', Infinity)).toBe(false);
    expect(await shop.call('ExecuteCommand', 'start sim', [], ['zero'])).toBe(false);
    expect(await shop.call('ExecuteCommand', 'no such command', [], [])).toBe(false);
    const messages = JSON.parse((await shop.call('GetMessages')) as string) as Json[];
    const errors = messages.filter((m) => m.level === 'ERROR').map((m) => m.message as string);
    expect(errors).toEqual([
      expect.stringContaining('no reservoir named "Nowhere"'),
      expect.stringContaining('reservoir.max_vol is of datatype double'),
      expect.stringContaining('has no attribute "no_such_attribute"'),
      expect.stringContaining('must be a finite number'),
      expect.stringContaining('start sim'),
      expect.stringContaining('unknown command'),
    ]);
    expect(await shop.call('GetMessages')).toBe('[]');
    expect(await shop.call('GetDoubleValue', 'reservoir', 'Reservoir1', 'max_vol')).toBe(12);
  });

  it("reads NaN as SHOP's no value and refuses a body that is not JSON with 400", async () => {
    const nan = await shop.callRaw(
      'SetTxySeries',
      undefined,
      '{"args": ["reservoir", "Reservoir2", "inflow", "20180227000000", [0, 1], [[NaN], [5.0]]], "kwargs": {}}',
    );
    expect(nan).toEqual({ status: 200, body: true });
    expect(await shop.call('GetTxySeriesY', 'reservoir', 'Reservoir2', 'inflow')).toEqual([1e40, 5]);
    // Only on these routes: a NaN token elsewhere is the malformed JSON it is.
    const strict = await shop.send('PUT', '/model', '{"model": {"reservoir": {"Reservoir2": {"max_vol": NaN}}}}');
    expect(strict.status).toBe(400);
    const broken = await shop.callRaw('GetDoubleValue', undefined, '{"args": [');
    expect(broken.status).toBe(400);
    const wrongType = await shop.callRaw('SetDoubleValue', { args: ['reservoir', 'Reservoir1', 'max_vol', '12'] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ details: [{ path: 'args[3]' }] });
    expect((await shop.callRaw('NoSuchFunction', {})).status).toBe(404);
  });

  it("replays pyshop's own basic script (recorded from pyshop 1.4.0) with no status >= 400", async () => {
    const replay = await PyshopWireClient.listening(t.app);
    const sessions: number[] = [];
    const failed: string[] = [];
    let last: unknown;
    for (const [method, path, body] of pyshopBasicCalls()) {
      const answer = await replay.send(method, path, body ?? undefined);
      if (answer.status >= 400) failed.push(`${path}: ${answer.status}`);
      if (path === '/session') sessions.push((replay.sessionId = (answer.body as { session_id: number }).session_id));
      last = answer.body;
    }
    expect(failed).toEqual([]);
    expect(sessions).toHaveLength(2);
    // The script ends reading the objective of the second session, which loaded the first's YAML dump.
    expect(typeof last).toBe('number');
    const first = await t
      .http()
      .get('/api/v1/model?objectType=objective')
      .set('Authorization', token)
      .set('session_id', String(sessions[0]));
    expect(first.body.model.objective.average_objective.grand_total).toBeLessThan(0);
  });

  it('loads a YAML case into a second session and runs its commands', async () => {
    const second = await PyshopWireClient.listening(t.app);
    await second.open('second');
    expect(await second.call('ReadYamlString', fixture('basic_model.yaml'))).toBe(true);
    expect(await second.call('UpdateNeeded')).toBe(true);
    const objective = await second.call('GetDoubleValue', 'objective', 'average_objective', 'grand_total');
    expect(typeof objective).toBe('number');
    expect(await second.call('GetExecutedCommands')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^start sim/)]),
    );
  });
});
