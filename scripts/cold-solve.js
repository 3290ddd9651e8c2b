// For npm run bench: Tarn's own problems, as TARN_SOLVER_EXPORT_DIR wrote them (src/solver/pool/problem-export.ts),
// solved again from scratch with HiGHS (the `highs` package, WebAssembly, the same build Tarn runs) in this
// process: the "cold sum" that Tarn's warm-started provider time is compared with.
// Each file is read into a new model (not timed), gets the HiGHS options of its JSON line and is run; only
// `run()` is timed. HiGHS is loaded once and warmed up (a few solves of the first files, not counted),
// so that WebAssembly tier-up is not in the figures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import highsModule from 'highs';

const WARM_UP_SOLVES = 3;

let highsPromise;
const loadHighs = () => (highsPromise ??= (typeof highsModule === 'function' ? highsModule : highsModule.default)());

/** The JSON lines of a folder, grouped by run, the runs in the order they started. */
export function exportedRuns(dir) {
  const runs = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    const lines = readFileSync(join(dir, file), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    if (lines.length) runs.push(lines);
  }
  return runs.sort((a, b) => Date.parse(a[0].at) - Date.parse(b[0].at));
}

/** Solves one exported file from scratch: seconds of `run()`, status and objective. */
function solveFile(highs, dir, line) {
  const model = highs.createModel();
  try {
    model.readModel({ format: 'mps', data: readFileSync(join(dir, line.file)) });
    model.options.set(line.highsOptions);
    const started = performance.now();
    const { modelStatus } = model.run();
    const seconds = (performance.now() - started) / 1000;
    const optimal = modelStatus === highs.constants.modelStatus.optimal;
    return { seconds, optimal, objective: optimal ? model.getObjectiveValue() : Number.NaN };
  } finally {
    model.dispose();
  }
}

let warm = false;

/**
 * The last run exported in `dir`, every solve of it cold: the sum of the `run()` seconds, the
 * run's own figures (provider seconds, export seconds) and how far the objectives are from Tarn's.
 */
export async function coldSolveLastRun(dir) {
  const runs = exportedRuns(dir);
  const lines = runs.at(-1);
  if (!lines) throw new Error(`nothing exported in ${dir}`);
  const highs = await loadHighs();
  if (!warm) {
    for (let i = 0; i < WARM_UP_SOLVES; i++) solveFile(highs, dir, lines[i % lines.length]);
    warm = true;
  }
  let coldSeconds = 0;
  let worstRelative = 0;
  let notOptimal = 0;
  for (const line of lines) {
    const cold = solveFile(highs, dir, line);
    coldSeconds += cold.seconds;
    if (!cold.optimal || line.objective === null) notOptimal++;
    else {
      const difference = Math.abs(cold.objective - line.objective) / Math.max(1, Math.abs(line.objective));
      worstRelative = Math.max(worstRelative, difference);
    }
  }
  return {
    runs: runs.length,
    solves: lines.length,
    coldSeconds,
    providerSeconds: lines.reduce((sum, line) => sum + line.seconds, 0),
    exportSeconds: lines.reduce((sum, line) => sum + line.exportSeconds, 0),
    worstRelative,
    notOptimal,
    mip: lines.some((line) => line.integers > 0),
  };
}
