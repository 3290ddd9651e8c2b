import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SHOP_API_FUNCTION_NAMES } from '../src/internal/shop-api-functions.js';
import { cascadeModel } from '../src/solver/examples/cascade-model.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

/**
 * Every SHOP API function's answer shape (pyshop-compat.md §4), and that a value set through
 * `/internal` is what GET /model returns, and a value put with PUT /model is what the getters read.
 */
describe('the SHOP API functions, one by one', () => {
  let t: TestApp;
  let token: string;
  let session: number;
  const tested = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error' } });
    token = await t.token();
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .send({
        time: {
          start_time: '2018-02-27T00:00:00Z',
          end_time: '2018-02-28T00:00:00Z',
          time_unit: 'hour',
          time_resolution: { timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T12:00:00Z'], values: [[1, 2]] },
        },
        model: {
          reservoir: {
            R1: {
              max_vol: 12,
              vol_head: { ref: 0, x: [0, 12], y: [90, 100] },
              inflow: {
                timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T03:00:00Z'],
                values: [
                  [5, 6],
                  [7, 8],
                ],
              },
            },
          },
          plant: { P1: { gen_priority: [2, 1], main_loss: [0.0002] } },
          generator: {
            G1: { penstock: 1, turb_eff_curves: [{ ref: 90, x: [25, 100], y: [80, 90] }] },
            G2: {},
          },
          market: { M: { market_type: 'ENERGY' } },
          busbar: { B: { ptdf: { line1: 0.5, line2: -0.25 } } },
        },
        connections: [
          { from: 'R1', from_type: 'reservoir', to: 'P1', to_type: 'plant' },
          { from: 'G1', from_type: 'generator', to: 'P1', to_type: 'plant' },
          { from: 'P1', from_type: 'plant', to: 'G2', to_type: 'generator' },
        ],
      });
    expect(put.status).toBe(200);
  });
  afterAll(() => t.close());

  afterAll(() => {
    // Every function served was called by one of the tests below.
    expect(SHOP_API_FUNCTION_NAMES.filter((name) => !tested.has(name))).toEqual([]);
  });

  const call = async (name: string, ...args: unknown[]): Promise<unknown> => {
    tested.add(name);
    const response = await t
      .http()
      .post(`/api/v1/internal/${name}`)
      .set('Authorization', token)
      .set('session_id', String(session))
      .send({ args, kwargs: {} });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return response.body;
  };
  const model = async (query = '') =>
    (await t.http().get(`/api/v1/model${query}`).set('Authorization', token).set('session_id', String(session)))
      .body as Json;
  const log = async () =>
    (await t.http().get('/api/v1/session/log').set('Authorization', token).set('session_id', String(session)))
      .body as Json[];

  it('catalogue: types, info keys, attribute names with their datatypes, commands', async () => {
    const types = (await call('GetObjectTypeNames')) as string[];
    expect(types).toHaveLength(38);
    expect(await call('GetObjectInfo', 'reservoir', 'isInput')).toBe('True');
    expect(await call('GetObjectInfo', 'objective', 'isInput')).toBe('False');
    expect(await call('GetObjectInfo', 'objective', 'isOutput')).toBe('True');
    expect(await call('GetObjectInfo', 'nothing', 'isInput')).toBe('');
    expect(await call('GetValidObjectInfoKeys')).toEqual(['isInput', 'isOutput']);
    const names = (await call('GetObjectTypeAttributeNames', 'reservoir')) as string[];
    const datatypes = (await call('GetObjectTypeAttributeDatatypes', 'reservoir')) as string[];
    expect(names.length).toBe(datatypes.length);
    expect(datatypes[names.indexOf('max_vol')]).toBe('double');
    expect(datatypes[names.indexOf('inflow')]).toBe('txy');
    expect(datatypes.every((d) => d.length > 0)).toBe(true);
    expect(await call('GetObjectTypeAttributeNames', 'nothing')).toEqual([]);
    const commands = (await call('GetCommandTypesInSystem')) as string[];
    expect(commands).toHaveLength(123);
    expect(commands).toContain('set time_delay_unit');
    expect(await call('GetValidAttributeInfoKeys')).toEqual(expect.arrayContaining(['isInput', 'description']));
    expect(await call('GetAttributeInfo', 'reservoir', 'max_vol', 'isInput')).toBe('True');
    expect(await call('GetAttributeInfo', 'reservoir', 'storage', 'isInput')).toBe('False');
    expect(await call('GetAttributeInfo', 'reservoir', 'max_vol', 'datatype')).toBe('double');
    expect(await call('GetAttributeInfo', 'reservoir', 'max_vol', 'documentationUrl')).toMatch(/^https:\/\//);
    expect(await call('GetAttributeInfo', 'reservoir', 'max_vol', 'noSuchKey')).toBe('');
  });

  it('objects: names and types in creation order, UpdateNeeded, AddObject', async () => {
    expect(await call('UpdateNeeded')).toBe(true);
    expect(await call('GetObjectNamesInSystem')).toEqual(['R1', 'P1', 'G1', 'G2', 'M', 'B', 'global_settings', 'S1']);
    expect(await call('GetObjectTypesInSystem')).toEqual([
      'reservoir',
      'plant',
      'generator',
      'generator',
      'market',
      'busbar',
      'global_settings',
      'scenario',
    ]);
    expect(await call('UpdateNeeded')).toBe(false);
    // Listed before it is stored; stored, with its place, when a value is set.
    expect(await call('GetDoubleValue', 'global_settings', 'global_settings', 'mipgap_rel')).toEqual(
      expect.any(Number),
    );
    expect((await model()).model.global_settings).toBeUndefined();
    expect(await call('SetDoubleValue', 'global_settings', 'global_settings', 'mipgap_rel', 0.001)).toBe(true);
    expect((await model()).model.global_settings).toEqual({ global_settings: { mipgap_rel: 0.001 } });
    expect(await call('AddObject', 'global_settings', 'global_settings')).toBe(true);
    expect(await call('AddObject', 'global_settings', 'other')).toBe(false);
    expect(await call('UpdateNeeded')).toBe(false);
    // So is the first scenario (modelling-2.md §6), which scripts set without adding it.
    expect(await call('SetIntValue', 'scenario', 'S1', 'scenario_id', 1)).toBe(true);
    expect((await model()).model.scenario).toEqual({ S1: { scenario_id: 1 } });
    expect(await call('AddObject', 'scenario', 'S1')).toBe(true);
    expect(await call('UpdateNeeded')).toBe(false);
    expect(await call('AddObject', 'lp_model', 'lp_model')).toBe(true);
    expect(await call('AddObject', 'reservoir', 'R1')).toBe(false);
    expect(await call('AddObject', 'objective', 'mine')).toBe(false);
    expect(await call('AddObject', 'nothing', 'x')).toBe(false);
    expect(await call('UpdateNeeded')).toBe(true);
    expect((await model()).model.lp_model).toEqual({ lp_model: {} });
  });

  it('time: the stored time node as SHOP time strings and breakpoints; a zone name', async () => {
    expect(await call('GetStartTime')).toBe('20180227000000');
    expect(await call('GetEndTime')).toBe('20180228000000');
    expect(await call('GetTimeUnit')).toBe('hour');
    expect(await call('GetTimeResolutionT')).toEqual([0, 12]);
    expect(await call('GetTimeResolutionY')).toEqual([1, 2]);
    expect(await call('SetTimeResolution', '20180227', '20180228', 'hour', [0, 12], [[1], [2]])).toBe(true);
    expect((await model()).time).toEqual({
      start_time: '2018-02-27T00:00:00Z',
      end_time: '2018-02-28T00:00:00Z',
      time_unit: 'hour',
      time_resolution: { timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T12:00:00Z'], values: [[1, 2]] },
    });
    expect(await call('SetTimeResolution', '20180228', '20180227', 'hour')).toBe(false);
    expect(await call('GetTimeZone')).toBe('');
    expect(await call('SetTimeZone', 'CET')).toBe(true);
    expect(await call('GetTimeZone')).toBe('CET');
  });

  it('scalars and arrays read what PUT /model stored, unset ones the default, and write through', async () => {
    expect(await call('GetDoubleValue', 'reservoir', 'R1', 'max_vol')).toBe(12);
    expect(await call('GetIntValue', 'generator', 'G1', 'penstock')).toBe(1);
    expect(await call('GetStringValue', 'market', 'M', 'market_type')).toBe('ENERGY');
    expect(await call('GetIntArray', 'plant', 'P1', 'gen_priority')).toEqual([2, 1]);
    expect(await call('GetDoubleArray', 'plant', 'P1', 'main_loss')).toEqual([0.0002]);
    expect(await call('GetDoubleArray', 'plant', 'P1', 'penstock_loss')).toEqual([]);
    expect(typeof (await call('GetDoubleValue', 'reservoir', 'R1', 'lrl'))).toBe('number');
    expect(await call('GetStringArray', 'lp_model', 'lp_model', 'var_type_names')).toEqual([]);

    expect(await call('SetDoubleValue', 'reservoir', 'R1', 'max_vol', 13.5)).toBe(true);
    expect(await call('SetIntValue', 'generator', 'G2', 'penstock', 2)).toBe(true);
    expect(await call('SetStringValue', 'market', 'M', 'market_type', 'RESERVE')).toBe(true);
    expect(await call('SetIntArray', 'plant', 'P1', 'gen_priority', [1, 2])).toBe(true);
    expect(await call('SetDoubleArray', 'plant', 'P1', 'penstock_loss', [0.0001, 0.0003])).toBe(true);
    expect(await call('SetStringArray', 'lp_model', 'lp_model', 'var_type_names', ['a', 'b'])).toBe(true);
    const { model: stored } = await model();
    expect(stored.reservoir.R1.max_vol).toBe(13.5);
    expect(stored.generator.G2.penstock).toBe(2);
    expect(stored.market.M.market_type).toBe('RESERVE');
    expect(stored.plant.P1.gen_priority).toEqual([1, 2]);
    expect(stored.plant.P1.penstock_loss).toEqual([0.0001, 0.0003]);
    expect(stored.lp_model.lp_model.var_type_names).toEqual(['a', 'b']);
    expect(await call('GetStringArray', 'lp_model', 'lp_model', 'var_type_names')).toEqual(['a', 'b']);
  });

  it('xy and xy_array: reference, points and counts, both ways', async () => {
    expect(await call('GetXyCurveReference', 'reservoir', 'R1', 'vol_head')).toBe(0);
    expect(await call('GetXyCurveX', 'reservoir', 'R1', 'vol_head')).toEqual([0, 12]);
    expect(await call('GetXyCurveY', 'reservoir', 'R1', 'vol_head')).toEqual([90, 100]);
    expect(await call('GetXyCurveX', 'reservoir', 'R1', 'flow_descr')).toEqual([]);
    expect(await call('SetXyCurve', 'reservoir', 'R1', 'flow_descr', 0, [100, 101], [0, 1000])).toBe(true);
    expect((await model()).model.reservoir.R1.flow_descr).toEqual({ ref: 0, x: [100, 101], y: [0, 1000] });

    expect(await call('GetXyCurveArrayReferences', 'generator', 'G1', 'turb_eff_curves')).toEqual([90]);
    expect(await call('GetXyCurveArrayNPoints', 'generator', 'G1', 'turb_eff_curves')).toEqual([2]);
    expect(await call('GetXyCurveArrayX', 'generator', 'G1', 'turb_eff_curves')).toEqual([25, 100]);
    expect(await call('GetXyCurveArrayY', 'generator', 'G1', 'turb_eff_curves')).toEqual([80, 90]);
    expect(
      await call('SetXyCurveArray', 'generator', 'G2', 'turb_eff_curves', [90, 100], [2.0, 1.0], [1, 2, 3], [4, 5, 6]),
    ).toBe(true);
    expect((await model()).model.generator.G2.turb_eff_curves).toEqual([
      { ref: 90, x: [1, 2], y: [4, 5] },
      { ref: 100, x: [3], y: [6] },
    ]);
  });

  it('txy: offsets from the first point, rows of scenarios, the time unit; empty unsets', async () => {
    expect(await call('GetTxySeriesStartTime', 'reservoir', 'R1', 'inflow')).toBe('20180227000000');
    expect(await call('GetTxySeriesT', 'reservoir', 'R1', 'inflow')).toEqual([0, 3]);
    expect(await call('GetTxySeriesY', 'reservoir', 'R1', 'inflow')).toEqual([
      [5, 7],
      [6, 8],
    ]);
    expect(await call('GetTxySeriesTimeUnit', 'reservoir', 'R1', 'inflow')).toBe('hour');
    expect(await call('GetTxySeriesStartTime', 'market', 'M', 'sale_price')).toBe('');
    expect(await call('GetTxySeriesT', 'market', 'M', 'sale_price')).toEqual([]);
    expect(await call('SetTxySeries', 'market', 'M', 'sale_price', '20180227000000', [0, 6], [[30.5], [40.0]])).toBe(
      true,
    );
    expect((await model()).model.market.M.sale_price).toEqual({
      timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T06:00:00Z'],
      values: [[30.5, 40]],
    });
    expect(await call('SetTxySeries', 'market', 'M', 'sale_price', '20180227000000', [], [])).toBe(true);
    expect((await model()).model.market.M.sale_price).toBeUndefined();
    expect(await call('AttributeIsDefault', 'market', 'M', 'sale_price')).toBe(true);
    expect(await call('AttributeIsDefault', 'reservoir', 'R1', 'inflow')).toBe(false);
  });

  it('sy and xyt: keys with values, timed tables', async () => {
    expect(await call('GetSyCurveS', 'busbar', 'B', 'ptdf')).toEqual(['line1', 'line2']);
    expect(await call('GetSyCurveY', 'busbar', 'B', 'ptdf')).toEqual([0.5, -0.25]);
    expect(await call('SetSyCurve', 'busbar', 'B', 'ptdf', ['line3'], [1])).toBe(true);
    expect((await model()).model.busbar.B.ptdf).toEqual({ line3: 1 });

    const table = ['plant', 'P1', 'best_profit_q'];
    expect(await call('GetXyTCurveTimeStrings', ...table)).toEqual([]);
    expect(
      await call('SetXyTCurve', ...table, ['20180227000000', '20180227020000'], [2, 1], [1, 2, 3], [4, 5, 6]),
    ).toBe(true);
    expect(await call('GetXyTCurveTimeStrings', ...table)).toEqual(['20180227000000', '20180227020000']);
    expect(await call('GetXyTCurveTimes', ...table)).toEqual([0, 2]);
    expect(await call('GetXyTCurveN', ...table, '20180227000000', '20180228000000')).toEqual([2, 1]);
    expect(await call('GetXyTCurveX', ...table, '20180227000000', '20180228000000')).toEqual([1, 2, 3]);
    expect(await call('GetXyTCurveY', ...table, '20180227010000', '20180228000000')).toEqual([6]);
    expect((await model()).model.plant.P1.best_profit_q).toEqual([
      { time: '2018-02-27T00:00:00Z', ref: 0, x: [1, 2], y: [4, 5] },
      { time: '2018-02-27T02:00:00Z', ref: 0, x: [3], y: [6] },
    ]);
  });

  it('relations: default type, connections both ways for logical partners, categories', async () => {
    expect(await call('GetDefaultRelationType', 'reservoir', 'plant')).toBe('connection_standard');
    expect(await call('GetDefaultRelationType', 'plant', 'market')).toBe('');
    const names = (await call('GetObjectNamesInSystem')) as string[];
    const named = (indices: unknown) => (indices as number[]).map((i) => names[i]);
    // G1 -> P1 and P1 -> G2 were put that way round; both are P1's generators.
    expect(named(await call('GetRelations', 'plant', 'P1', 'connection_standard'))).toEqual(['G1', 'G2']);
    expect(named(await call('GetInputRelations', 'plant', 'P1', 'connection_standard'))).toEqual(['R1', 'G1', 'G2']);
    expect(named(await call('GetRelations', 'generator', 'G1', 'connection_standard'))).toEqual(['P1']);
    expect(await call('AddRelation', 'reservoir', 'R1', 'connection_spill', 'plant', 'P1')).toBe(true);
    expect(await call('AddRelation', 'reservoir', 'R1', 'connection_spill', 'plant', 'P1')).toBe(true);
    expect(await call('AddRelation', 'reservoir', 'R1', 'connection_standard', 'market', 'M')).toBe(false);
    expect(await call('AddRelation', 'reservoir', 'R1', 'connection_sideways', 'plant', 'P1')).toBe(false);
    expect(named(await call('GetRelations', 'reservoir', 'R1', 'connection_spill'))).toEqual(['P1']);
    const spills = ((await model()).connections as Json[]).filter((c) => c.relation_type === 'spill');
    expect(spills).toEqual([expect.objectContaining({ from: 'R1', to: 'P1' })]);
    expect(await call('GetValidRelationTypes', 'reservoir')).toEqual([
      'connection_standard',
      'connection_spill',
      'connection_bypass',
    ]);
    expect(await call('GetValidRelationTypes', 'gate')).toHaveLength(3);
    expect(await call('GetValidRelationTypes', 'plant')).toEqual(['connection_standard']);
    expect(await call('GetRelationInfo', 'reservoir', 'plant', 'relationCategory')).toBe('physical');
    expect(await call('GetRelationInfo', 'generator', 'plant', 'relationCategory')).toBe('logical');
  });

  it('commands: settings and lists; executed commands as SHOP text; unknown and file commands fail', async () => {
    expect(await call('ExecuteCommand', 'set code', ['/incremental'], [])).toBe(true);
    expect(
      await call(
        'ExecuteCommandList',
        ['set mipgap', 'penalty flag', 'set nothing'],
        [['relative'], ['on', 'all'], []],
        [['0.001'], [], []],
      ),
    ).toBe(false);
    expect(await call('GetExecutedCommands')).toEqual([
      'set code /incremental',
      'set mipgap /relative 0.001',
      'penalty flag /on /all',
    ]);
    expect(await call('ExecuteCommand', 'read model', [], ['model.ascii'])).toBe(false);
    const errors = (await log()).filter((m) => m.level === 'ERROR').map((m) => m.message);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unknown command "set nothing"'),
        expect.stringContaining('read model'),
      ]),
    );
  });

  it('messages: GetMessages answers a JSON text of the messages not returned before; GetAllMessages []', async () => {
    const first = JSON.parse((await call('GetMessages')) as string) as Json[];
    expect(first.length).toBeGreaterThan(0);
    expect(first[0]).toEqual({
      id: expect.any(Number),
      level: expect.any(String),
      message: expect.any(String),
      source: expect.any(String),
      time: expect.any(String),
    });
    expect(await call('GetMessages')).toBe('[]');
    await call('SetDoubleValue', 'reservoir', 'Nowhere', 'max_vol', 1);
    const next = JSON.parse((await call('GetMessages')) as string) as Json[];
    expect(next).toEqual([expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('Nowhere') })]);
    expect(await call('GetAllMessages')).toEqual([]);
  });

  it('YAML, files, version, licences', async () => {
    const yaml = (await call('DumpYamlString', true, true, true)) as string;
    expect(yaml).toMatch(/^time:\n/);
    expect(yaml).toContain('R1:');
    expect(await call('DumpYamlCase', '/tmp/case.yaml', true, true, true)).toBe(false);
    expect(await call('ReadShopAsciiFile', '/etc/passwd')).toBe(false);
    expect(await call('OverrideDllPath', '/opt/shop')).toBe(true);
    expect(await call('ReadYamlString', 'model:\n  reservoir:\n    R9:\n      max_vol: 3\n')).toBe(true);
    expect(await call('GetDoubleValue', 'reservoir', 'R9', 'max_vol')).toBe(3);
    expect(await call('ReadYamlString', 'model: [unclosed')).toBe(false);
    expect(((await call('GetVersionString')) as string).split(' ')[0]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await call('GetVersionString')).toContain('Tarn');
    expect(await call('GetLicenseInfo')).toEqual(expect.arrayContaining(['SHOP_OPEN:GRANTED']));
  });

  it('named arguments work as positional ones', async () => {
    const response = await t
      .http()
      .post('/api/v1/internal/GetDoubleValue')
      .set('Authorization', token)
      .set('session-id', String(session))
      .send({ args: ['reservoir'], kwargs: { object_name: 'R1', attribute_name: 'max_vol' } });
    expect(response.body).toBe(13.5);
  });
});

describe('a SHOP API call while a run of its session is in progress', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error' } });
    token = await t.token();
  });
  afterAll(() => t.close());

  it('waits for the run, as a SHOP session finishes a command before the next', async () => {
    const session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const model = cascadeModel({ reservoirs: 10, hours: 168, commands: ['start sim 3'] });
    const accepted = await t
      .http()
      .put('/api/v1/model?wait=false')
      .set('Authorization', token)
      .set('session_id', String(session))
      .send(model);
    expect(accepted.status).toBe(202);
    const objective = await t
      .http()
      .post('/api/v1/internal/GetDoubleValue')
      .set('Authorization', token)
      .set('session-id', String(session))
      .send({ args: ['objective', 'average_objective', 'grand_total'] });
    // The run had not ended when the call came (it answered 202 at once); the call saw its end.
    const run = await t
      .http()
      .get(`/api/v1/session/runs/${accepted.body.run_id}`)
      .set('Authorization', token)
      .set('session_id', String(session));
    expect(run.body.status).toBe('done');
    expect(objective.body).toBeCloseTo(run.body.objective, 6);
  });
});
