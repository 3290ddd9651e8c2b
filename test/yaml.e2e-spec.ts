import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { yamlToShopJson } from '../src/shop/shop-yaml.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const FIXTURES = ['basic_model', 'basic_pump', 'tunnel_model', 'water_values_model', 'reserve_capacity_model'] as const;

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.yaml`, import.meta.url), 'utf8');

describe('SHOP YAML on PUT /model and DumpYamlString', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    // Each fixture takes a few sessions.
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error', TARN_MAX_SESSIONS: '100' } });
    token = await t.token();
  });
  afterAll(() => t.close());

  const newSession = async (): Promise<number> =>
    (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
  const putYaml = (id: number, text: string, type = 'application/yaml', path = '/api/v1/model') =>
    t.http().put(path).set('Authorization', token).set('session_id', String(id)).set('Content-Type', type).send(text);
  const putJson = (id: number, body: unknown) =>
    t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(id))
      .send(body as object);
  const getModel = async (id: number, query = '') => {
    const response = await t
      .http()
      .get(`/api/v1/model${query}`)
      .set('Authorization', token)
      .set('session_id', String(id));
    expect(response.status).toBe(200);
    return response.body as Json;
  };
  const dump = (id: number, body?: unknown) => {
    const request = t
      .http()
      .post('/api/v1/internal/DumpYamlString')
      .set('Authorization', token)
      .set('session_id', String(id));
    return body === undefined ? request : request.send(body as object);
  };

  describe.each(FIXTURES)('%s', (name) => {
    const text = fixture(name);
    const converted = yamlToShopJson(text) as Json;
    let first: number;
    let stored: Json;

    beforeAll(async () => {
      first = await newSession();
      const response = await putYaml(first, text);
      // The fixtures' own commands run (start sim, where they have it) after the model is stored.
      expect(response.status).toBe(200);
      stored = await getModel(first, '?isOutput=false');
    });

    it('stores exactly the model the YAML describes', async () => {
      const { commands: _commands, ...withoutCommands } = converted;
      const reference = await newSession();
      expect((await putJson(reference, withoutCommands)).status).toBe(200);
      expect(stored).toEqual(await getModel(reference));
      expect(Object.keys(stored.model).sort()).toEqual(Object.keys(converted.model).sort());
      expect(stored.connections).toHaveLength(converted.connections.length);
      expect(stored.time.start_time).toBe(converted.time.start_time);
    });

    it('DumpYamlString [true, false, false] gives a YAML string that loads back to the same model', async () => {
      const response = await dump(first, { args: [true, false, false] });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const yaml = JSON.parse(response.text) as string;
      expect(typeof yaml).toBe('string');
      expect(yaml).toMatch(/^time:\n {2}starttime: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
      expect(yaml).toContain('    from_type: ');
      expect(yaml).not.toContain('commands:');
      const dumped = yamlToShopJson(yaml) as Json;
      expect(dumped.time).toEqual(converted.time);
      const second = await newSession();
      expect((await putYaml(second, yaml)).status).toBe(200);
      expect(await getModel(second)).toEqual(stored);
    });

    it('DumpYamlString with the defaults (compressed) loads back to the same compressed model', async () => {
      const response = await dump(first);
      expect(response.status).toBe(200);
      const yaml = response.body as string;
      expect(yaml).not.toContain('connection_type: connection_standard');
      const third = await newSession();
      expect((await putYaml(third, yaml, 'text/yaml')).status).toBe(200);
      // The defaults dump inputs only: compare the input views.
      const inputs = '?compressTxy=true&isOutput=false';
      expect(await getModel(third, inputs)).toEqual(await getModel(first, inputs));
    });

    it('GET /model as JSON round-trips through a fresh session', async () => {
      const fresh = await newSession();
      expect((await putJson(fresh, stored)).status).toBe(200);
      expect(await getModel(fresh)).toEqual(stored);
    });
  });

  it('accepts application/x-yaml and text/x-yaml, and the root alias /model', async () => {
    const id = await newSession();
    expect((await putYaml(id, 'model:\n  reservoir:\n    R1:\n      max_vol: 3\n', 'application/x-yaml')).status).toBe(
      200,
    );
    const response = await putYaml(id, 'model:\n  plant:\n    P1: {}\n', 'text/x-yaml; charset=utf-8', '/model');
    expect(response.status).toBe(200);
    expect(response.headers.deprecation).toBeDefined();
    expect(response.body.model).toEqual({ reservoir: { R1: { max_vol: 3 } }, plant: { P1: {} } });
  });

  it('infers connection types from objects stored by an earlier upload', async () => {
    const id = await newSession();
    expect((await putYaml(id, 'model:\n  reservoir:\n    R1: {}\n  plant:\n    P1: {}\n')).status).toBe(200);
    expect((await putYaml(id, 'connections:\n  - from: R1\n    to: P1\n')).status).toBe(200);
    expect((await getModel(id)).connections).toEqual([
      {
        from: 'R1',
        from_type: 'reservoir',
        to: 'P1',
        to_type: 'plant',
        relation_type: 'default',
        relation_direction: 'both',
      },
    ]);
  });

  describe('refuses a bad document and changes nothing', () => {
    let id: number;
    let snapshot: Json;
    beforeAll(async () => {
      id = await newSession();
      expect((await putYaml(id, fixture('basic_pump').replace(/^commands:[\s\S]*$/m, ''))).status).toBe(200);
      snapshot = await getModel(id);
    });

    it.each([
      ['malformed YAML', 'model:\n  reservoir: [1,\n', /^Malformed YAML at line \d+, column \d+/],
      ['a duplicate key', 'model:\n  reservoir:\n    R1: {}\n    R1: {}\n', /Map keys must be unique/],
      ['a tag', 'model: !!js/function "function () {}"\n', /^YAML tags are not accepted/],
      [
        'an alias bomb',
        [
          'a: &a [x,x,x,x,x,x,x,x,x,x]',
          'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
          'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        ]
          .concat(['d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'model: [*d]'])
          .join('\n'),
        /alias/,
      ],
      [
        'an ambiguous connection',
        'model:\n  plant:\n    U: {}\n  generator:\n    U: {}\nconnections:\n  - from: U\n    to: Plant1\n',
        /connections\[0\]\.from_type/,
      ],
      [
        'a connection to an unknown name',
        'connections:\n  - from: Reservoir1\n    to: Nowhere\n',
        /connections\[0\]\.to_type: no object named "Nowhere"/,
      ],
      ['deep nesting', 'model: ' + '['.repeat(20000), /nested more than 64 levels deep/],
      ['an alias to a node that contains it', 'model:\n  reservoir: &r\n    R1:\n      inner: *r\n', /a cycle/],
      ['a malformed command', 'commands:\n  - fly to the moon\n', /commands\[0\]/],
    ])('%s is 400 with a clear message', async (_, text, message) => {
      const response = await putYaml(id, text);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
      expect(response.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]),
      );
      expect(await getModel(id)).toEqual(snapshot);
    });

    it.each([
      [
        'an unknown attribute',
        'model:\n  reservoir:\n    Reservoir1:\n      max_vl: 1\n',
        'model.reservoir.Reservoir1.max_vl',
      ],
      ['.inf', 'model:\n  reservoir:\n    Reservoir1:\n      max_vol: .inf\n', 'model.reservoir.Reservoir1.max_vol'],
      [
        'an int with decimals',
        'model:\n  generator:\n    P1G1:\n      penstock: 1.5\n',
        'model.generator.P1G1.penstock',
      ],
      [
        'a bad timestamp',
        'model:\n  reservoir:\n    Reservoir1:\n      inflow:\n        2018-02-30 00:00:00: 1\n',
        'model.reservoir.Reservoir1.inflow.timestamps[0]',
      ],
      ['an unknown root node', 'modell: {}\n', 'modell'],
      ['a list instead of a map', '- model\n', ''],
    ])('%s is 422 with the path', async (_, text, path) => {
      const response = await putYaml(id, text);
      expect(response.status).toBe(422);
      expect(response.body.details.map((d: Json) => d.path)).toContain(path);
      expect(await getModel(id)).toEqual(snapshot);
    });
  });

  it('a YAML body on any other endpoint is 415', async () => {
    const id = await newSession();
    const yaml = 'session_name: sneaky\n';
    for (const [method, path] of [
      ['post', '/api/v1/session'],
      ['post', '/session'],
      ['post', '/api/requestAuthToken'],
      ['post', '/api/v1/internal/DumpYamlString'],
      ['post', '/api/v1/session/cancel'],
      ['get', '/api/v1/model'],
      ['patch', '/api/v1/users/1'],
    ] as const) {
      const http = t.http();
      const response = await http[method](path)
        .set('Authorization', token)
        .set('session_id', String(id))
        .set('Content-Type', 'application/yaml')
        .send(yaml);
      expect([method, path, response.status]).toEqual([method, path, 415]);
      expect(response.body.message).toContain('accepted only by PUT /model');
    }
    const sessions = (await t.http().get('/api/v1/sessions').set('Authorization', token)).body as Json[];
    expect(sessions.some((s) => s.session_name === 'sneaky')).toBe(false);
  });

  it('a body of another type on PUT /model is 415, naming the accepted types', async () => {
    const response = await putYaml(await newSession(), 'model: {}', 'text/plain');
    expect(response.status).toBe(415);
    expect(response.body.message).toContain('application/json');
    expect(response.body.message).toContain('application/yaml');
  });
});

describe('a YAML body over TARN_BODY_LIMIT', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_BODY_LIMIT: '1kb' } });
  });
  afterAll(() => t.close());

  it('is 413', async () => {
    const token = await t.token();
    const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const response = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(id))
      .set('Content-Type', 'application/yaml')
      .send(fixture('basic_pump'));
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('1024 bytes');
  });
});
