import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Tarn's own package.json, found by walking up from this file (works from src/ and dist/). */
function readPackageJson(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8'));
      if (pkg.name === 'tarn') return pkg;
    }
    const parent = dirname(dir);
    if (parent === dir) return { name: 'tarn', version: '0.0.0' };
    dir = parent;
  }
}

export const PACKAGE = readPackageJson();
