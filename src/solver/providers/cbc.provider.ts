import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  type LinearProgram,
  OptimizationProvider,
  type SolveOptions,
  type SolveResult,
  type SolveStatus,
  checkBeforeSolve,
  emptyResult,
  isMip,
} from './optimization-provider.js';

/** The `cbc` executable on PATH, or undefined when it is not installed. */
export async function findCbc(path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'cbc');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * CBC (COIN-OR branch and cut) through its command line. Each solve writes the problem as
 * free-format MPS into a fresh temporary folder (MPS is column-major, so it is written
 * straight from the CSC arrays in one pass), runs `cbc` with the options, parses the
 * solution file (`printingOptions all`: every row and column with value and dual) and
 * removes the folder. A maximization is written negated (CBC minimizes) and the objective,
 * duals and reduced costs are turned back; the offset is added here. Aborting the signal
 * kills the process and answers 'interrupted'.
 */
export class CbcProvider extends OptimizationProvider {
  readonly name = 'cbc';

  constructor(private readonly command: string) {
    super();
  }

  async solve(lp: LinearProgram, options: SolveOptions = {}, signal?: AbortSignal): Promise<SolveResult> {
    const started = performance.now();
    const checked = checkBeforeSolve(lp, started, signal);
    if ('result' in checked) return checked.result;
    const { numCols, numRows } = checked;
    const mip = isMip(lp);
    const dir = await mkdtemp(join(tmpdir(), 'tarn-cbc-'));
    try {
      const problemFile = join(dir, 'problem.mps');
      const solutionFile = join(dir, 'solution.txt');
      await writeFile(problemFile, toFreeMps(lp, numCols, numRows));
      const args = [problemFile, ...cbcArguments(options, mip), '-solution', solutionFile];
      const run = await runCbc(this.command, args, dir, signal);
      if (run.aborted) return emptyResult('interrupted', started, 'cancelled: cbc was stopped');
      let text: string;
      try {
        text = await readFile(solutionFile, 'utf8');
      } catch {
        return emptyResult('error', started, `cbc wrote no solution (exit ${run.code}): ${lastLines(run.output)}`);
      }
      const result = parseSolution(text, lp, numCols, numRows, mip);
      result.seconds = (performance.now() - started) / 1000;
      return result;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function cbcArguments(options: SolveOptions, mip: boolean): string[] {
  const args = ['-printingOptions', 'all'];
  if (options.timeLimitSeconds !== undefined) {
    args.push('-timeMode', 'elapsed', '-sec', String(options.timeLimitSeconds));
  }
  if (options.mipRelGap !== undefined) args.push('-ratio', String(options.mipRelGap));
  if (options.mipAbsGap !== undefined) args.push('-allow', String(options.mipAbsGap));
  if (options.threads !== undefined) args.push('-threads', String(options.threads));
  // The LP algorithm commands solve the LP (ignoring integrality), so a MIP always uses -solve.
  const lpCommand: Record<string, string> = {
    primal: '-primalSimplex',
    dual: '-dualSimplex',
    simplex: '-dualSimplex',
    ipm: '-barrier',
  };
  args.push((!mip && options.method && lpCommand[options.method]) || '-solve');
  return args;
}

const colName = (j: number) => `C${j}`;
const rowName = (i: number) => `R${i}`;

/** Free-format MPS from the CSC arrays. Names are C<j>/R<i> (the LP's own names may not be valid MPS names). */
export function toFreeMps(lp: LinearProgram, numCols: number, numRows: number): string {
  const sign = lp.sense === 'max' ? -1 : 1;
  const out: string[] = ['NAME TARN FREE', 'ROWS', ' N OBJ'];
  const ranges: string[] = [];
  const rhs: string[] = [];
  for (let i = 0; i < numRows; i++) {
    const lo = lp.rowLower[i];
    const up = lp.rowUpper[i];
    const name = rowName(i);
    if (lo === up) {
      out.push(` E ${name}`);
      rhs.push(` RHS ${name} ${lo}`);
    } else if (lo === -Infinity && up === Infinity) {
      out.push(` L ${name}`);
      rhs.push(` RHS ${name} 1e+30`); // a free row, kept so that row indices stay aligned
    } else if (lo === -Infinity) {
      out.push(` L ${name}`);
      rhs.push(` RHS ${name} ${up}`);
    } else {
      out.push(` G ${name}`);
      rhs.push(` RHS ${name} ${lo}`);
      if (up !== Infinity) ranges.push(` RNG ${name} ${up - lo}`);
    }
  }
  out.push('COLUMNS');
  let inIntegers = false;
  for (let j = 0; j < numCols; j++) {
    const integer = lp.integrality !== undefined && lp.integrality[j] !== 0;
    if (integer !== inIntegers) {
      out.push(integer ? " MARKER 'MARKER' 'INTORG'" : " MARKER 'MARKER' 'INTEND'");
      inIntegers = integer;
    }
    const name = colName(j);
    out.push(` ${name} OBJ ${sign * lp.colCost[j]}`); // always, so that an empty column exists
    for (let k = lp.aStart[j]; k < lp.aStart[j + 1]; k++) out.push(` ${name} ${rowName(lp.aIndex[k])} ${lp.aValue[k]}`);
  }
  if (inIntegers) out.push(" MARKER 'MARKER' 'INTEND'");
  out.push('RHS', ...rhs);
  if (ranges.length > 0) out.push('RANGES', ...ranges);
  out.push('BOUNDS');
  for (let j = 0; j < numCols; j++) {
    const lo = lp.colLower[j];
    const up = lp.colUpper[j];
    const name = colName(j);
    if (lo === up) {
      out.push(` FX BND ${name} ${lo}`);
    } else if (lo === -Infinity && up === Infinity) {
      out.push(` FR BND ${name}`);
    } else {
      // Both bounds are written explicitly: some readers give integer columns an upper bound of 1.
      out.push(lo === -Infinity ? ` MI BND ${name}` : ` LO BND ${name} ${lo}`);
      out.push(up === Infinity ? ` PL BND ${name}` : ` UP BND ${name} ${up}`);
    }
  }
  out.push('ENDATA', '');
  return out.join('\n');
}

interface CbcRun {
  code: number | null;
  output: string;
  aborted: boolean;
}

function runCbc(command: string, args: string[], cwd: string, signal?: AbortSignal): Promise<CbcRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      // The command could not be started (ENOENT, EACCES): no 'close' follows.
      signal?.removeEventListener('abort', onAbort);
      resolve({ code: null, output: `${command}: ${error.message}`, aborted });
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, output, aborted });
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}

