import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Where `solveWorkerUrl()` (src/solver/pool/solver-pool.ts) looks for the worker under Jest. */
const SOLVE_WORKER_BUNDLE = '.cache/tarn/solve-worker.mjs';

/**
 * Jest global setup of the unit and e2e tests: what every test file would otherwise do again. It
 * runs outside Jest's module system (Node cannot import the .ts sources), so it bundles what it
 * runs.
 * - The solver pool's worker thread, bundled from the sources: a worker is a plain Node isolate,
 *   outside Jest's transformer, and Node 20 cannot run TypeScript. The tests solve with the code
 *   they test, never a stale `dist/`.
 * - For the e2e tests on the embedded database: the migrated PGlite every test app starts from.
 */
export default async function globalSetup(
  _: unknown,
  project: { displayName?: { name: string } | string },
): Promise<void> {
  // Each project runs its global setup, in one process: the temporary folder and the worker
  // bundle are made once per run.
  const folder = (process.env.TARN_TEST_TEMP ??= mkdtempSync(join(tmpdir(), 'tarn-test-')));
  if (!process.env.TARN_TEST_WORKER_BUNDLED) {
    await bundle('src/solver/pool/solve-worker.ts', join(process.cwd(), SOLVE_WORKER_BUNDLE));
    process.env.TARN_TEST_WORKER_BUNDLED = '1';
  }
  const name = typeof project.displayName === 'string' ? project.displayName : project.displayName?.name;
  if (name === 'e2e' && !process.env.DATABASE_URL) {
    const { writePgliteTemplate } = await import(
      pathToFileURL(await bundle('test/support/pglite-template.ts', join(folder, 'pglite-template.mjs'))).href
    );
    await writePgliteTemplate(folder);
  }
}

/**
 * Bundles a TypeScript entry of this repository into one ES module at `outfile`. Packages stay
 * imports, by absolute file URL, so the bundle runs from any folder.
 */
async function bundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [join(process.cwd(), entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    tsconfig: join(process.cwd(), 'tsconfig.json'),
    plugins: [packagesByUrl],
  });
  return outfile;
}

const packagesByUrl: Plugin = {
  name: 'packages-by-url',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:')
        ? { path: args.path, external: true }
        : { path: import.meta.resolve(args.path), external: true },
    );
  },
};
