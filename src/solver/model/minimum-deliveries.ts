/**
 * Minimum deliveries (`<key>_min`, modelling-2.md §4) solved lazily. Each minimum has a binary
 * v with `min·v ≤ r ≤ M·v`; hundreds of them (1 152 with smooth_reserve.yaml on the reference
 * reserve model) leave a MIP at gap 0 branching on deliveries that another unit could carry at
 * the same cost (232 s for its first iteration). So each iteration's MIP is solved first with
 * every v continuous (then `r ≤ M` only: a relaxation of the MIP). Where its solution breaks
 * minimums (0 < r < min), those v become integer, and the MIP is solved once with the other
 * integer columns (commitment, ...) fixed at the relaxation's values and every other v fixed
 * by its delivery: a solution of the MIP, its optimum when it costs no more than the
 * relaxation. Else the relaxation is solved again with the new binaries, and so on until a
 * solution breaks none: then it is the MIP's optimum (within the same gap). The model is
 * unchanged, only the order of the work is.
 */
import type { MinimumDelivery } from '../problem/iteration-input.js';
import type { LinearProgram, SolveOptions, SolveResult } from '../providers/optimization-provider.js';
import type { Log, Solve } from './optimizer.types.js';

/** MW: a delivery below this counts as none, as the results report it. */
const NONE = 1e-6;
/** Relative: objectives this close count as equal. */
const SAME = 1e-9;

/** The minimums that `colValue` breaks: a delivery above 0 and below its minimum. */
export function brokenMinimums(minimums: readonly MinimumDelivery[], colValue: ArrayLike<number>): MinimumDelivery[] {
  return minimums.filter(({ delivery, min }) => {
    const r = colValue[delivery];
    return r > NONE && r < min - NONE;
  });
}

/**
 * `solve` for a problem with minimum deliveries, as the module says. Ends as soon as a
 * relaxation has no solution or is not optimal (a limit or a stop), then with the best repair
 * so far where that relaxation's point breaks a minimum. The time limit holds for all the
 * solves together.
 */
export async function solveWithMinimums(
  lp: LinearProgram,
  minimums: readonly MinimumDelivery[],
  solve: Solve,
  options: SolveOptions,
  log: Log,
): Promise<SolveResult> {
  if (!minimums.length || !lp.integrality) return solve(lp, options);
  const isMinimum = new Uint8Array(lp.colCost.length);
  for (const { on } of minimums) isMinimum[on] = 1;
  const others = Array.from(lp.integrality.keys()).filter((j) => lp.integrality![j] && !isMinimum[j]);
  const integrality = Int32Array.from(lp.integrality);
  for (const { on } of minimums) integrality[on] = 0;
  const started = performance.now();
  let solves = 0;
  const solveNow = async (program: LinearProgram, more: SolveOptions = {}) => {
    const elapsed = (performance.now() - started) / 1000;
    const timeLimitSeconds =
      options.timeLimitSeconds === undefined ? undefined : Math.max(0, options.timeLimitSeconds - elapsed);
    solves++;
    return solve(program, { ...options, ...more, timeLimitSeconds });
  };
  const done = (result: SolveResult) => {
    const binaries = minimums.filter(({ on }) => integrality[on] === 1).length;
    log('INFO', `Minimum deliveries: ${solves} solves, ${binaries} of ${minimums.length} binaries needed`);
    return result;
  };
  // The best solution so far that keeps every minimum (a repair that cost more than the relaxation).
  let kept: SolveResult | undefined;
  for (;;) {
    const relaxed = await solveNow({ ...lp, integrality: integrality.slice() });
    const broken = relaxed.hasSolution ? brokenMinimums(minimums, relaxed.colValue) : [];
    if (relaxed.status !== 'optimal' || !relaxed.hasSolution) {
      // A limit or a stop: rather the kept solution than one that breaks minimums.
      if (!broken.length || !kept) return relaxed;
      log('WARNING', `Minimum deliveries: ${relaxed.status} before the optimum; the best solution keeping them`);
      return { ...kept, status: relaxed.status };
    }
    if (!broken.length) return done(relaxed);
    for (const { on } of broken) integrality[on] = 1;
    const colLower = Float64Array.from(lp.colLower);
    const colUpper = Float64Array.from(lp.colUpper);
    for (const j of others) colLower[j] = colUpper[j] = Math.round(relaxed.colValue[j]);
    const brokenNow = new Set(broken);
    for (const m of minimums) {
      if (!brokenNow.has(m)) colLower[m.on] = colUpper[m.on] = relaxed.colValue[m.delivery] > NONE ? 1 : 0;
    }
    const fixed = await solveNow({ ...lp, colLower, colUpper, integrality: integrality.slice() }, { iis: false });
    const optimum = relaxed.objective + SAME * Math.abs(relaxed.objective);
    if (fixed.hasSolution && fixed.status === 'optimal' && fixed.objective <= optimum) return done(fixed);
    if (fixed.hasSolution && (!kept || fixed.objective < kept.objective)) kept = fixed;
  }
}