/** CBC's first solution-file line, e.g. "Optimal - objective value 11.00000000" or "Stopped on time - ...". */
function cbcStatus(line: string): { status: SolveStatus; hasSolution: boolean } {
  if (/^Optimal/i.test(line)) return { status: 'optimal', hasSolution: true };
  if (/^(Integer )?infeasible/i.test(line)) return { status: 'infeasible', hasSolution: false };
  if (/^Unbounded/i.test(line)) return { status: 'unbounded', hasSolution: false };
  const noSolution = /no integer solution|continuous used/i.test(line);
  if (/^Stopped on time/i.test(line)) return { status: 'time_limit', hasSolution: !noSolution };
  if (/^Stopped on ctrl-c/i.test(line)) return { status: 'interrupted', hasSolution: !noSolution };
  return { status: 'error', hasSolution: false };
}

/** CBC cannot name the conflicting constraints of an infeasible problem (no IIS); HiGHS can. */
export const NO_CONFLICTS =
  'CBC does not report which constraints conflict; the HiGHS provider (TARN_SOLVER=highs) names them';

function parseSolution(text: string, lp: LinearProgram, numCols: number, numRows: number, mip: boolean): SolveResult {
  const lines = text.split('\n');
  const head = lines[0]?.trim() ?? '';
  const { status, hasSolution } = cbcStatus(head);
  const sign = lp.sense === 'max' ? -1 : 1;
  const colValue = new Float64Array(numCols);
  const rowValue = new Float64Array(numRows);
  const colDual = new Float64Array(numCols);
  const rowDual = new Float64Array(numRows);
  // "[**] <index> <name> <value> <dual>"; "**" marks an infeasibility.
  const entry = /^\s*(?:\*\*\s*)?\d+\s+([CR])(\d+)\s+(\S+)\s+(\S+)/;
  for (const line of lines.slice(1)) {
    const match = entry.exec(line);
    if (!match) continue;
    const index = Number(match[2]);
    const value = Number(match[3]);
    const dual = sign * Number(match[4]);
    if (match[1] === 'C' && index < numCols) {
      colValue[index] = value;
      colDual[index] = dual;
    } else if (match[1] === 'R' && index < numRows) {
      rowValue[index] = value;
      rowDual[index] = dual;
    }
  }
  if (!hasSolution) {
    const message = status === 'infeasible' ? `${head}; ${NO_CONFLICTS}` : head;
    return { ...emptyResult(status, performance.now(), message), hasSolution: false };
  }
  let objective = lp.offset ?? 0;
  for (let j = 0; j < numCols; j++) objective += lp.colCost[j] * colValue[j];
  const result: SolveResult = { status, hasSolution, objective, colValue, rowValue, seconds: 0 };
  if (!mip && status === 'optimal') {
    result.colDual = colDual;
    result.rowDual = rowDual;
  }
  if (status === 'error') result.message = head;
  return result;
}
