// npm run bench: figures for the foundation, measured on the built server as users run it.
// Boots `node dist/main.js` on a temporary data folder (or DATABASE_URL), then measures
// start-up (cold: new database; warm: existing), token requests, authenticated calls and
// PUT/GET of a large model (target: PUT under 2 s, GET under 1 s).
// Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ADMIN = { email: 'bench@tarn.local', password: 'bench-password-1' };
const TOKEN_REQUESTS = Number(process.env.BENCH_TOKEN_REQUESTS ?? 30);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const MODEL_ROUNDS = Number(process.env.BENCH_MODEL_ROUNDS ?? 5);

function largeModel(reservoirs, points) {
  const start = Date.UTC(2026, 0, 1);
  const timestamps = Array.from(
    { length: points },
    (_, i) => `${new Date(start + i * 3_600_000).toISOString().slice(0, 19)}Z`,
  );
  const series = (seed) => ({
    timestamps,
    values: [timestamps.map((_, i) => Math.round((50 + 40 * Math.sin(i / 24 + seed)) * 1000) / 1000)],
  });
  const reservoir = {};
  for (let r = 1; r <= reservoirs; r++) {
    reservoir[`Reservoir${r}`] = {
      max_vol: 100 + r,
      lrl: 500,
      hrl: 600,
      inflow: series(r),
      min_vol_constr: series(r + 0.5),
    };
  }
  return {
    time: {
      start_time: timestamps[0],
      end_time: `${new Date(start + points * 3_600_000).toISOString().slice(0, 19)}Z`,
      time_unit: 'hour',
    },
    model: { reservoir },
  };
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function boot(dataDir, port) {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/main.js', '-p', String(port), '-l', '127.0.0.1'], {
    env: {
      ...process.env,
      TARN_DATA_DIR: dataDir,
      TARN_LOG_LEVEL: 'warn',
      TARN_ADMIN_EMAIL: ADMIN.email,
      TARN_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: 'ignore',
  });
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return { child, ms: performance.now() - started };
}

const stop = (child) =>
  new Promise((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (label, samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `${label}: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, n=${sorted.length}`,
  );
};

const dataDir = mkdtempSync(join(tmpdir(), 'tarn-bench-'));
const port = await freePort();
const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
console.log(`Tarn foundation benchmark, ${where}, node ${process.version}`);
try {
  const cold = await boot(dataDir, port);
  console.log(`start-up, new database (migrations, first admin): ${cold.ms.toFixed(0)} ms`);
  await stop(cold.child);
  const warm = await boot(dataDir, port);
  console.log(`start-up, existing database: ${warm.ms.toFixed(0)} ms`);
  const base = `http://127.0.0.1:${port}`;

  const tokenTimes = [];
  let token;
  for (let i = 0; i < TOKEN_REQUESTS; i++) {
    const t0 = performance.now();
    const response = await fetch(`${base}/api/requestAuthToken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    token = (await response.json()).auth_token;
    tokenTimes.push(performance.now() - t0);
  }
  summary('POST /api/requestAuthToken (argon2id verify)', tokenTimes);

  const callTimes = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS) {
        const s = performance.now();
        const response = await fetch(`${base}/api/v1/users/me`, { headers: { Authorization: token } });
        await response.arrayBuffer();
        callTimes.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  summary(`GET /api/v1/users/me (token check + user lookup), ${CONCURRENCY} concurrent`, callTimes);
  console.log(`GET /api/v1/users/me throughput: ${(CALLS / seconds).toFixed(0)} requests/s`);

  // The model store: 20 reservoirs with two hourly series of one year each (8760 points).
  const session = await (
    await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ session_name: 'bench' }),
    })
  ).json();
  const body = JSON.stringify(largeModel(20, 8760));
  const headers = { Authorization: token, session_id: String(session.session_id), 'Content-Type': 'application/json' };
  const putTimes = [];
  const getTimes = [];
  for (let i = 0; i < MODEL_ROUNDS; i++) {
    let s = performance.now();
    const put = await fetch(`${base}/api/v1/model`, { method: 'PUT', headers, body });
    await put.arrayBuffer();
    if (!put.ok) throw new Error(`PUT /model answered ${put.status}`);
    putTimes.push(performance.now() - s);
    s = performance.now();
    const get = await fetch(`${base}/api/v1/model`, { headers });
    const text = await get.text();
    getTimes.push(performance.now() - s);
    if (i === 0)
      console.log(
        `model: ${(body.length / 1e6).toFixed(1)} MB of SHOP JSON in, ${(text.length / 1e6).toFixed(1)} MB out`,
      );
  }
  summary('PUT /api/v1/model (20 reservoirs x 2 hourly series x 8760)', putTimes);
  summary('GET /api/v1/model (the whole model)', getTimes);
  await stop(warm.child);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
