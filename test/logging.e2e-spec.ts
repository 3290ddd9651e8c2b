import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SessionLogService } from '../src/logging/session-log.service.js';
import { eventually } from './support/eventually.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Received {
  body: { message: string; level: string; callerid: string };
  request: IncomingMessage;
  response: ServerResponse;
}

/** A local HTTP listener that records what it is sent; answers 200 unless told to hang. */
async function listener(
  answer = true,
): Promise<{ url: string; received: Received[]; closed: () => number; server: Server }> {
  const received: Received[] = [];
  let closed = 0;
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({ body: JSON.parse(text), request, response });
      if (answer) response.end('ok');
    });
    request.socket.on('close', () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/logs`, received, closed: () => closed, server };
}

const until = (condition: () => boolean, what: string) => eventually(condition, { timeoutMs: 5000, what });

describe('session logs and logging endpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tarn-logs-'));
  const logFile = join(dir, 'shop.log');
  let t: TestApp;
  let token: string;
  let session: number;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        TARN_LOGGING_ENDPOINT_ALLOW: '127.0.0.1',
        TARN_LOGGING_ENDPOINT_TIMEOUT: '500ms',
        TARN_SHOP_LOG_FILE: logFile,
      },
    });
    token = await t.token();
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({ session_name: 'logged' })).body
      .session_id;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = (endpoint: unknown, id = session) =>
    t
      .http()
      .post('/api/v1/logging/endpoint')
      .set('Authorization', token)
      .set('session_id', String(id))
      .send({ endpoint });
  const putModel = (body: object, id = session) =>
    t.http().put('/api/v1/model').set('Authorization', token).set('session_id', String(id)).send(body);
  const logs = (since = 0, id = session) =>
    t.http().get(`/api/v1/session/log?since=${since}`).set('Authorization', token).set('session_id', String(id));

  it('refuses endpoints that are not http or https URLs with 422, a missing one with 400', async () => {
    for (const endpoint of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url', 'javascript:alert(1)']) {
      const response = await register(endpoint);
      expect(response.status).toBe(422);
      expect(response.body.details[0].path).toBe('endpoint');
    }
    expect(
      (
        await t
          .http()
          .post('/api/v1/logging/endpoint')
          .set('Authorization', token)
          .set('session_id', String(session))
          .send({})
      ).status,
    ).toBe(400);
  });

  it('delivers every new message, in order, as {message, level, callerid}', async () => {
    const sink = await listener();
    try {
      expect((await register(sink.url)).status).toBe(200);
      expect((await putModel({ model: { reservoir: { R1: { max_vol: 10 } } } })).status).toBe(200);
      expect((await putModel({ model: { reservoir: { R2: {} } } })).status).toBe(200);
      // Stored, but without a time node it cannot be optimized: 422, and an ERROR in the log.
      expect(
        (await putModel({ model: { reservoir: { R1: { max_vol: 11 } } }, commands: ['start sim 3'] })).status,
      ).toBe(422);
      await until(() => sink.received.length >= 5, 'five deliveries');
      const bodies = sink.received.map((r) => r.body);
      expect(bodies.map((b) => b.callerid)).toEqual(Array(5).fill('logged'));
      expect(bodies[0].message).toMatch(/^Logging endpoint registered: http:\/\/127\.0\.0\.1/);
      expect(bodies[1].message).toBe('Model updated: 1 objects, 1 attribute values');
      expect(bodies[2].message).toBe('Model updated: 1 objects');
      expect(bodies.slice(3).map((b) => b.level)).toEqual(['INFO', 'ERROR']);
      expect(bodies[4].message).toMatch(/^The model cannot be optimized: time: the model has no time node/);
    } finally {
      sink.server.close();
    }
  });

  it('keeps the messages: GET /api/v1/session/log, with since', async () => {
    const all = (await logs()).body as Array<{ id: number; level: string; message: string; time: string }>;
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort((a, b) => a - b));
    const later = (await logs(all[2].id)).body;
    expect(later).toEqual(all.slice(3));
  });

  it("stores messages written together (a run's last lines) in their order, each delivered", async () => {
    const sink = await listener();
    try {
      expect((await register(sink.url)).status).toBe(200);
      const before = (await logs()).body as Array<{ id: number }>;
      await t.app.get(SessionLogService).logMany(
        session,
        [
          { level: 'INFO', text: 'first of three' },
          { level: 'WARNING', text: 'second of three' },
          { level: 'ERROR', text: 'third of three' },
        ],
        'solver',
      );
      const added = (await logs(before.at(-1)!.id)).body as Array<{ level: string; message: string }>;
      expect(added.map((m) => [m.level, m.message])).toEqual([
        ['INFO', 'first of three'],
        ['WARNING', 'second of three'],
        ['ERROR', 'third of three'],
      ]);
      await until(() => sink.received.some((r) => r.body.message === 'third of three'), 'the third delivery');
      expect(sink.received.map((r) => r.body.message).filter((m) => m.endsWith('of three'))).toEqual([
        'first of three',
        'second of three',
        'third of three',
      ]);
    } finally {
      sink.server.close();
    }
  });

  it('cancel says in the log what it interrupted and dropped', async () => {
    const cancel = () =>
      t.http().post('/api/v1/session/cancel').set('Authorization', token).set('session_id', String(session));
    expect((await cancel()).status).toBe(200);
    expect((await cancel()).status).toBe(200);
    const messages = ((await logs()).body as Array<{ message: string }>).map((m) => m.message);
    expect(messages.slice(-1)).toEqual(['Cancel requested: no solve was running, 0 queued command(s) dropped']);
  });

  it('appends every message to --shop-log-file', async () => {
    await until(() => {
      try {
        return readFileSync(logFile, 'utf8').includes('cannot be optimized');
      } catch {
        return false;
      }
    }, 'the log file');
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO \[logged\] Model updated: 1 objects, 1 attribute values$/);
  });

  it('a listener that never answers delays nothing; delivery is given up after the timeout', async () => {
    const silent = await listener(false);
    try {
      const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({ session_name: 'slow' }))
        .body.session_id;
      expect((await register(silent.url, id)).status).toBe(200);
      await until(() => silent.received.length === 1, 'the first delivery');
      // The listener holds the delivery open, unanswered; the request that logged returns anyway.
      const response = await putModel({ model: { reservoir: { Slow: {} } } }, id);
      expect(response.status).toBe(200);
      expect(silent.received.length).toBeLessThanOrEqual(1);
      await until(() => silent.closed() >= 1, 'the delivery to be given up');
      expect((await logs(0, id)).body.map((m: { message: string }) => m.message)).toContain('Model updated: 1 objects');
    } finally {
      silent.server.closeAllConnections();
      silent.server.close();
    }
  });

  it('keeps other users out of the endpoint and the log (404)', async () => {
    const other = await t.createUser(token, {
      email: 'nosy@tarn.test',
      password: 'nosy-password',
      account_name: 'Nosy',
    });
    expect(
      (
        await t
          .http()
          .post('/api/v1/logging/endpoint')
          .set('Authorization', other.token)
          .set('session_id', String(session))
          .send({ endpoint: 'https://example.com' })
      ).status,
    ).toBe(404);
    expect(
      (await t.http().get('/api/v1/session/log').set('Authorization', other.token).set('session_id', String(session)))
        .status,
    ).toBe(404);
  });
});

describe('logging endpoints without an allow list', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('refuses to deliver to loopback addresses, without failing the request that logged', async () => {
    t = await startTestApp({ env: { TARN_LOGGING_ENDPOINT_TIMEOUT: '500ms' } });
    const token = await t.token();
    const sink = await listener();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const id = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
      const registered = await t
        .http()
        .post('/api/v1/logging/endpoint')
        .set('Authorization', token)
        .set('session_id', String(id))
        .send({ endpoint: sink.url });
      expect(registered.status).toBe(200);
      const put = await t
        .http()
        .put('/api/v1/model')
        .set('Authorization', token)
        .set('session_id', String(id))
        .send({ model: { reservoir: { R: {} } } });
      expect(put.status).toBe(200);
      // The first delivery (of "Logging endpoint registered") is refused before it connects.
      await until(
        () => warn.mock.calls.some(([message]) => String(message).includes(`Session ${id}: could not deliver`)),
        'the refused delivery to be logged',
      );
      const refused = warn.mock.calls.map(([message]) => String(message)).filter((m) => m.startsWith(`Session ${id}:`));
      expect(refused[0]).toMatch(
        new RegExp(
          `^Session ${id}: could not deliver a log message to http://127\\.0\\.0\\.1:\\d+: .*127\\.0\\.0\\.1.* is not allowed\\..*; next attempt in 1000 ms$`,
        ),
      );
      expect(sink.received).toHaveLength(0);
    } finally {
      warn.mockRestore();
      sink.server.close();
    }
  });
});
