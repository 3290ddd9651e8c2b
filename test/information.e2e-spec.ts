import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OBJECT_TYPES } from '../src/shop/catalog.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('/model/information and /model/:object_type/information', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let session: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.token();
    alice = (await t.createUser(admin, { email: 'alice@a.test', password: 'alice-password', account_name: 'A' })).token;
    bob = (await t.createUser(admin, { email: 'bob@b.test', password: 'bob-password', account_name: 'B' })).token;
    const created = await t.http().post('/api/v1/session').set('Authorization', alice).send({ session_name: 'info' });
    expect(created.status).toBe(200);
    session = String(created.body.session_id);
  });
  afterAll(() => t.close());

  const get = (path: string, token = alice) =>
    t.http().get(path).set('Authorization', token).set('session_id', session);

  it('lists every object type of the catalog, each attribute with its full info', async () => {
    const response = await get('/api/v1/model/information');
    expect(response.status).toBe(200);
    const types = response.body.object_types as { object_type: string; instances: string[]; attributes: object }[];
    expect(types.map((o) => o.object_type)).toEqual(OBJECT_TYPES);
    expect(types).toHaveLength(38);
    const reservoir = types.find((o) => o.object_type === 'reservoir')!;
    expect(reservoir.instances).toEqual([]);
    expect(reservoir.attributes).toHaveProperty('max_vol', expect.objectContaining({ legacy_datatype: 'double' }));
    expect(types.find((o) => o.object_type === 'network')!.attributes).toEqual({});
    const count = types.reduce((sum, o) => sum + Object.keys(o.attributes).length, 0);
    expect(count).toBe(1018);
  });

  it('maps each attribute of one type to its datatype', async () => {
    const response = await get('/api/v1/model/reservoir/information');
    expect(response.status).toBe(200);
    expect(response.body.object_type).toBe('reservoir');
    expect(response.body.instances).toEqual([]);
    expect(response.body.attributes.max_vol).toBe('double');
    expect(response.body.attributes.inflow).toBe('txy');
    expect(response.body.attributes.vol_head).toBe('xy');
    expect(response.body.attributes.head_area).toBe('unknown');
    expect(Object.keys(response.body.attributes)).toHaveLength(75);
    expect(response.headers.deprecation).toBeUndefined();
  });

  it('gives the full records with verbose=true (also 1 and True); false and 0 are the short form', async () => {
    const verbose = await get('/api/v1/model/reservoir/information?verbose=true');
    expect(verbose.status).toBe(200);
    expect(verbose.body.attributes.max_vol).toEqual({
      attribute_name: 'max_vol',
      legacy_datatype: 'double',
      is_input: true,
      is_output: false,
      x_unit: 'MM3',
      y_unit: 'MM3',
      license_name: 'SHOP_OPEN',
      full_name: 'reservoir.max_vol',
      data_func_name: 'get_max_vol',
      description: 'Input of a reservoir: max vol (double, MM3).',
      documentation_url: 'https://docs.shop.sintef.energy/objects/reservoir/reservoir.html#max-vol',
      example_url_prefix: null,
      example: null,
      default_value: null,
      required: false,
    });
    expect(verbose.body.attributes.head_area).toMatchObject({ legacy_datatype: 'unknown', is_input: null });
    for (const flag of ['1', 'True']) {
      const again = await get(`/api/v1/model/reservoir/information?verbose=${flag}`);
      expect(again.body).toEqual(verbose.body);
    }
    for (const flag of ['false', '0']) {
      const short = await get(`/api/v1/model/reservoir/information?verbose=${flag}`);
      expect(short.body.attributes.max_vol).toBe('double');
    }
  });

  it.each(['yes', '2', '', 'true&verbose=false'])('answers verbose=%s with 400', async (flag) => {
    const response = await get(`/api/v1/model/reservoir/information?verbose=${flag}`);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ path: 'query.verbose', message: 'must be true, false, 1 or 0' }]);
  });

  it('answers an unknown object type with 404 naming it', async () => {
    for (const type of ['reservoirs', 'Reservoir', '__proto__', 'information']) {
      const response = await get(`/api/v1/model/${type}/information`);
      expect(response.status).toBe(404);
      expect(response.body.message).toContain(`"${type}"`);
    }
  });

  it('needs a session: missing 422, another user’s or unknown 404', async () => {
    for (const path of ['/api/v1/model/information', '/api/v1/model/reservoir/information']) {
      const missing = await t.http().get(path).set('Authorization', alice);
      expect(missing.status).toBe(422);
      expect(missing.body.details[0].path).toBe('headers.session_id');
      expect((await get(path, bob)).status).toBe(404);
      const unknown = await t.http().get(path).set('Authorization', alice).set('session_id', '999999');
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toBe('Session 999999 not found');
      expect((await t.http().get(`${path}?session_id=${session}`).set('Authorization', alice)).status).toBe(200);
      expect((await t.http().get(path).set('session_id', session)).status).toBe(401);
    }
  });

  it('answers at the root aliases too, deprecated, with the /api/v1 twin as successor', async () => {
    const one = await get('/model/reservoir/information');
    expect(one.status).toBe(200);
    expect(one.body.attributes.max_vol).toBe('double');
    expect(one.headers.deprecation).toBeDefined();
    expect(one.headers.link).toBe('</api/v1/model/reservoir/information>; rel="successor-version"');
    const all = await get('/model/information');
    expect(all.status).toBe(200);
    expect(all.body.object_types).toHaveLength(38);
    expect(all.headers.deprecation).toBeDefined();
    expect(all.headers.link).toBe('</api/v1/model/information>; rel="successor-version"');
  });

  it('fills the successor link of an error answer and of an odd object type, encoded', async () => {
    const odd = await get('/model/a%3Eb%2Cc/information');
    expect(odd.status).toBe(404);
    expect(odd.body.message).toContain('"a>b,c"');
    expect(odd.headers.link).toBe('</api/v1/model/a%3Eb%2Cc/information>; rel="successor-version"');
    const missing = await t.http().get('/model/plant/information').set('Authorization', alice);
    expect(missing.status).toBe(422);
    expect(missing.headers.link).toBe('</api/v1/model/plant/information>; rel="successor-version"');
  });

  it("names the session's objects, in the order they were created", async () => {
    const other = await t.http().post('/api/v1/session').set('Authorization', alice).send({ session_name: 'objects' });
    const id = String(other.body.session_id);
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', alice)
      .set('session_id', id)
      .send({ model: { reservoir: { Reservoir2: { max_vol: 10 }, Reservoir1: {} }, plant: { Plant1: {} } } });
    expect(put.status).toBe(200);
    const ofSession = (path: string) => t.http().get(path).set('Authorization', alice).set('session_id', id);
    expect((await ofSession('/api/v1/model/reservoir/information')).body.instances).toEqual([
      'Reservoir2',
      'Reservoir1',
    ]);
    expect((await ofSession('/api/v1/model/gate/information')).body.instances).toEqual([]);
    const all = (await ofSession('/api/v1/model/information')).body.object_types as {
      object_type: string;
      instances: string[];
    }[];
    expect(all.find((o) => o.object_type === 'plant')!.instances).toEqual(['Plant1']);
    expect(all.filter((o) => o.instances.length > 0).map((o) => o.object_type)).toEqual(['plant', 'reservoir']);
    // The first session still has no objects.
    expect((await get('/api/v1/model/reservoir/information')).body.instances).toEqual([]);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/api/v1/model/information']).toHaveProperty('get');
    expect(doc.paths['/api/v1/model/{object_type}/information']).toHaveProperty('get');
  });
});
