import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from './support/eventually.js';
import { fetchClient } from './support/fetch-client.js';
import { freePort, killServers, type Server, startServer, waitForHealth } from './support/processes.js';
import { newSession, type SessionClient } from './support/session-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, dropSchema, newSchemaName } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
const { commands: BASIC_COMMANDS, ...BASIC_MODEL } = BASIC;

/** An upload with commands: had the server taken it, the model would change and a run start. */
const UPLOAD = JSON.stringify({
  commands: ['start sim 1'],
  model: { reservoir: { Reservoir1: { max_vol: 40, lrl: 861 } } },
});
const UPLOAD_YAML =
  'commands:\n  - start sim 1\nmodel:\n  reservoir:\n    Reservoir1:\n      max_vol: 40\n      lrl: 861\n';

/**
 * Clients that go away in the middle of a request, against the built server as a user runs it
 * (its log is read): on the embedded database, or on PostgreSQL when DATABASE_URL is set.
 */
describe('a client that disconnects in the middle of a request', () => {
  const schema = newSchemaName();
  const shared = process.env.DATABASE_URL !== undefined;
  let server: Server;
  let port: number;
  let token = '';
  let session: SessionClient;
  const call = fetchClient(
    () => `http://127.0.0.1:${port}`,
    () => token,
  );

  beforeAll(async () => {
    port = await freePort();
    server = startServer(['-p', String(port), '-l', '127.0.0.1'], {
      TARN_DATA_DIR: 'memory://',
      ...(shared ? { DATABASE_URL: process.env.DATABASE_URL!, TARN_DATABASE_SCHEMA: schema } : {}),
      TARN_ADMIN_EMAIL: ADMIN_EMAIL,
      TARN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TARN_SOLVER_POOL_SIZE: '1',
      // Every request is logged ("request completed" / "request aborted"): the test reads that.
      TARN_LOG_LEVEL: 'info',
    });
    await waitForHealth(port, server);
    const answer = await call('POST', '/api/requestAuthToken', undefined, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    token = answer.body.auth_token as string;
    session = await newSession(call);
    expect((await session.put(BASIC)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await killServers();
    if (shared) await dropSchema(process.env.DATABASE_URL!, schema);
  });

  /** The server's log lines (pino JSON), parsed. */
  const logLines = () =>
    server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; req?: { id?: string }; err?: unknown });
  /** Errors (pino level 50 and up) and anything logged with a stack trace. */
  const errorsLogged = () =>
    logLines().filter((line) => line.level >= 50 || JSON.stringify(line).includes('\\n    at '));

  /**
   * Sends the request's head and `sent` of its body, then destroys the socket, and resolves once
   * the server has logged the request as aborted (it carries its own X-Request-Id).
   */
  async function abandon(head: Record<string, string>, sent: string): Promise<string> {
    const id = randomUUID();
    const headers = {
      Host: 'tarn',
      Authorization: token,
      session_id: String(session.id),
      'X-Request-Id': id,
      ...head,
    };
    const text = `PUT /api/v1/model HTTP/1.1\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}\r\n${sent}`;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(text, () => (socket.destroy(), resolve())));
      socket.on('error', reject);
    });
    await eventually(() => logLines().some((line) => line.req?.id === id && line.msg === 'request aborted'), {
      what: `the server to log request ${id} as aborted`,
    });
    return id;
  }

  it.each([
    ['a JSON body cut short of its Content-Length', 'application/json', UPLOAD.slice(0, 40), 'length'],
    ['a YAML body cut short of its Content-Length', 'application/yaml', UPLOAD_YAML.slice(0, 50), 'length'],
    ['a chunked JSON body cut between two chunks', 'application/json', UPLOAD.slice(0, 40), 'chunked'],
    ['the head only, no byte of the body', 'application/json', '', 'length'],
  ])(
    '%s: nothing stored, no run, nothing logged as an error; the session and server go on',
    async (_what, type, part, framing) => {
      const model = (await session.get('/model')).text;
      const runs = await session.runs();
      const head: Record<string, string> =
        framing === 'chunked'
          ? { 'Content-Type': type, 'Transfer-Encoding': 'chunked' }
          : { 'Content-Type': type, 'Content-Length': String(UPLOAD.length * 100) };
      const sent = framing === 'chunked' ? `${part.length.toString(16)}\r\n${part}\r\n` : part;
      await abandon(head, sent);

      expect((await session.get('/model')).text).toBe(model);
      expect(await session.runs()).toEqual(runs);
      expect(errorsLogged()).toEqual([]);
      expect((await call('GET', '/')).status).toBe(200);
      // No transaction was left open holding the session: a write to it goes through.
      expect((await session.put({ model: { reservoir: { Reservoir1: { lrl: 860 } } } })).status).toBe(200);
    },
  );

  it('while its PUT /model waits for the run: the run goes on to its end and its results are stored', async () => {
    // The one solver thread is busy with another session's endless run: this PUT's run waits for it.
    const blocker = await newSession(call);
    expect((await blocker.put(BASIC_MODEL)).status).toBe(200);
    expect((await blocker.put({ commands: ['start sim 100000'] }, '?wait=false')).status).toBe(202);
    const runs = (await session.runs()).length;
    const body = JSON.stringify({ commands: BASIC_COMMANDS });
    const id = await (async () => {
      const id = randomUUID();
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `PUT /api/v1/model HTTP/1.1\r\nHost: tarn\r\nAuthorization: ${token}\r\nsession_id: ${session.id}\r\n` +
          `X-Request-Id: ${id}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      // Its run exists (the upload was taken): the client goes away.
      await eventually(async () => expect(await session.runs()).toHaveLength(runs + 1), { what: 'the run' });
      socket.destroy();
      await eventually(() => logLines().some((line) => line.req?.id === id && line.msg === 'request aborted'), {
        what: `the server to log request ${id} as aborted`,
      });
      return id;
    })();
    expect((await session.runs()).at(-1)!.status).not.toMatch(/done|failed|cancelled/);

    // The blocker stops; the abandoned PUT's run gets the thread and ends as if its client had waited.
    expect((await blocker.cancel()).status).toBe(200);
    const run = await eventually(
      async () => {
        const run = (await session.runs()).at(-1)!;
        expect(run.status).toBe('done');
        return run;
      },
      { timeoutMs: 30_000, what: 'the abandoned run to end' },
    );
    expect(run).toMatchObject({ solver_status: 'optimal', iterations: 8 });
    expect((await session.objective()).solver_status).toBe('optimal');
    expect(errorsLogged()).toEqual([]);
    expect(
      logLines()
        .filter((line) => line.req?.id === id)
        .map((line) => line.msg),
    ).toEqual(['request aborted']);
  }, 60_000);
});
