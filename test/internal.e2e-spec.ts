import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SHOP_API_FUNCTION_NAMES } from '../src/internal/shop-api-functions.js';
import { yamlToShopJson } from '../src/shop/shop-yaml.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

describe('/internal functions', () => {
  let t: TestApp;
  let token: string;
  let other: string;
  let session: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error' } });
    token = await t.token();
    other = (await t.createUser(token, { email: 'other@tarn.test', password: 'other-password', account_name: 'Other' }))
      .token;
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .send({
        time: { start_time: '2018-01-23T00:00:00Z', end_time: '2018-01-24T00:00:00Z', time_unit: 'hour' },
        model: {
          reservoir: {
            R1: {
              max_vol: 39,
              inflow: { timestamps: ['2018-01-23T00:00:00Z', '2018-01-23T01:00:00Z'], values: [[5, 5]] },
              // An output attribute (as a solve would write it), for inputOnly=false.
              storage: { timestamps: ['2018-01-23T00:00:00Z'], values: [[30]] },
            },
          },
          plant: { P1: {} },
        },
        connections: [{ from: 'R1', from_type: 'reservoir', to: 'P1', to_type: 'plant' }],
      });
    expect(put.status).toBe(200);
  });
  afterAll(() => t.close());

  const post = (path: string, authorization = token) => t.http().post(path).set('Authorization', authorization);
  const dump = (body?: unknown, id = session, authorization = token) => {
    const request = post('/api/v1/internal/DumpYamlString', authorization).set('session_id', String(id));
    return body === undefined ? request : request.send(body as object);
  };

  it('GET /api/v1/internal lists the functions, with a token', async () => {
    expect((await t.http().get('/api/v1/internal')).status).toBe(401);
    const response = await t.http().get('/api/v1/internal').set('Authorization', token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([...SHOP_API_FUNCTION_NAMES]);
    expect(response.body).toHaveLength(74);
  });

  it('GetLicenseInfo answers "<LICENSE>:<access>" for every catalog license, no session needed', async () => {
    expect((await t.http().post('/api/v1/internal/GetLicenseInfo')).status).toBe(401);
    const response = await post('/api/v1/internal/GetLicenseInfo');
    expect(response.status).toBe(200);
    const licenses = response.body as string[];
    expect(Array.isArray(licenses)).toBe(true);
    expect(licenses[0]).toBe('SHOP_OPEN:GRANTED');
    for (const entry of licenses) expect(entry).toMatch(/^SHOP_[A-Z0-9_]+:(GRANTED|NOT_AVAILABLE)$/);
    expect(new Set(licenses.map((l) => l.split(':')[0])).size).toBe(licenses.length);
    expect(licenses).toEqual(
      expect.arrayContaining(['SHOP_RESERVE_GROUP:NOT_AVAILABLE', 'SHOP_BEST_PROFIT:NOT_AVAILABLE']),
    );
    expect(licenses.filter((l) => l.endsWith(':GRANTED'))).toEqual(['SHOP_OPEN:GRANTED']);
  });

  it('the root alias /internal/GetLicenseInfo answers too, deprecated, with its successor', async () => {
    const response = await post('/internal/GetLicenseInfo');
    expect(response.status).toBe(200);
    expect(response.body[0]).toBe('SHOP_OPEN:GRANTED');
    expect(response.headers.deprecation).toBeDefined();
    expect(response.headers.link).toBe('</api/v1/internal/GetLicenseInfo>; rel="successor-version"');
    expect((await post('/api/v1/internal/GetLicenseInfo')).headers.deprecation).toBeUndefined();
  });

  it('DumpYamlString answers the model as one YAML string (a JSON string), input only by default', async () => {
    const response = await dump();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const yaml = response.body as string;
    expect(yaml.startsWith('time:\n  starttime: 2018-01-23 00:00:00\n  endtime: 2018-01-24 00:00:00\n')).toBe(true);
    // Compressed by default: one point of the repeated inflow, connections as from/to.
    expect(yaml).toContain('      inflow:\n        2018-01-23 00:00:00: 5\n      max_vol: 39\n');
    expect(yaml).toContain('connections:\n  - from: R1\n    to: P1\n');
    expect(yaml).not.toContain('storage');
    expect(yaml).not.toContain('commands');
  });

  it('DumpYamlString [false, false, false] adds outputs, full series and full connections', async () => {
    const response = await dump({ args: [false, false, false] });
    expect(response.status).toBe(200);
    const yaml = response.body as string;
    expect(yaml).toContain('      storage:\n        2018-01-23 00:00:00: 30\n');
    expect(yaml).toContain('        2018-01-23 01:00:00: 5\n');
    expect(yaml).toContain(
      '  - from: R1\n    to: P1\n    from_type: reservoir\n    to_type: plant\n    connection_type: connection_standard\n',
    );
    const json = yamlToShopJson(yaml) as Json;
    expect(json.model.reservoir.R1.storage).toEqual({ timestamps: ['2018-01-23T00:00:00Z'], values: [[30]] });
  });

  it('DumpYamlString takes missing arguments as SHOP does (all true)', async () => {
    const defaults = (await dump()).body;
    expect((await dump({})).body).toEqual(defaults);
    expect((await dump({ args: [] })).body).toEqual(defaults);
    expect((await dump({ args: [true] })).body).toEqual(defaults);
    expect((await dump({ args: [true, true, true] })).body).toEqual(defaults);
  });

  it.each([
    ['args not an array', { args: true }, 'args'],
    ['a string instead of a boolean', { args: ['true'] }, 'args[0]'],
    ['a number instead of a boolean', { args: [true, 1] }, 'args[1]'],
    ['null in args', { args: [true, true, null] }, 'args[2]'],
    ['four arguments', { args: [true, true, true, true] }, 'args'],
    ['an unknown field', { args: [true], verbose: true }, 'verbose'],
    ['an array body', [true, true, true], 'body'],
  ])('DumpYamlString refuses %s with 400', async (_, body, path) => {
    const response = await dump(body);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([expect.objectContaining({ path })]);
  });

  it('DumpYamlString needs a session: missing 422, foreign or unknown 404', async () => {
    expect((await post('/api/v1/internal/DumpYamlString').send({ args: [true] })).status).toBe(422);
    expect((await dump({ args: [true] }, session, other)).status).toBe(404);
    expect((await dump({ args: [true] }, 999999)).status).toBe(404);
  });

  it('DumpYamlString of an empty session is an empty model', async () => {
    const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const response = await dump(undefined, id);
    expect(response.status).toBe(200);
    expect(response.body).toBe('model: {}\n');
  });

  it('an unknown internal function is 404', async () => {
    expect((await post('/api/v1/internal/GetTheMoon')).status).toBe(404);
  });
});
