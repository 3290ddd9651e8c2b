import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { RunsService, SERVER_STOPPED_RUNNING } from '../src/jobs/runs.service.js';
import { fetchClient } from './support/fetch-client.js';
import { parseEvents } from './support/sse.js';
import { newSession as createSession } from './support/session-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));

describe('runs: every PUT with commands is a run; ?wait=false answers 202 and the run goes on', () => {
  let t: TestApp;
  let base: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    token = await t.token();
  });
  afterAll(() => t.close());

  const call = fetchClient(
    () => base,
    () => token,
  );
  const newSession = () => createSession(call);

  it('a synchronous PUT with commands leaves a done run with its timings and objective', async () => {
    const session = await newSession();
    expect((await session.put(BASIC)).status).toBe(200);
    const runs = (await session.get('/api/v1/session/runs')).body as Json[];
    expect(runs).toHaveLength(1);
    const [run] = runs;
    const objective = (await session.get('/api/v1/model?objectType=objective&isInput=false')).body.model.objective
      .average_objective;
    expect(run).toMatchObject({
      session_id: session.id,
      status: 'done',
      solver_status: 'optimal',
      iterations: 8,
      commands: ['set code /full', 'start sim 5', 'set code /incremental', 'start sim 3'],
      message: null,
    });
    expect(run.objective).toBeCloseTo(objective.grand_total, 6);
    expect(Date.parse(run.finished)).toBeGreaterThanOrEqual(Date.parse(run.started));
    expect(run.seconds).toBeGreaterThan(0);
    expect((await session.get(`/api/v1/session/runs/${run.run_id}`)).body).toEqual(run);
    // An upload without commands is no run.
    expect((await session.put({ model: {} })).status).toBe(200);
    expect((await session.get('/api/v1/session/runs')).body).toHaveLength(1);
  });

  it('?wait=false answers 202 with the run; its events give a progress event per iteration and the end', async () => {
    const session = await newSession();
    const accepted = await session.put(BASIC, '?wait=false');
    expect(accepted.status).toBe(202);
    const { run_id: id } = accepted.body;
    expect(accepted.body).toEqual({
      run_id: id,
      status: 'queued',
      href: `/api/v1/session/runs/${id}`,
      events: `/api/v1/session/runs/${id}/events`,
    });
    const stream = await session.get(`/api/v1/session/runs/${id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseEvents(stream.text);
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.map((e) => e.data.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const { data } of progress) {
      expect(data).toMatchObject({ status: 'optimal', binaries: 0 });
      expect(typeof data.objective).toBe('number');
      expect(data.columns).toBeGreaterThan(0);
    }
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { run_id: id, status: 'done', iterations: 8 } });
    // The results are stored like those of a synchronous run, and the finished run streams its end alone.
    const run = (await session.get(`/api/v1/session/runs/${id}`)).body;
    expect(run.status).toBe('done');
    const again = parseEvents((await session.get(`/api/v1/session/runs/${id}/events`)).text);
    expect(again).toEqual([{ event: 'end', data: run }]);
  });

  it('a run whose model has no solution is failed, with the reason', async () => {
    const session = await newSession();
    const { commands: _commands, ...model } = BASIC;
    expect((await session.put(model)).status).toBe(200);
    const infeasible = {
      model: { reservoir: { Reservoir1: { min_vol_constr: 44 } } },
      commands: ['penalty flag /off /reservoir', 'start sim 1'],
    };
    const accepted = await session.put(infeasible, '?wait=false');
    expect(accepted.status).toBe(202);
    const end = parseEvents((await session.get(accepted.body.events)).text).at(-1)!;
    expect(end.event).toBe('end');
    expect(end.data).toMatchObject({ status: 'failed', solver_status: 'infeasible', iterations: 1 });
    expect(end.data.message).toMatch(/no solution: infeasible; conflicting constraints: .*min_vol_constr/);
  });

  it('keeps runs to their session: another session’s run is 404, a bad id 400, a bad wait 400', async () => {
    const first = await newSession();
    expect((await first.put(BASIC)).status).toBe(200);
    const [run] = (await first.get('/api/v1/session/runs')).body as Json[];
    const second = await newSession();
    expect((await second.get(`/api/v1/session/runs/${run.run_id}`)).status).toBe(404);
    expect((await second.get(`/api/v1/session/runs/${run.run_id}/events`)).status).toBe(404);
    expect((await first.get('/api/v1/session/runs/seven')).status).toBe(400);
    const bad = await first.put({ model: {} }, '?wait=later');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/wait must be true or false/);
  });

  it('marks runs whose process stopped (no heartbeat for a while) as failed, and leaves live ones alone', async () => {
    const session = await newSession();
    const data = t.app.get(DataSource);
    const insert = async (heartbeat: string) =>
      (
        await data.query(
          `INSERT INTO solver_run (session_id, status, commands, started_at, heartbeat_at)
           VALUES ($1, 'running', '[]', now(), now() - $2::interval) RETURNING id`,
          [session.id, heartbeat],
        )
      )[0].id as number;
    const orphan = await insert('1 hour');
    const alive = await insert('1 second'); // another replica's, which marked it a second ago
    expect(await t.app.get(RunsService).failOrphans()).toBe(1);
    const run = async (id: number) => (await session.get(`/api/v1/session/runs/${id}`)).body;
    expect(await run(orphan)).toMatchObject({
      status: 'failed',
      message: SERVER_STOPPED_RUNNING,
    });
    expect((await run(orphan)).finished).not.toBeNull();
    expect(await run(alive)).toMatchObject({ status: 'running', finished: null });
  });

  describe("a session's runs go on from one another, as a SHOP session's start sims do", () => {
    const { commands: _commands, ...MODEL } = BASIC;
    const iterationLines = async (session: Awaited<ReturnType<typeof newSession>>) =>
      (await session.log()).map((m) => m.message).filter((message) => /^Iteration \d+ /.test(message));

    it('start sim 3, then set code /incremental + start sim 3: the objective of one PUT with all three', async () => {
      const one = await newSession();
      const all = ['start sim 3', 'set code /incremental', 'start sim 3'];
      expect((await one.put({ ...MODEL, commands: all })).status).toBe(200);
      const apart = await newSession();
      expect((await apart.put({ ...MODEL, commands: ['start sim 3'] })).status).toBe(200);
      expect((await apart.put({ commands: ['set code /incremental', 'start sim 3'] })).status).toBe(200);
      const objective = (await apart.objective()).grand_total as number;
      expect(objective).toBeCloseTo((await one.objective()).grand_total, 6);
      const lines = await iterationLines(apart);
      expect(lines.map((line) => line.split(':')[0])).toEqual([
        'Iteration 1 (full)',
        'Iteration 2 (full)',
        'Iteration 3 (full)',
        'Iteration 4 (incremental)',
        'Iteration 5 (incremental)',
        'Iteration 6 (incremental)',
      ]);
      // Each run counts its own iterations.
      expect((await apart.runs()).map((run) => run.iterations)).toEqual([3, 3]);
      await Promise.all([one.delete(), apart.delete()]); // the test server holds 8 sessions
    });

    it('commands that only change settings leave what the last run left (pyshop sends set code alone)', async () => {
      const one = await newSession();
      expect(
        (await one.put({ ...MODEL, commands: ['start sim 3', 'set code /incremental', 'start sim 3'] })).status,
      ).toBe(200);
      const apart = await newSession();
      for (const commands of [['start sim 3'], ['set code /incremental'], ['start sim 3']]) {
        expect((await apart.put({ ...(commands[0] === 'start sim 3' ? MODEL : {}), commands })).status).toBe(200);
      }
      expect((await apart.objective()).grand_total).toBeCloseTo((await one.objective()).grand_total, 6);
      await Promise.all([one.delete(), apart.delete()]);
    });

    it('after other time steps, or a run without a solution, the iterations start afresh', async () => {
      const session = await newSession();
      expect((await session.put({ ...MODEL, commands: ['start sim 2'] })).status).toBe(200);
      const shorter = { time: { ...MODEL.time, end_time: '2018-01-25T00:00:00Z' }, commands: ['start sim 1'] };
      expect((await session.put(shorter)).status).toBe(200);
      const messages = (await session.log()).map((m) => m.message);
      expect(messages).toContainEqual(
        expect.stringMatching(/^The iterations start afresh: the model's objects, time steps or scenarios changed/),
      );
      expect((await iterationLines(session)).map((line) => line.split(':')[0])).toEqual([
        'Iteration 1 (full)',
        'Iteration 2 (full)',
        'Iteration 1 (full)',
      ]);
      const infeasible = {
        model: { reservoir: { Reservoir1: { min_vol_constr: 44 } } },
        commands: ['penalty flag /off /reservoir', 'start sim 1'],
      };
      expect((await session.put(infeasible)).status).toBe(422);
      expect((await session.put({ commands: ['penalty flag /on /reservoir', 'start sim 1'] })).status).toBe(200);
      expect((await iterationLines(session)).at(-1)).toMatch(/^Iteration 1 \(full\)/);
      await session.delete();
    });
  });
});
