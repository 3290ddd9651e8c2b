import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { cascadeModel } from '../src/solver/examples/cascade-model.js';
import { eventually } from './support/eventually.js';
import { fetchClient } from './support/fetch-client.js';
import {
  describeQueue,
  dropQueue,
  newQueuePrefix,
  queueEnv,
  startQueueApi,
  startTestWorker,
  type Call,
} from './support/queue.js';
import { newSession, type SessionClient } from './support/session-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
const { commands: _basicCommands, ...BASIC_MODEL } = BASIC;
/** 20 reservoirs x 168 hours with binaries and a zero MIP gap: 30 s and more, so it runs until cancelled. */
const CASCADE = cascadeModel({ reservoirs: 20, hours: 168, commands: [] });
const LONG_COMMANDS = ['set universal_mip /on', 'set mipgap /relative 0', 'set code /full', 'start sim 20'];
const SHORT_COMMANDS = ['start sim 3'];

interface Accounts {
  /** The admin (GET /metrics), Alice of account A and Bob of account B. */
  admin: Call;
  alice: Call;
  bob: Call;
}

/** Alice (account A) and Bob (account B), created by the admin, with a client each on the listening app. */
async function twoAccounts(t: TestApp): Promise<Accounts> {
  const base = await t.app.getUrl();
  const adminToken = await t.token();
  const client = (token: string) =>
    fetchClient(
      () => base,
      () => token,
    );
  const alice = await t.createUser(adminToken, {
    email: 'alice@a.test',
    password: 'alice-password',
    account_name: 'A',
  });
  const bob = await t.createUser(adminToken, { email: 'bob@b.test', password: 'bob-password', account_name: 'B' });
  return { admin: client(adminToken), alice: client(alice.token), bob: client(bob.token) };
}

