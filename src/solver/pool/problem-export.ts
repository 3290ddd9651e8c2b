/**
 * TARN_SOLVER_EXPORT_DIR: a solve worker writes every problem it solves, so that anyone can
 * solve Tarn's own problems again outside Tarn (HiGHS, CBC) and compare. Per run (one
 * `optimize` request) and solve, in order: `<dir>/<run>-<nn>.mps` (mps-format.ts: the objective
 * constant, the column order as solved) and one JSON line in `<dir>/<run>.jsonl` with Tarn's
 * own figures for that solve (`ExportLine`). The worker writes after the solve has returned, so
 * the provider's seconds do not include it. Writing never fails the run: the first I/O error
 * is logged as a WARNING and the rest of that run is not exported.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionValue } from 'highs';
import { highsOptions } from '../providers/highs-model.js';
import { toMpsWithNames } from '../providers/mps-format.js';
import { type LinearProgram, type SolveOptions, type SolveResult, isMip } from '../providers/optimization-provider.js';

/** One line of `<run>.jsonl`. Numbers that are not finite (no objective) are null. */
export interface ExportLine {
  /** The MPS file, relative to the folder. */
  file: string;
  run: string;
  /** 1, 2, ... in the order of the run's solves. */
  solve: number;
  provider: string;
  sense: 'min' | 'max';
  offset: number;
  columns: number;
  rows: number;
  integers: number;
  nonzeros: number;
  /** Columns and rows whose LP name was not usable in MPS (they are x<j> / r<i> in the file). */
  renamedColumns: number;
  renamedRows: number;
  status: string;
  hasSolution: boolean;
  objective: number | null;
  mipGap: number | null;
  /** The provider's seconds for the solve (SolveResult.seconds). */
  seconds: number;
  /** Tarn's options for the solve (without the interrupt flag). */
  options: Omit<SolveOptions, 'interruptFlag'>;
  /** The same as HiGHS options, as the HiGHS provider sets them: for solving the file the same way. */
  highsOptions: Record<string, OptionValue>;
  /** Seconds the worker spent writing this MPS file (part of the run's time, not of the provider's). */
  exportSeconds: number;
  /** When the solve ended (ISO 8601). */
  at: string;
}

/** `<yyyymmdd>-<hhmmss>-p<pid>-t<thread>-j<job>`: sorts by time, unique across processes and threads. */
export function runTag(jobId: number, threadId: number, now = new Date(), pid = process.pid): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.\d+Z$/, '');
  return `${stamp}-p${pid}-t${threadId}-j${jobId}`;
}

/** The line's figures, a pure function of the solve. */
export function exportLine(
  lp: LinearProgram,
  options: SolveOptions,
  result: SolveResult,
  at: { run: string; solve: number; file: string; provider: string; renamedColumns: number; renamedRows: number },
): Omit<ExportLine, 'exportSeconds' | 'at'> {
  const finite = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : null);
  const { interruptFlag: _flag, ...plain } = options;
  let integers = 0;
  if (lp.integrality) for (let j = 0; j < lp.integrality.length; j++) if (lp.integrality[j] !== 0) integers++;
  return {
    file: at.file,
    run: at.run,
    solve: at.solve,
    provider: at.provider,
    sense: lp.sense,
    offset: lp.offset ?? 0,
    columns: lp.colCost.length,
    rows: lp.rowLower.length,
    integers,
    nonzeros: lp.aIndex.length,
    renamedColumns: at.renamedColumns,
    renamedRows: at.renamedRows,
    status: result.status,
    hasSolution: result.hasSolution,
    objective: finite(result.objective),
    mipGap: finite(result.mipGap),
    seconds: result.seconds,
    options: plain,
    highsOptions: highsOptions(plain, isMip(lp)),
  };
}

/** The export of one run; `write` after each solve. */
export class ProblemExport {
  private solves = 0;
  private failed = false;

  constructor(
    private readonly dir: string,
    readonly run: string,
    private readonly provider: string,
    private readonly warn: (message: string) => void,
  ) {}

  write(lp: LinearProgram, options: SolveOptions, result: SolveResult): void {
    if (this.failed) return;
    const started = performance.now();
    const solve = ++this.solves;
    const file = `${this.run}-${String(solve).padStart(2, '0')}.mps`;
    try {
      const { bytes, names } = toMpsWithNames(lp, {
        name: `${this.run}-${solve}`,
        comment: `Tarn ${this.provider} solve ${solve} of run ${this.run}: ${result.status}, objective ${result.objective}`,
      });
      if (solve === 1) mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, file), bytes);
      const line: ExportLine = {
        ...exportLine(lp, options, result, {
          run: this.run,
          solve,
          file,
          provider: this.provider,
          renamedColumns: names.generatedColumns,
          renamedRows: names.generatedRows,
        }),
        exportSeconds: (performance.now() - started) / 1000,
        at: new Date().toISOString(),
      };
      appendFileSync(join(this.dir, `${this.run}.jsonl`), `${JSON.stringify(line)}\n`);
    } catch (error) {
      this.failed = true;
      this.warn(
        `Problem export to ${this.dir} failed at solve ${solve} (${(error as Error).message}); ` +
          'the rest of this run is not exported',
      );
    }
  }
}
