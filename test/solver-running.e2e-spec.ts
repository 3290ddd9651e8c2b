import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cascadeModel } from '../src/solver/examples/cascade-model.js';
import { fetchClient } from './support/fetch-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));

/** 20 reservoirs x 168 hours; with binaries and a zero MIP gap, 20 iterations take 30 s and more. */
const CASCADE = cascadeModel({ reservoirs: 20, hours: 168, commands: [] });
const LONG_COMMANDS = ['set universal_mip /on', 'set mipgap /relative 0', 'set code /full', 'start sim 20'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('solves in worker threads: cancel, a free event loop, the solver log file', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  const dir = mkdtempSync(join(tmpdir(), 'tarn-solver-running-'));
  const solverLogFile = join(dir, 'solver.log');

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_SOLVER_LOG_FILE: solverLogFile, TARN_SOLVER_POOL_SIZE: '2' } });
    // A listening server, so that requests can overlap (and be timed) as a client's would.
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    token = await t.token();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = fetchClient(
    () => base,
    () => token,
  );
  const newSession = async () => (await call('POST', '/api/v1/session', undefined, {})).body.session_id as number;
  const put = (session: number, body: unknown) => call('PUT', '/api/v1/model', session, body);
  const logOf = async (session: number) =>
    (await call('GET', '/api/v1/session/log', session)).body as Array<{ level: string; message: string }>;
  const solverStatus = async (session: number) =>
    (await call('GET', '/api/v1/model?isInput=false&isOutput=true&objectType=objective', session)).body.model.objective
      .average_objective.solver_status;

  /** Resolves once the session's log has the first iteration of the run. */
  async function firstIteration(session: number): Promise<void> {
    for (let tries = 0; tries < 600; tries++) {
      if ((await logOf(session)).some((m) => m.message.startsWith('Iteration 1 (full): '))) return;
      await sleep(50);
    }
    throw new Error(`session ${session}: the first iteration did not end`);
  }

  /** A session holding the 20x168 cascade, and its long PUT with commands, past its first iteration. */
  async function longSolve(): Promise<{
    session: number;
    done: Promise<{ status: number; body: Json }>;
    returnedAt: () => number;
  }> {
    const session = await newSession();
    expect((await put(session, CASCADE)).status).toBe(200);
    let returnedAt = 0;
    const done = put(session, { commands: LONG_COMMANDS }).then((response) => {
      returnedAt = performance.now();
      return response;
    });
    await firstIteration(session);
    return { session, done, returnedAt: () => returnedAt };
  }

  it('cancel during a long 20x168 solve returns the PUT within 1 s, drops its queued commands, and the session goes on', async () => {
    const { session, done, returnedAt } = await longSolve();
    await sleep(300); // in the second iteration
    const cancel = await call('POST', '/api/v1/session/cancel', session);
    const cancelledAt = performance.now();
    expect(cancel.status).toBe(200);
    const response = await done;
    const latencyMs = returnedAt() - cancelledAt;
    console.log(`cancel answered -> PUT returned in ${latencyMs.toFixed(0)} ms`);
    expect(response.status).toBe(200);
    expect(latencyMs).toBeLessThan(1000);
    expect(await solverStatus(session)).toBe('interrupted');
    const messages = (await logOf(session)).map((m) => m.message);
    expect(messages).toContain(
      `Cancel requested: the running solve was interrupted, ${LONG_COMMANDS.length} queued command(s) dropped`,
    );

    const again = await put(session, { commands: ['set code /full', 'start sim 1'] });
    expect(again.status).toBe(200);
    expect(await solverStatus(session)).toBe('optimal');
    const idle = await call('POST', '/api/v1/session/cancel', session);
    expect(idle.status).toBe(200);
    expect((await logOf(session)).at(-1)!.message).toBe(
      'Cancel requested: no solve was running, 0 queued command(s) dropped',
    );
  }, 120_000);

  it('answers the health check and other sessions while a long solve runs', async () => {
    const { session, done, returnedAt } = await longSolve();
    const other = await newSession();
    const otherPut = put(other, BASIC); // the basic model with its commands, on the second worker
    const answers: number[] = [];
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      const health = await fetch(`${base}/`);
      latencies.push(performance.now() - started);
      answers.push(health.status);
      expect(await health.text()).toBe('OK\r\n\r\n');
      await sleep(50);
    }
    const otherResponse = await otherPut;
    expect(otherResponse.status).toBe(200);
    expect(await solverStatus(other)).toBe('optimal');
    expect(returnedAt()).toBe(0); // every health check answered while the long solve ran
    expect(answers).toEqual(new Array(30).fill(200));
    console.log(
      `GET / during a 20x168 solve (the figure is the bench's): max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length}`,
    );

    expect((await call('POST', '/api/v1/session/cancel', session)).status).toBe(200);
    expect((await done).status).toBe(200);
  }, 120_000);

  it('deleting a session during its long solve stops the solve; the waiting PUT answers 404', async () => {
    const { session, done } = await longSolve();
    const deleted = await call('DELETE', '/api/v1/session', session);
    expect(deleted.status).toBe(200);
    const response = await done;
    expect(response.status).toBe(404);
    expect(response.body.message).toBe(`Session ${session} was deleted while its commands ran`);
    // The worker is free again: another session's solve runs.
    const other = await newSession();
    expect((await put(other, BASIC)).status).toBe(200);
    expect(await solverStatus(other)).toBe('optimal');
  }, 120_000);

  it('appends the solver lines of a run (iterations with objective and seconds, the summary) to --solver-log-file', async () => {
    const session = await newSession();
    expect((await put(session, BASIC)).status).toBe(200);
    const mine = async () => {
      for (let tries = 0; tries < 100; tries++) {
        const lines = readFileSync(solverLogFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes(`[session ${session}] `));
        if (lines.some((line) => line.includes('Solver: 8 iteration(s) in'))) return lines;
        await sleep(20);
      }
      throw new Error('the summary line did not reach the solver log file');
    };
    const lines = await mine();
    const iterations = lines.filter((line) => / INFO \[session \d+\] Iteration \d+ /.test(line));
    expect(iterations.map((line) => Number(/Iteration (\d+)/.exec(line)![1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const line of iterations) {
      expect(line).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO \[session \d+\] Iteration \d+ \((full|incremental)\): objective -?\d+\.\d+, .* \d+\.\d{3} s$/,
      );
    }
    expect(lines.some((line) => line.includes('Model updated'))).toBe(false); // the session's own lines stay out
  }, 60_000);
});
