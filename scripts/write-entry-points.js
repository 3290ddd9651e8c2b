// tsc keeps the source layout (dist/src/..., dist/migrations/...); SHOP Server users run
// `node dist/main.js -p 9000`, so the build adds one-line entry points (main, cli, worker).
import { writeFileSync } from 'node:fs';

writeFileSync('dist/main.js', "import './src/main.js';\n");
writeFileSync('dist/cli.js', "import './src/cli.js';\n");
writeFileSync('dist/worker.js', "import './src/worker.js';\n");
