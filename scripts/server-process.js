// The built server as a child process, for npm run bench and npm run load: a free loopback port,
// `node dist/main.js` on a data folder (or DATABASE_URL) started and awaited, stopped, its memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * `npm start`'s command (package.json): its environment variables and Node options, so that bench
 * and load run the server as it is started.
 */
const START_WORDS = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start.split(/\s+/);
export const START_ENV = Object.fromEntries(
  START_WORDS.slice(0, START_WORDS.indexOf('node'))
    .filter((word) => word.includes('='))
    .map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]),
);
export const START_NODE_ARGS = START_WORDS.filter((word) => word.startsWith('--'));

export const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Starts `dist/main.js` as `npm start` does (its environment and Node options), with `admin` as
 * its first admin; resolves once GET / answers (`ms`) and then GET /health/ready, as a deployment
 * routes traffic only to a ready server: the solver threads have warmed up (`readyMs`).
 * SERVER_NODE_ARGS are Node options for the server alone, e.g. "--cpu-prof --cpu-prof-dir=prof"
 * to profile it.
 */
export async function boot(dataDir, port, admin, env = {}) {
  const started = performance.now();
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [...START_NODE_ARGS, ...nodeArgs, 'dist/main.js', '-p', String(port), '-l', '127.0.0.1'],
    {
      env: {
        TARN_MAX_SESSIONS: '1000', // every round takes a session of its own; a shared database holds earlier ones
        ...START_ENV,
        ...process.env,
        ...env,
        TARN_DATA_DIR: dataDir,
        TARN_LOG_LEVEL: 'warn',
        TARN_ADMIN_EMAIL: admin.email,
        TARN_ADMIN_PASSWORD: admin.password,
      },
      stdio: 'ignore',
    },
  );
  let exited;
  child.on('exit', (code, signal) => (exited = signal ?? code));
  for (;;) {
    if (exited !== undefined) throw new Error(`dist/main.js exited (${exited}) before it answered GET /`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const ms = performance.now() - started;
  for (;;) {
    if (exited !== undefined) throw new Error(`dist/main.js exited (${exited}) before it was ready`);
    if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
    if (performance.now() - started > 120_000) throw new Error('dist/main.js was not ready within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, ms, readyMs: performance.now() - started };
}

export const stop = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });

/** VmHWM (peak resident set) and VmRSS of a process, in MB. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}
