import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadHighs } from '../src/solver/providers/highs-model.js';
import type { ExportLine } from '../src/solver/pool/problem-export.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

const BASIC: Json = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));

describe('TARN_SOLVER_EXPORT_DIR: the basic model with its commands', () => {
  let t: TestApp;
  let dir: string;
  let status: number;
  let iterations: number;
  let files: string[];
  let lines: ExportLine[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tarn-export-'));
    t = await startTestApp({ env: { TARN_SOLVER_EXPORT_DIR: join(dir, 'problems') } });
    const token = await t.token();
    const session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body
      .session_id as number;
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .send(BASIC as object);
    status = put.status;
    const log = (
      await t.http().get('/api/v1/session/log').set('Authorization', token).set('session_id', String(session))
    ).body as Array<{ message: string }>;
    iterations = log.filter((m) => /^Iteration \d+ /.test(m.message)).length;
    files = (await readdir(join(dir, 'problems'))).sort();
    const jsonl = files.filter((f) => f.endsWith('.jsonl'));
    expect(jsonl).toHaveLength(1);
    lines = (await readFile(join(dir, 'problems', jsonl[0]), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportLine);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one MPS file and one JSON line per solve, in order', () => {
    expect(status).toBe(200);
    expect(iterations).toBe(8);
    expect(lines).toHaveLength(iterations);
    const run = lines[0].run;
    expect(lines.map((l) => l.solve)).toEqual(lines.map((_, k) => k + 1));
    expect(lines.map((l) => l.file)).toEqual(lines.map((_, k) => `${run}-${String(k + 1).padStart(2, '0')}.mps`));
    expect(files).toEqual([...lines.map((l) => l.file), `${run}.jsonl`].sort());
    for (const line of lines) {
      expect(line).toMatchObject({ provider: 'highs', status: 'optimal', hasSolution: true, run });
      expect(line.columns).toBeGreaterThan(100);
      expect(line.seconds).toBeGreaterThan(0);
    }
  });

  it('gives files that HiGHS reads and solves, with the options of the line, to the objective of the line', async () => {
    const highs = await loadHighs();
    for (const line of lines) {
      const model = highs.createModel();
      try {
        model.readModel({ format: 'mps', data: await readFile(join(dir, 'problems', line.file)) });
        expect(model.getDimensions()).toMatchObject({ numCols: line.columns, numRows: line.rows });
        expect(model.getObjectiveOffset()).toBe(line.offset);
        model.options.set(line.highsOptions);
        const { modelStatus } = model.run();
        expect(modelStatus).toBe(highs.constants.modelStatus.optimal);
        const tolerance = Math.max(1e-7, line.integers > 0 ? (line.options.mipRelGap ?? 1e-4) : 1e-9);
        expect(Math.abs(model.getObjectiveValue() - line.objective!)).toBeLessThanOrEqual(
          tolerance * Math.max(1, Math.abs(line.objective!)),
        );
      } finally {
        model.dispose();
      }
    }
  });
});
