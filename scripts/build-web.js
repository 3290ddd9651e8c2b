// The web front end: web/src/*.ts bundled by esbuild (ES modules, shared chunks) into
// dist/web/assets, and the pages and styles of web/pages copied to dist/web. Type checking is
// `tsc -p web/tsconfig.json` (part of npm run build).
import { cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const ENTRIES = ['sign-in', 'profile', 'sessions', 'session'];

rmSync('dist/web', { recursive: true, force: true });
await build({
  entryPoints: ENTRIES.map((name) => `web/src/${name}.ts`),
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  outdir: 'dist/web/assets',
  logLevel: 'warning',
});
cpSync('web/pages', 'dist/web', { recursive: true });