/** tarn_runs_waiting of an account, as GET /metrics answers it; undefined without a series. */
async function waiting(admin: Call, account: string): Promise<number | undefined> {
  const text = (await admin('GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`tarn_runs_waiting{account="${account}"} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

const only = async (session: SessionClient) => {
  const runs = await session.runs();
  expect(runs).toHaveLength(1);
  return runs[0];
};
const time = (value: unknown) => Date.parse(value as string);

/**
 * With TARN_MAX_RUNS_PER_ACCOUNT=1 and two solver slots: A's first run holds A's turn (a solve of
 * half a minute and more, cancelled once the rest is seen); A's later runs wait in line, B's run
 * takes the free slot ahead of them; A's runs then start one at a time, in the order they were
 * made; one cancelled while it waits leaves the line. The order is read from the runs' states
 * and times, not from the clock.
 */
async function accountsTakeTurns({ admin, alice, bob }: Accounts): Promise<void> {
  // A's sessions: a1 holds A's turn; a2 and a3 (a SHOP API call) wait; a4 is cancelled while it waits.
  const a1 = await newSession(alice);
  expect((await a1.put(CASCADE)).status).toBe(200);
  const [a2, a3, a4] = [await newSession(alice), await newSession(alice), await newSession(alice)];
  for (const session of [a2, a3, a4]) expect((await session.put(BASIC_MODEL)).status).toBe(200);

  expect((await a1.put({ commands: LONG_COMMANDS }, '?wait=false')).status).toBe(202);
  await eventually(async () => (await only(a1)).status === 'running', { what: "A's first run running" });
  const accepted = await a2.put({ commands: SHORT_COMMANDS }, '?wait=false');
  expect(accepted.status).toBe(202);
  expect(accepted.body.status).toBe('queued');
  // pyshop's start_sim: the SHOP API call waits for its run, as a PUT without ?wait=false does.
  const executed = a3.request('POST', '/internal/ExecuteCommand', { args: ['start sim', [], ['3']], kwargs: {} });
  await eventually(async () => (await a3.runs()).length === 1, { what: "the SHOP API call's run" });
  expect((await a4.put({ commands: SHORT_COMMANDS }, '?wait=false')).status).toBe(202);

  // A runs one; its three others wait, taking no slot.
  expect(await only(a1)).toMatchObject({ status: 'running' });
  for (const session of [a2, a3, a4]) expect(await only(session)).toMatchObject({ status: 'queued', started: null });
  expect(await waiting(admin, 'A')).toBe(3);

  // B's run, made after A's waiting ones, does not wait for them.
  const b = await newSession(bob);
  expect((await b.put(BASIC)).status).toBe(200);
  const bRun = await only(b);
  expect(bRun).toMatchObject({ status: 'done', solver_status: 'optimal' });
  expect(time(bRun.created)).toBeGreaterThanOrEqual(time((await only(a4)).created));
  expect(await only(a1)).toMatchObject({ status: 'running', finished: null });
  for (const session of [a2, a3, a4]) expect(await only(session)).toMatchObject({ status: 'queued', started: null });
  expect(await waiting(admin, 'B')).toBeUndefined();

  // A run cancelled while it waits leaves the line: it never starts.
  expect((await a4.cancel()).status).toBe(200);
  expect(await only(a4)).toMatchObject({
    status: 'cancelled',
    started: null,
    message: expect.stringMatching(/queued/),
  });
  expect(await waiting(admin, 'A')).toBe(2);

  // A's first run ends: its waiting runs start one at a time, in order. (A cancel that comes
  // before its solve has begun, while it reads its model, finds nothing to interrupt: again.)
  await eventually(
    async () => {
      expect((await a1.cancel()).status).toBe(200);
      expect((await only(a1)).status).not.toBe('running');
    },
    { timeoutMs: 60_000, intervalMs: 250, what: "A's first run to end on cancel" },
  );
  const answer = await executed;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toBe(true);
  await eventually(async () => (await only(a2)).status === 'done', { what: "A's second run done" });
  const [r1, r2, r3] = [await only(a1), await only(a2), await only(a3)];
  expect(r1).toMatchObject({ status: 'cancelled' });
  expect(r2).toMatchObject({ status: 'done', attempts: 1 });
  expect(r3).toMatchObject({ status: 'done', attempts: 1 });
  expect(time(r2.started)).toBeGreaterThanOrEqual(time(r1.finished));
  expect(time(r3.started)).toBeGreaterThanOrEqual(time(r2.finished));
  // B's run started and ended while A's first ran, before A's second started.
  expect(time(bRun.finished)).toBeLessThanOrEqual(time(r1.finished));
  expect(time(bRun.started)).toBeLessThan(time(r2.started));
  expect(await waiting(admin, 'A')).toBeUndefined();
}

describe('fairness: TARN_MAX_RUNS_PER_ACCOUNT=1, two solver threads in this process', () => {
  let t: TestApp;
  let accounts: Accounts;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_SOLVER_POOL_SIZE: '2', TARN_MAX_RUNS_PER_ACCOUNT: '1' } });
    await t.app.listen(0, '127.0.0.1');
    accounts = await twoAccounts(t);
  });
  afterAll(async () => t?.close());

  it("an account over its limit waits in line; another account's run is not delayed by it", async () => {
    await accountsTakeTurns(accounts);
  }, 180_000);
});

describeQueue(
  'fairness on the queue: two workers (as two processes would) of one slot each share TARN_MAX_RUNS_PER_ACCOUNT=1',
  () => {
    const prefix = newQueuePrefix();
    let api: TestApp;
    const workers: INestApplicationContext[] = [];
    let accounts: Accounts;

    beforeAll(async () => {
      ({ api } = await startQueueApi(queueEnv(prefix)));
      for (let i = 0; i < 2; i++) {
        workers.push(
          await startTestWorker(api.config.database.schema, {
            ...queueEnv(prefix),
            TARN_WORKER_CONCURRENCY: '1',
            TARN_MAX_RUNS_PER_ACCOUNT: '1',
          }),
        );
      }
      accounts = await twoAccounts(api);
    });
    afterAll(async () => {
      for (const worker of workers) await worker.close();
      await api?.close();
      await dropQueue(prefix);
    });

    it("an account over its limit waits in line, on no worker; another account's run is not delayed by it", async () => {
      await accountsTakeTurns(accounts);
    }, 180_000);
  },
);
