import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import highsModule from 'highs';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));
/**
 * The basic model without its commands: the infeasible run below is then the session's first
 * iteration (after a run of the session it would go on from that run's last, as SHOP does).
 */
const { commands: _commands, ...MODEL } = BASIC;
const START = '2018-01-23T00:00:00Z';
const constant = (value: number) => ({ timestamps: [START], values: [[value]] });

/**
 * The basic model's generators make at most 585 MW together (2 x 120 + 180 + 3 x 55); a load
 * of 1000 MW that cannot be bought is more than they can ever produce, in every step.
 */
const INFEASIBLE = {
  model: { market: { Day_ahead: { load: constant(1000), max_buy: constant(0) } } },
  commands: ['penalty flag /off /load', 'start sim 1'],
};
const FEASIBLE_AGAIN = {
  model: { market: { Day_ahead: { load: constant(0), max_buy: constant(9999) } } },
  commands: ['start sim 1'],
};

/** Hourly steps from the start: step t starts t hours later. */
const stepStart = (step: number) => new Date(Date.parse(START) + step * 3_600_000).toISOString().replace('.000Z', 'Z');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const loadHighs: typeof highsModule.default = typeof highsModule === 'function' ? highsModule : highsModule.default;

async function session(t: TestApp, token: string, name: string): Promise<number> {
  const response = await t.http().post('/api/v1/session').set('Authorization', token).send({ session_name: name });
  return response.body.session_id as number;
}

function client(t: TestApp, token: string, id: number) {
  return {
    put: (body: unknown) =>
      t
        .http()
        .put('/api/v1/model')
        .set('Authorization', token)
        .set('session_id', String(id))
        .send(body as object),
    log: async () =>
      (await t.http().get('/api/v1/session/log').set('Authorization', token).set('session_id', String(id)))
        .body as Array<{ level: string; message: string }>,
  };
}

describe('an infeasible model, without --minimal-infeasible-problem-file', () => {
  let t: TestApp;
  let token: string;
  let id: number;
  let api: ReturnType<typeof client>;
  let answer: { status: number; body: Json };

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token();
    id = await session(t, token, 'infeasible');
    api = client(t, token, id);
    expect((await api.put(MODEL)).status).toBe(200);
    const response = await api.put(INFEASIBLE);
    answer = { status: response.status, body: response.body };
  });
  afterAll(() => t.close());

  it('answers 422 naming the conflicting market balance rows by object, attribute and time', () => {
    expect(answer.status).toBe(422);
    const { message, details } = answer.body;
    expect(message).toMatch(/found no solution: infeasible; conflicting constraints: .*load balance/);
    expect(details.length).toBeGreaterThan(0);
    for (const detail of details) {
      expect(detail.path).toBe('commands');
      expect(typeof detail.message).toBe('string');
      expect(['constraint', 'bound']).toContain(detail.kind);
    }
    const balances = details.filter((d: Json) => d.objectType === 'market' && d.attribute === 'balance');
    expect(balances.length).toBeGreaterThanOrEqual(1);
    for (const balance of balances) {
      expect(balance.kind).toBe('constraint');
      expect(balance.objectName).toBeUndefined(); // one balance row for all markets
      expect(balance.step).toBeGreaterThanOrEqual(0);
      expect(balance.step).toBeLessThan(72);
      expect(balance.time).toBe(stepStart(balance.step));
      expect(balance.value).toBe(1000);
      expect(balance.message).toBe(`market: load balance (production + buy - sale = load) at ${balance.time} (= 1000)`);
    }
  });

  it('names few constraints: an irreducible set, not the thousands of rows of the problem', () => {
    const { details } = answer.body;
    expect(details.length).toBeLessThan(60);
    // Irreducible: one step is enough to be infeasible, so every constraint is of the same step.
    expect(new Set(details.map((d: Json) => d.step)).size).toBe(1);
    // The buy limit max_buy = 0 is part of the conflict.
    const buy = details.find((d: Json) => d.objectType === 'market' && d.attribute === 'buy');
    expect(buy).toMatchObject({
      kind: 'bound',
      objectName: 'Day_ahead',
      bound: 'upper',
      value: 0,
      message: `market Day_ahead: buy at ${buy.time}, upper bound 0 (max_buy)`,
    });
  });

  it('logs the conflicting constraints as ERROR lines of the session log, and writes no file', async () => {
    const log = await api.log();
    const errors = log.filter((m) => m.level === 'ERROR').map((m) => m.message);
    expect(errors).toContainEqual(expect.stringMatching(/^Iteration 1 \(full\): infeasible/));
    expect(errors).toContainEqual(expect.stringMatching(/^Conflicting constraints \(a minimal infeasible set/));
    for (const detail of answer.body.details) expect(errors).toContain(`  ${detail.message}`);
    expect(log.filter((m) => /minimal infeasible problem/i.test(m.message))).toEqual([]);
  });

  it('keeps the session usable: a feasible upload afterwards optimizes', async () => {
    const response = await api.put(FEASIBLE_AGAIN);
    expect(response.status).toBe(200);
    const results = await t
      .http()
      .get('/api/v1/model?isInput=false&isOutput=true&objectType=objective')
      .set('Authorization', token)
      .set('session_id', String(id));
    expect(results.body.model.objective.average_objective.solver_status).toBe('optimal');
  });

  it('names exactly the two constraints of a minimum volume above the top of vol_head (41.66 Mm3; flow_descr lets the storage rise above max_vol)', async () => {
    const response = await api.put({
      model: { reservoir: { Reservoir1: { min_vol_constr: constant(44), min_vol_constr_flag: constant(1) } } },
      commands: ['penalty flag /off /reservoir', 'start sim 1'],
    });
    expect(response.status).toBe(422);
    expect(response.body.details.map((d: Json) => d.message)).toEqual([
      `reservoir Reservoir1: minimum volume (min_vol_constr) at the end of the step from ${START} (>= 44)`,
      `reservoir Reservoir1: storage at the end of the step from ${START}, upper bound 41.66 (max_vol, or the top of vol_head with flow_descr)`,
    ]);
    expect(response.body.details[1]).toEqual({
      path: 'commands',
      message: `reservoir Reservoir1: storage at the end of the step from ${START}, upper bound 41.66 (max_vol, or the top of vol_head with flow_descr)`,
      kind: 'bound',
      objectType: 'reservoir',
      objectName: 'Reservoir1',
      attribute: 'storage',
      time: START,
      step: 0,
      bound: 'upper',
      value: 41.66,
      name: 'reservoir.Reservoir1.storage[0]',
    });
  });
});

