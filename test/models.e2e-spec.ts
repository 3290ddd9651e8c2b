import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

/** SHOP's basic tutorial model as SHOP JSON (shop-json.md §12). */
const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));

const TXY_KEYS = new Set([
  'inflow',
  'prod_area',
  'startcost',
  'load',
  'max_buy',
  'max_sale',
  'buy_price',
  'sale_price',
]);

/** Splits the basic model into the three stages a script would send. */
function stages() {
  const topology: Json = {};
  const series: Json = {};
  const rest: Json = {};
  for (const [type, objects] of Object.entries(BASIC.model as Json)) {
    topology[type] = {};
    for (const [name, attributes] of Object.entries(objects as Json)) {
      topology[type][name] = {};
      for (const [attribute, value] of Object.entries(attributes as Json)) {
        const target = TXY_KEYS.has(attribute) ? series : rest;
        ((target[type] ??= {})[name] ??= {})[attribute] = value;
      }
    }
  }
  return [{ model: topology, connections: BASIC.connections }, { time: BASIC.time, model: series }, { model: rest }];
}

describe('PUT and GET /model', () => {
  let t: TestApp;
  let token: string;
  let session: number;
  let other: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token();
    other = (await t.createUser(token, { email: 'other@tarn.test', password: 'other-password', account_name: 'Other' }))
      .token;
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({ session_name: 'basic' })).body
      .session_id;
    for (const stage of stages()) {
      const response = await put(stage);
      expect(response.status).toBe(200);
    }
  });
  afterAll(() => t.close());

  const put = (body: unknown, id = session, authorization = token) =>
    t
      .http()
      .put('/api/v1/model')
      .set('Authorization', authorization)
      .set('session_id', String(id))
      .send(body as object);
  const get = (query = '', id = session) =>
    t.http().get(`/api/v1/model${query}`).set('Authorization', token).set('session_id', String(id));

  it('merges the three stages into exactly the basic model', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ time: BASIC.time, model: BASIC.model, connections: BASIC.connections });
  });

  it('answers PUT with the input model', async () => {
    const response = await put({ model: { reservoir: { Reservoir1: { max_vol: 39 } } } });
    expect(response.status).toBe(200);
    expect(response.body.model.reservoir.Reservoir1.max_vol).toBe(39);
    expect(response.body.model.generator.Plant1_Generator1.p_max).toBe(120);
  });

  it('filters by object type and name, with the connections of the selected objects', async () => {
    const reservoirs = (await get('?objectType=reservoir')).body;
    expect(Object.keys(reservoirs.model)).toEqual(['reservoir']);
    expect(Object.keys(reservoirs.model.reservoir).sort()).toEqual(['Reservoir1', 'Reservoir2']);
    expect(reservoirs.connections.length).toBeGreaterThan(0);
    expect(reservoirs.connections.every((c: Json) => c.from_type === 'reservoir' || c.to_type === 'reservoir')).toBe(
      true,
    );
    const one = (await get('?objectType=reservoir&objectName=Reservoir2')).body;
    expect(one.model).toEqual({ reservoir: { Reservoir2: BASIC.model.reservoir.Reservoir2 } });
    expect((await get('?objectName=Plant1')).body.model).toEqual({ plant: { Plant1: BASIC.model.plant.Plant1 } });
  });

  it('filters by attribute and datatype, leaving out objects without a match', async () => {
    const maxVol = (await get('?attributeName=max_vol&includeTime=false&includeConnections=false')).body;
    expect(maxVol).toEqual({ model: { reservoir: { Reservoir1: { max_vol: 39 }, Reservoir2: { max_vol: 97.5 } } } });
    const series = (await get('?datatype=txy&objectType=market')).body.model.market.Day_ahead;
    expect(Object.keys(series).sort()).toEqual(['buy_price', 'load', 'max_buy', 'max_sale', 'sale_price']);
    const xyArrays = (await get('?datatype=xy_array')).body.model;
    expect(Object.keys(xyArrays)).toEqual(['generator']);
  });

  it('filters by input and output flags', async () => {
    const outputs = (await get('?isInput=false&isOutput=true')).body;
    expect(outputs.model).toEqual({});
    const inputs = (await get('?isInput=true&isOutput=false')).body;
    expect(inputs.model).toEqual(BASIC.model);
  });

  it('leaves out the time and the connections when asked', async () => {
    const bare = (await get('?includeTime=false&includeConnections=false')).body;
    expect(Object.keys(bare)).toEqual(['model']);
    expect((await get('?includeTime=true')).body.time).toEqual(BASIC.time);
  });

  it('compresses repeated series values on request only', async () => {
    const inflow = {
      timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T01:00:00Z', '2018-01-23T02:00:00Z', '2018-01-23T03:00:00Z'],
      values: [[5, 5, 7, 7]],
    };
    expect((await put({ model: { reservoir: { Reservoir1: { inflow } } } })).status).toBe(200);
    const full = (await get('?objectName=Reservoir1&attributeName=inflow')).body.model.reservoir.Reservoir1.inflow;
    expect(full).toEqual(inflow);
    const compressed = (await get('?objectName=Reservoir1&attributeName=inflow&compressTxy=true')).body.model.reservoir
      .Reservoir1.inflow;
    expect(compressed).toEqual({ timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T02:00:00Z'], values: [[5, 7]] });
  });

  it('writes a constant series as a one-point series at start_time', async () => {
    expect((await put({ model: { market: { Day_ahead: { load: 12.5 } } } })).status).toBe(200);
    const load = (await get('?objectType=market&attributeName=load')).body.model.market.Day_ahead.load;
    expect(load).toEqual({ timestamps: ['2018-01-23T00:00:00Z'], values: [[12.5]] });
    await put({ model: { market: { Day_ahead: { load: BASIC.model.market.Day_ahead.load } } } });
  });

  it('adds connections once (duplicates are ignored) and creates the objects they name', async () => {
    const before = (await get()).body.connections.length;
    expect((await put({ connections: [BASIC.connections[0]] })).status).toBe(200);
    expect((await get()).body.connections).toHaveLength(before);
  });

  it('GET /time_resolution answers the time node', async () => {
    const response = await t
      .http()
      .get('/api/v1/time_resolution')
      .set('Authorization', token)
      .set('session_id', String(session));
    expect(response.status).toBe(200);
    expect(response.body).toEqual(BASIC.time);
  });

  describe('rejects a bad document with 422 naming the path, and changes nothing', () => {
    let snapshot: Json;
    beforeAll(async () => {
      snapshot = (await get()).body;
    });

    const valid = { model: { reservoir: { NewReservoir: { max_vol: 10 } } } };
    it.each([
      ['an unknown object type', { ...valid, model: { ...valid.model, reservoirr: { R: {} } } }, 'model.reservoirr'],
      [
        'an unknown attribute',
        { model: { reservoir: { Reservoir1: { max_vl: 1 } } } },
        'model.reservoir.Reservoir1.max_vl',
      ],
      [
        'a wrong datatype',
        { ...valid, model: { reservoir: { ...valid.model.reservoir, Reservoir1: { max_vol: 'big' } } } },
        'model.reservoir.Reservoir1.max_vol',
      ],
      [
        'an int with decimals',
        { model: { generator: { Plant1_Generator1: { penstock: 1.5 } } } },
        'model.generator.Plant1_Generator1.penstock',
      ],
      [
        'an unparsable timestamp',
        {
          ...valid,
          model: {
            ...valid.model,
            market: { Day_ahead: { load: { timestamps: ['2018-01-00T00:00:00Z'], values: [[1]] } } },
          },
        },
        'model.market.Day_ahead.load.timestamps[0]',
      ],
      [
        'unordered timestamps',
        {
          model: {
            market: {
              Day_ahead: { load: { timestamps: ['2018-01-23T02:00:00Z', '2018-01-23T01:00:00Z'], values: [[1, 2]] } },
            },
          },
        },
        'model.market.Day_ahead.load.timestamps[1]',
      ],
      [
        'a series of the wrong length',
        { model: { market: { Day_ahead: { load: { timestamps: ['2018-01-23T02:00:00Z'], values: [[1, 2]] } } } } },
        'model.market.Day_ahead.load.values[0]',
      ],
      [
        'a time that ends before it starts',
        { ...valid, time: { start_time: '2018-01-26T00:00:00Z', end_time: '2018-01-23T00:00:00Z', time_unit: 'hour' } },
        'time.end_time',
      ],
      [
        'a connection to an object that does not exist',
        { ...valid, connections: [{ from: 'NewReservoir', from_type: 'reservoir', to: 'Nowhere', to_type: 'plant' }] },
        'connections[0].to',
      ],
      [
        'a connection between types that cannot connect',
        {
          ...valid,
          connections: [{ from: 'Reservoir1', from_type: 'reservoir', to: 'Plant1_Generator1', to_type: 'generator' }],
        },
        'connections[0]',
      ],
      [
        'an unknown relation type',
        { ...valid, connections: [{ ...BASIC.connections[0], relation_type: 'sideways' }] },
        'connections[0].relation_type',
      ],
      [
        'a __proto__ object name',
        JSON.parse('{"model": {"reservoir": {"__proto__": {"max_vol": 1}}}}'),
        'model.reservoir.__proto__',
      ],
      ['an unknown root node', { ...valid, modell: {} }, 'modell'],
    ])('%s', async (_, body, path) => {
      const response = await put(body);
      expect(response.status).toBe(422);
      expect(response.body.details.map((d: Json) => d.path)).toContain(path);
      expect(response.body.message).toContain(path);
      expect((await get()).body).toEqual(snapshot);
    });

    it('a non-finite number (1e999)', async () => {
      const response = await t
        .http()
        .put('/api/v1/model')
        .set('Authorization', token)
        .set('session_id', String(session))
        .set('Content-Type', 'application/json')
        .send('{"model": {"reservoir": {"NewReservoir": {"max_vol": 1e999}}}}');
      expect(response.status).toBe(422);
      expect(response.body.details[0].path).toBe('model.reservoir.NewReservoir.max_vol');
      expect((await get()).body).toEqual(snapshot);
    });

    it.each([
      ['start sim two', /needs a whole number/],
      ['set code /sideways', /has no option \/sideways/],
      ['fly to the moon', /unknown command "fly to the moon"; Tarn applies: start sim, set code/],
    ])('a command that cannot run (%s) is 400 naming it, and changes nothing', async (command, message) => {
      const response = await put({ ...valid, commands: ['set code /full', command] });
      expect(response.status).toBe(400);
      expect(response.body.details[0].path).toBe('commands[1]');
      expect(response.body.details[0].message).toMatch(message);
      expect((await get()).body).toEqual(snapshot);
    });

    it('a malformed command is 400 and changes nothing', async () => {
      const response = await put({ ...valid, commands: ['fly to the moon'] });
      expect(response.status).toBe(400);
      expect(response.body.details[0].path).toBe('commands[0]');
      expect((await get()).body).toEqual(snapshot);
    });
  });

  it('runs start sim on the stored model: GET /model then has storage, production, sale/buy and the objective', async () => {
    const response = await put({ commands: ['set code /full', { command: 'start sim', options: [], values: ['3'] }] });
    expect(response.status).toBe(200);
    const results = (await get('?isInput=false&isOutput=true')).body.model;
    expect(results.reservoir.Reservoir1.storage.values[0]).toHaveLength(73);
    expect(results.generator.Plant1_Generator1.production.values[0]).toHaveLength(72);
    expect(Object.keys(results.market.Day_ahead).sort()).toEqual(['buy', 'load_penalty', 'sale']);
    const objective = results.objective.average_objective;
    expect(objective.solver_status).toBe('optimal');
    expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 6);
    const log = (
      await t.http().get('/api/v1/session/log').set('Authorization', token).set('session_id', String(session))
    ).body;
    expect(log.filter((m: Json) => /^Iteration \d \(full\)/.test(m.message))).toHaveLength(3);
  });

  it('keeps settings that commands set for the session’s later uploads, and only for that session', async () => {
    const newSession = async () => {
      const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
      const { commands: _commands, ...model } = BASIC;
      expect((await put(model, id)).status).toBe(200);
      return id;
    };
    const binariesOfLastRun = async (id: number) => {
      const log = (await t.http().get('/api/v1/session/log').set('Authorization', token).set('session_id', String(id)))
        .body as Json[];
      const summary = log.filter((m) => m.message.startsWith('Solver: ')).pop()!.message as string;
      return Number(/(\d+) binaries/.exec(summary)![1]);
    };
    const first = await newSession();
    expect((await put({ commands: ['set universal_mip /on'] }, first)).status).toBe(200);
    expect((await put({ commands: ['start sim 1'] }, first)).status).toBe(200);
    expect(await binariesOfLastRun(first)).toBeGreaterThan(0);

    const second = await newSession();
    expect((await put({ commands: ['start sim 1'] }, second)).status).toBe(200);
    expect(await binariesOfLastRun(second)).toBe(0);

    expect((await put({ commands: ['set universal_mip /off', 'start sim 1'] }, first)).status).toBe(200);
    expect(await binariesOfLastRun(first)).toBe(0);
  });

  it('keeps other users out (404) and needs a session id (422)', async () => {
    expect((await put({ model: {} }, session, other)).status).toBe(404);
    expect(
      (await t.http().get('/api/v1/model').set('Authorization', other).set('session_id', String(session))).status,
    ).toBe(404);
    expect((await t.http().get('/api/v1/model').set('Authorization', token)).status).toBe(422);
  });

  it('answers at the root alias /model too, deprecated', async () => {
    const response = await t
      .http()
      .get('/model?objectType=gate')
      .set('Authorization', token)
      .set('session_id', String(session));
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.model.gate)).toHaveLength(4);
    expect(response.headers.link).toBe('</api/v1/model>; rel="successor-version"');
    const canonical = await get('?objectType=gate');
    expect(canonical.headers.deprecation).toBeUndefined();
  });

  it('deleting the session deletes its model', async () => {
    const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    expect((await put(stages()[0], id)).status).toBe(200);
    expect(
      (await t.http().delete('/api/v1/session').set('Authorization', token).set('session_id', String(id))).status,
    ).toBe(200);
    const again = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    expect((await get('', again)).body.model).toEqual({});
  });
});

