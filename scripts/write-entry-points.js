// tsc keeps the source layout (dist/src/..., dist/migrations/...); SHOP Server users run
// `node dist/main.js -p 9000`, so the build adds one-line entry points (main, cli, worker),
// and copies the web pages to dist/web.
import { cpSync, writeFileSync } from 'node:fs';

writeFileSync('dist/main.js', "import './src/main.js';\n");
writeFileSync('dist/cli.js', "import './src/cli.js';\n");
writeFileSync('dist/worker.js', "import './src/worker.js';\n");

// The web pages and styles beside their compiled scripts (dist/web/assets, from web/tsconfig.json).
cpSync('web/pages', 'dist/web', { recursive: true });
