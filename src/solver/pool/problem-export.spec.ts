import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { HighsProvider } from '../providers/highs.provider.js';
import type { LinearProgram } from '../providers/optimization-provider.js';
import { type ExportLine, ProblemExport, runTag } from './problem-export.js';

const root = mkdtempSync(join(tmpdir(), 'tarn-export-spec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** min x + 2y + 5 with x + y >= 1, y integer in [0, 3]: x = 1, y = 0, objective 6. */
const MIP: LinearProgram = {
  sense: 'min',
  offset: 5,
  colCost: [1, 2],
  colLower: [0, 0],
  colUpper: [Infinity, 3],
  colNames: ['x', 'y y'],
  integrality: [0, 1],
  rowLower: [1],
  rowUpper: [Infinity],
  aStart: [0, 1, 2],
  aIndex: [0, 0],
  aValue: [1, 1],
};

const readLines = (file: string): ExportLine[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ExportLine);

describe('runTag', () => {
  it('is the UTC time, the process, the thread and the job', () => {
    expect(runTag(7, 3, new Date('2026-12-06T19:05:09.123Z'), 4242)).toBe('20261206-190509-p4242-t3-j7');
  });
});

describe('ProblemExport', () => {
  it('writes one MPS file per solve, numbered in order, and one JSON line each with the solve figures', async () => {
    const dir = join(root, 'nested', 'export');
    const warnings: string[] = [];
    const problems = new ProblemExport(dir, 'run-a', 'highs', (message) => warnings.push(message));
    const provider = new HighsProvider();
    const options = { mipRelGap: 0.001, timeLimitSeconds: 60, interruptFlag: new Int32Array(1) };
    const first = await provider.solve(MIP, options);
    problems.write(MIP, options, first);
    const more: LinearProgram = { ...MIP, rowLower: [10] };
    const second = await provider.solve(more, options);
    problems.write(more, options, second);

    expect(warnings).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['run-a-01.mps', 'run-a-02.mps', 'run-a.jsonl']);
    expect(readFileSync(join(dir, 'run-a-01.mps'), 'utf8')).toContain(' RHS obj -5');
    const [one, two] = readLines(join(dir, 'run-a.jsonl'));
    expect(one).toMatchObject({
      file: 'run-a-01.mps',
      run: 'run-a',
      solve: 1,
      provider: 'highs',
      sense: 'min',
      offset: 5,
      columns: 2,
      rows: 1,
      integers: 1,
      nonzeros: 2,
      renamedColumns: 1,
      renamedRows: 1,
      status: 'optimal',
      hasSolution: true,
      objective: 6,
      seconds: first.seconds,
      options: { mipRelGap: 0.001, timeLimitSeconds: 60 },
      highsOptions: { output_flag: false, mip_rel_gap: 0.001, time_limit: 60 },
    });
    expect(one.options).not.toHaveProperty('interruptFlag');
    expect(one.exportSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(one.at)).not.toBeNaN();
    expect(two).toMatchObject({ file: 'run-a-02.mps', solve: 2, status: 'optimal', objective: 15 });
  });

  it('records a solve without a solution with objective and MIP gap null', async () => {
    const dir = join(root, 'none');
    const problems = new ProblemExport(dir, 'run-b', 'highs', () => undefined);
    const infeasible: LinearProgram = { ...MIP, colUpper: [0, 0] };
    const result = await new HighsProvider().solve(infeasible, { iis: false });
    expect(result.status).toBe('infeasible');
    problems.write(infeasible, { iis: false }, result);
    const [line] = readLines(join(dir, 'run-b.jsonl'));
    expect(line).toMatchObject({ status: 'infeasible', hasSolution: false, objective: null, mipGap: null });
  });

  it('does not throw on an I/O error: it warns once and exports nothing more of that run', async () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const warnings: string[] = [];
    const problems = new ProblemExport(join(blocker, 'export'), 'run-c', 'highs', (message) => warnings.push(message));
    const result = await new HighsProvider().solve(MIP);
    expect(() => problems.write(MIP, {}, result)).not.toThrow();
    expect(() => problems.write(MIP, {}, result)).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Problem export to .*a-file\/export failed at solve 1 \(.*\); the rest of this run/);
  });
});