describe('GET /model revalidation (ETag, If-None-Match)', () => {
  let t: TestApp;
  let token: string;
  let session: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error' } });
    token = await t.token();
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const { commands: _commands, ...model } = BASIC;
    expect((await put(model)).status).toBe(200);
  });
  afterAll(() => t.close());

  const get = (query = '', etag?: string) => {
    const request = t
      .http()
      .get(`/api/v1/model${query}`)
      .set('Authorization', token)
      .set('session_id', String(session));
    return etag ? request.set('If-None-Match', etag) : request;
  };
  function put(body: object) {
    return t.http().put('/api/v1/model').set('Authorization', token).set('session_id', String(session)).send(body);
  }

  it('answers the same model with the same ETag, and 304 without a body to a client that has it', async () => {
    const first = await get();
    const second = await get();
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.text).toBe(first.text);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const revalidated = await get('', first.headers.etag);
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect((await get('?objectType=reservoir')).headers.etag).not.toBe(first.headers.etag);
  });

  it('answers the new model after an upload, after a SHOP API value and after a run', async () => {
    const before = await get();
    expect((await put({ model: { reservoir: { Reservoir1: { max_vol: 40 } } } })).status).toBe(200);
    const afterUpload = await get('', before.headers.etag);
    expect(afterUpload.status).toBe(200);
    expect(afterUpload.body.model.reservoir.Reservoir1.max_vol).toBe(40);

    const set = await t
      .http()
      .post('/api/v1/internal/SetDoubleValue')
      .set('Authorization', token)
      .set('session-id', String(session))
      .send({ args: ['reservoir', 'Reservoir1', 'max_vol', 41] });
    expect(set.body).toBe(true);
    const afterSet = await get('', afterUpload.headers.etag);
    expect(afterSet.status).toBe(200);
    expect(afterSet.body.model.reservoir.Reservoir1.max_vol).toBe(41);

    expect((await put({ commands: ['start sim 1'] })).status).toBe(200);
    const afterRun = await get('', afterSet.headers.etag);
    expect(afterRun.status).toBe(200);
    expect(afterRun.body.model.objective.average_objective.grand_total).toEqual(expect.any(Number));
  });
});
