import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Jest global setup of the e2e tests: what every test file would otherwise do again. It runs
 * outside Jest's module system (Node cannot import the .ts sources), so it bundles what it runs.
 */
export default async function globalSetup(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'tarn-test-'));
  process.env.TARN_TEST_TEMP = folder;
  if (!process.env.DATABASE_URL) {
    const { writePgliteTemplate } = await import(
      pathToFileURL(await bundle('test/support/pglite-template.ts', folder)).href
    );
    await writePgliteTemplate(folder);
  }
}

/**
 * Bundles a TypeScript entry of this repository into one ES module in `outDir`. Packages stay
 * imports, by absolute file URL, so the bundle runs from any folder.
 */
async function bundle(entry: string, outDir: string): Promise<string> {
  const outfile = join(outDir, entry.replace(/[/\\]/g, '_').replace(/\.ts$/, '.mjs'));
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
