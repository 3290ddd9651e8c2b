import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { textProblem } from '../src/shop/text.js';
import type { Json } from './support/json.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Text PostgreSQL cannot store (NUL, unpaired surrogates), the other control characters, and
 * prototype keys: in a body, a query or a header each answers a 4xx naming where it is, never a
 * 5xx, and nothing is stored. Bodies are sent as raw JSON text so that the escapes arrive as
 * written. Runs on PGlite, and on PostgreSQL with DATABASE_URL.
 */
describe('text that cannot be stored, and prototype keys', () => {
  let t: TestApp;
  let token: string;
  let session: number;

  const MODEL = {
    time: { start_time: '2018-01-23T00:00:00Z', end_time: '2018-01-24T00:00:00Z', time_unit: 'hour' },
    model: {
      reservoir: {
        R1: {
          max_vol: 39,
          inflow: { name: 'Inflow', timestamps: ['2018-01-23T00:00:00Z'], values: [[5]] },
          vol_head: { ref: 0, x: [0, 39], y: [90, 100] },
        },
      },
      plant: { P1: {} },
      market: { M1: { market_type: 'ENERGY' } },
      busbar: { B1: { ptdf: { line1: 0.5 } } },
    },
    connections: [{ from: 'R1', from_type: 'reservoir', to: 'P1', to_type: 'plant' }],
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_LOG_LEVEL: 'error' } });
    token = await t.token();
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .send(MODEL);
    expect(put.status).toBe(200);
  });
  afterAll(() => t.close());

  const inSession = <R extends { set: (name: string, value: string) => R }>(request: R) =>
    request.set('Authorization', token).set('session_id', String(session));
  const stored = async () => (await inSession(t.http().get('/api/v1/model'))).body as Json;
  const log = async () =>
    (await inSession(t.http().get('/api/v1/session/log'))).body as Array<{ level: string; message: string }>;
  const putText = (body: string, type = 'application/json') =>
    inSession(t.http().put('/api/v1/model')).set('Content-Type', type).send(body);

  /** The answer is `status`, names `path` first, and the stored model is what it was. */
  async function expectRefused(
    send: () => PromiseLike<{ status: number; body: Json }>,
    status: number,
    path: string,
    message: RegExp = /./,
  ): Promise<void> {
    const before = await stored();
    const response = await send();
    expect({ status: response.status, detail: response.body.details?.[0] }).toEqual({
      status,
      detail: { path, message: expect.stringMatching(message) },
    });
    expect(response.body.message).toContain(path);
    expect(await stored()).toEqual(before);
  }

  describe('PUT /model with SHOP JSON', () => {
    it.each<[string, string, string, RegExp]>([
      ['a NUL in an object name', '{"model": {"reservoir": {"R\\u0000": {}}}}', 'model.reservoir["R\\u0000"]', /NUL/],
      [
        'a lone surrogate in an object name',
        '{"model": {"reservoir": {"R1\\ud800": {"max_vol": 1}}}}',
        'model.reservoir["R1\\ud800"]',
        /unpaired UTF-16 surrogate \(U\+D800\)/,
      ],
      [
        'a NUL in a string value',
        '{"model": {"market": {"M1": {"market_type": "ENERGY\\u0000"}}}}',
        'model.market.M1.market_type',
        /NUL/,
      ],
      [
        'a lone surrogate in a string array',
        '{"model": {"lp_model": {"lp": {"var_type_names": ["x", "\\udc00"]}}}}',
        'model.lp_model.lp.var_type_names[1]',
        /U\+DC00/,
      ],
      [
        'a NUL in a series name',
        '{"model": {"reservoir": {"R1": {"inflow": {"name": "\\u0000", "values": [[1]]}}}}}',
        'model.reservoir.R1.inflow.name',
        /NUL/,
      ],
      [
        'a NUL in a connection',
        '{"connections": [{"from": "R1\\u0000", "from_type": "reservoir", "to": "P1", "to_type": "plant"}]}',
        'connections[0].from',
        /NUL/,
      ],
      [
        'a control character in an object name',
        '{"model": {"plant": {"P\\u00011": {}}}}',
        'model.plant["P\\u00011"]',
        /U\+0001/,
      ],
      [
        'a tab in an object name',
        '{"model": {"plant": {"P\\t1": {}}}}',
        'model.plant["P\\t1"]',
        /names are plain text/,
      ],
      [
        'a NUL in an sy name',
        '{"model": {"busbar": {"B1": {"ptdf": {"l\\u0000": 1}}}}}',
        'model.busbar.B1.ptdf["l\\u0000"]',
        /NUL/,
      ],
    ])('%s is 422 naming the path', (_what, body, path, message) =>
      expectRefused(() => putText(body), 422, path, message),
    );

    it.each<[string, string, string]>([
      ['txy', '{"model": {"reservoir": {"R1": {"inflow": {"values": [[1]], "KEY": 1}}}}}', 'model.reservoir.R1.inflow'],
      [
        'xy',
        '{"model": {"reservoir": {"R1": {"vol_head": {"ref": 0, "x": [0], "y": [1], "KEY": 1}}}}}',
        'model.reservoir.R1.vol_head',
      ],
      [
        'xy_array',
        '{"model": {"generator": {"G1": {"turb_eff_curves": [{"ref": 0, "x": [0], "y": [1], "KEY": {}}]}}}}',
        'model.generator.G1.turb_eff_curves[0]',
      ],
      [
        'xyt',
        '{"model": {"plant": {"P1": {"best_profit_q": [{"time": "2018-01-23", "xy": [[1, 2]], "KEY": []}]}}}}',
        'model.plant.P1.best_profit_q[0]',
      ],
      ['sy', '{"model": {"busbar": {"B1": {"ptdf": {"KEY": 1}}}}}', 'model.busbar.B1.ptdf'],
      [
        'a connection',
        '{"connections": [{"from": "R1", "from_type": "reservoir", "to": "P1", "to_type": "plant", "KEY": 1}]}',
        'connections[0]',
      ],
    ])('a prototype key or an unknown key in %s is 422 naming it', async (_what, template, parent) => {
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        await expectRefused(() => putText(template.replace('KEY', key)), 422, `${parent}.${key}`, /not an allowed key/);
      }
      if (!parent.endsWith('ptdf')) {
        await expectRefused(() => putText(template.replace('KEY', 'extra')), 422, `${parent}.extra`, /not a field of/);
      }
      expect(({} as Json).polluted).toBeUndefined();
    });
  });

  describe('PUT /model with SHOP YAML', () => {
    it.each<[string, string, string, RegExp]>([
      [
        'a NUL escape in a name',
        'model:\n  reservoir:\n    "R\\0":\n      max_vol: 1\n',
        'model.reservoir["R\\u0000"]',
        /NUL/,
      ],
      [
        'a raw NUL in a name',
        'model:\n  reservoir:\n    R\u00001:\n      max_vol: 1\n',
        'model.reservoir["R\\u00001"]',
        /NUL/,
      ],
      [
        'a lone surrogate escape in a string',
        'model:\n  market:\n    M1:\n      market_type: "\\uD800"\n',
        'model.market.M1.market_type',
        /surrogate/,
      ],
      [
        'a prototype key in a txy',
        'model:\n  reservoir:\n    R1:\n      inflow: {values: [[1]], constructor: 1}\n',
        'model.reservoir.R1.inflow.constructor',
        /not an allowed key/,
      ],
      [
        'an unknown key in an xy',
        'model:\n  reservoir:\n    R1:\n      vol_head: {ref: 0, x: [0], y: [1], z: [2]}\n',
        'model.reservoir.R1.vol_head.z',
        /not a field of an xy table/,
      ],
    ])('%s is 422 naming the path', (_what, body, path, message) =>
      expectRefused(() => putText(body, 'application/yaml'), 422, path, message),
    );
  });

  describe('query parameters and headers', () => {
    it.each<[string, string]>([
      ['/api/v1/model?objectName=%00', 'query.objectName'],
      ['/api/v1/model?objectType=reservoir&attributeName=max_vol%00', 'query.attributeName'],
      ['/api/v1/model?objectName=a%01b', 'query.objectName'],
      ['/api/v1/model?constructor=1', 'query.constructor'],
      ['/api/v1/session/log?since=%00', 'query.since'],
      ['/model?objectName=R1%00', 'query.objectName'],
    ])('GET %s is 400 naming %s', (path, where) => expectRefused(() => inSession(t.http().get(path)), 400, where));

    it('a session_id query parameter with a NUL is 400, before the session is looked up', async () => {
      const response = await t.http().get('/api/v1/model?session_id=1%00').set('Authorization', token);
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ path: 'query.session_id', message: expect.stringMatching(/NUL/) }]);
    });

    it('a percent-encoded surrogate cannot arrive as one: it is not UTF-8, so it finds nothing', async () => {
      // %ED%A0%80 would be U+D800 in UTF-8, which UTF-8 forbids: the query parser decodes it to
      // U+FFFD replacement characters, an ordinary (unknown) name.
      const response = await inSession(t.http().get('/api/v1/model?objectName=%ED%A0%80'));
      expect(response.status).toBe(200);
      expect(response.body.model).toEqual({});
    });

    describe('on the wire', () => {
      let port: number;
      beforeAll(async () => {
        const server = t.app.getHttpServer() as Server;
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        port = (server.address() as AddressInfo).port;
      });

      /**
       * A raw HTTP request (clients refuse to send these headers), answered as text. Written, not
       * ended: a half-closed connection may be dropped before the answer; the server closes it.
       */
      const raw = (headers: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () =>
            socket.write(
              `GET /api/v1/model HTTP/1.1\r\nHost: tarn\r\nAuthorization: ${token}\r\n${headers}Connection: close\r\n\r\n`,
            ),
          );
          let answer = '';
          socket.on('data', (chunk) => (answer += chunk));
          socket.on('end', () => resolve(answer));
          socket.on('error', reject);
        });

      it("a NUL or control character in a header is refused with 400 by Node's HTTP parser", async () => {
        expect(await raw(`session_id: ${session}\r\n`)).toMatch(/^HTTP\/1.1 200 /);
        expect(await raw(`session_id: ${session}\u0000\r\n`)).toMatch(/^HTTP\/1.1 400 /);
        expect(await raw(`session_id: ${session}\r\nx-note: a\u0001b\r\n`)).toMatch(/^HTTP\/1.1 400 /);
      });

      it('a header named like a prototype key is 400 naming it', async () => {
        const answer = await raw(`session_id: ${session}\r\nconstructor: x\r\n`);
        expect(answer).toMatch(/^HTTP\/1.1 400 /);
        expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).details).toEqual([
          { path: 'headers.constructor', message: expect.stringMatching(/not an allowed key/) },
        ]);
      });
    });
  });

  describe('DTO bodies', () => {
    const sessions = async () => (await t.http().get('/api/v1/sessions').set('Authorization', token)).body as Json[];

    it.each<[string, string, RegExp]>([
      ['{"session_name": "day\\u0000ahead"}', 'session_name', /NUL/],
      ['{"session_name": "\\ud800"}', 'session_name', /surrogate/],
      ['{"log_file": "shop\\u0000.log"}', 'log_file', /NUL/],
      ['{"session_name": "x", "__proto__": {"admin": true}}', '__proto__', /not an allowed key/],
    ])('POST /session %s is 422 naming %s; no session is created', async (body, path, message) => {
      const before = await sessions();
      const response = await t.http().post('/api/v1/session').set('Authorization', token).type('json').send(body);
      expect(response.status).toBe(422);
      expect(response.body.details).toEqual([{ path, message: expect.stringMatching(message) }]);
      expect(await sessions()).toEqual(before);
    });

    it('a session name is plain text: a tab or line break is 400', async () => {
      const response = await t
        .http()
        .post('/api/v1/session')
        .set('Authorization', token)
        .send({ session_name: 'a\tb' });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([
        { path: 'session_name', message: expect.stringMatching(/control character U\+0009.*names are plain text/) },
      ]);
    });

    it.each<[string, string]>([
      ['{"email": "a\\u0000@b.io", "password": "long enough"}', 'email'],
      ['{"email": "new@b.io", "password": "long enough", "account_name": "A\\udfff"}', 'account_name'],
    ])('POST /users %s is 422 naming %s', async (body, path) => {
      const response = await t.http().post('/api/v1/users').set('Authorization', token).type('json').send(body);
      expect(response.status).toBe(422);
      expect(response.body.details[0].path).toBe(path);
    });

    it('POST /requestAuthToken with a NUL in the password is 422, not a 500 or a login', async () => {
      const response = await t
        .http()
        .post('/api/requestAuthToken')
        .type('json')
        .send('{"email": "admin@tarn.test", "password": "x\\u0000"}');
      expect(response.status).toBe(422);
      expect(response.body.details[0].path).toBe('password');
    });

    it('POST /logging/endpoint with a NUL is 422 naming endpoint', () =>
      expectRefused(
        () =>
          inSession(t.http().post('/api/v1/logging/endpoint')).type('json').send('{"endpoint": "http://a\\u0000b/"}'),
        422,
        'endpoint',
        /NUL/,
      ));
  });

  describe('SHOP API functions (/internal)', () => {
    const call = (name: string, body: string) =>
      inSession(t.http().post(`/api/v1/internal/${name}`))
        .type('json')
        .send(body);

    it.each<[string, string, unknown, RegExp]>([
      ['AddObject', '{"args": ["reservoir", "R\\u0000"]}', false, /^AddObject: object_name contains NUL/],
      ['AddObject', '{"args": ["plant", "P\\ud800"]}', false, /^AddObject: object_name contains an unpaired/],
      ['GetDoubleValue', '{"args": ["reservoir", "R\\u0000", "max_vol"]}', 0, /^GetDoubleValue: object_name/],
      [
        'SetStringValue',
        '{"args": ["market", "M1", "market_type"], "kwargs": {"value": "x\\u0000"}}',
        false,
        /^SetStringValue: value contains NUL/,
      ],
      ['SetSyCurve', '{"args": ["busbar", "B1", "ptdf", ["l\\udc00"], [1]]}', false, /^SetSyCurve: s\[0\] contains/],
      ['ExecuteCommand', '{"args": ["set code", [], ["\\u0000"]]}', false, /^ExecuteCommand: values\[0\] contains NUL/],
      [
        'ReadYamlString',
        '{"args": ["model:\\n  reservoir:\\n    \\"R\\\\0\\":\\n      max_vol: 1\\n"]}',
        false,
        /^ReadYamlString: .*model\.reservoir\["R\\u0000"\].*NUL/,
      ],
    ])(
      '%s with %s is a model failure: 200, the failure value, an ERROR without the NUL',
      async (name, body, failure, message) => {
        const before = await stored();
        const seen = (await log()).length;
        const response = await call(name, body);
        expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: failure });
        const added = (await log()).slice(seen);
        expect(added).toEqual([expect.objectContaining({ level: 'ERROR', message: expect.stringMatching(message) })]);
        expect(textProblem(added[0].message)).toBeUndefined();
        expect(await stored()).toEqual(before);
      },
    );

    it('a function without a session answers its failure value', async () => {
      const response = await call('GetObjectInfo', '{"args": ["reservoir\\u0000", "isInput"]}');
      expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: '' });
      expect((await call('GetObjectInfo', '{"args": ["reservoir", "isInput"]}')).body).toBe('True');
    });

    it('a prototype key as a named argument is a 400 naming it', async () => {
      const response = await call('AddObject', '{"args": ["reservoir"], "kwargs": {"__proto__": "x"}}');
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ path: 'kwargs.__proto__', message: expect.any(String) }]);
    });
  });
});