describe('an infeasible model, with --minimal-infeasible-problem-file', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tarn-iis-'));
    file = join(dir, 'minimal.lp');
    t = await startTestApp({ env: { TARN_MINIMAL_INFEASIBLE_PROBLEM_FILE: file } });
    const token = await t.token();
    api = client(t, token, await session(t, token, 'infeasible-file'));
    expect((await api.put(MODEL)).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the minimal infeasible problem in LP format, atomically, and it is infeasible by itself', async () => {
    const response = await api.put(INFEASIBLE);
    expect(response.status).toBe(422);
    expect(await readdir(dir)).toEqual(['minimal.lp']); // no temporary file left behind
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^\\ Tarn: minimal infeasible subsystem \(HiGHS IIS\) of iteration 1 \(full\)\n/);
    expect(text).toMatch(/\nMinimize\n obj:\nSubject To\n/);
    expect(text).toMatch(/\n market\.balance\(\d+\): [^]* >= 1000\n/); // the side in conflict
    expect(text).toMatch(/\nEnd\n$/);
    const rows = text
      .split('Subject To\n')[1]
      .split(/\n(?:Bounds|End)\n/)[0]
      .split('\n');
    expect(rows.filter((line) => /^ \S+:/.test(line)).length).toBe(
      response.body.details.filter((d: Json) => d.kind === 'constraint').length,
    );
    const highs = await loadHighs();
    expect(highs.solve(text, { output_flag: false }).Status).toBe('Infeasible');
    const log = await api.log();
    expect(log).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: `Minimal infeasible problem (LP format) written to ${file}` }),
    );
  });
});

describe('an infeasible model, when the minimal infeasible problem cannot be written', () => {
  let t: TestApp;
  const file = join(tmpdir(), `tarn-no-such-dir-${process.pid}`, 'minimal.lp');

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_MINIMAL_INFEASIBLE_PROBLEM_FILE: file } });
  });
  afterAll(() => t.close());

  it('still answers 422 with the conflict, and logs a WARNING', async () => {
    const token = await t.token();
    const api = client(t, token, await session(t, token, 'unwritable'));
    expect((await api.put(MODEL)).status).toBe(200);
    const response = await api.put(INFEASIBLE);
    expect(response.status).toBe(422);
    expect(response.body.details.some((d: Json) => d.attribute === 'balance')).toBe(true);
    const warnings = (await api.log()).filter((m) => m.level === 'WARNING').map((m) => m.message);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`^The minimal infeasible problem could not be written to ${escape(file)}: ENOENT`),
      ),
    );
  });
});
