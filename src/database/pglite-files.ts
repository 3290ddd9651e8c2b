import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's command line with Tarn's settings: `shared_buffers` is PostgreSQL's page cache, which
 * PGlite keeps in its WebAssembly memory (128 MB by default, nearly all of it touched once the
 * database has been written to); the files stay in the operating system's cache as well.
 */
export function pgliteStartParams(settings: { sharedBuffersBytes: number }): string[] {
  const kB = Math.max(128, Math.floor(settings.sharedBuffersBytes / 1024));
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${kB}kB`];
}

// `node -e`: no file of its own to find from dist/ and from the TypeScript sources alike.
const INITDB = `
const [module, dataDir, startParams] = process.argv.slice(1);
require(module)
  .PGlite.create({ dataDir, startParams: JSON.parse(startParams) })
  .then((db) => db.close())
  .then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
`;

/**
 * Creates the embedded database's files in `dataDir` when it has none, in a child process.
 * PGlite's initdb runs a second PostgreSQL and the initdb program, in WebAssembly memory that
 * stays allocated until garbage collection finds it, and in the heap: in the server itself, it
 * left about 450 MB that an idle server never gave back (and raised its peak by as much).
 */
export async function createPgliteFiles(dataDir: string, startParams: string[]): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', INITDB, entry, dataDir, JSON.stringify(startParams)],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        reject(new Error(`Creating the embedded database in ${dataDir} failed: ${stderr.trim() || error.message}`));
      },
    );
  });
}
