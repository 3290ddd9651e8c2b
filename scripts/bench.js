// npm run bench: figures for the foundation and the solver, measured on the built server as users run it.
// Boots `node dist/main.js` on a temporary data folder (or DATABASE_URL).
// Foundation: start-up (cold: new database; warm: existing), token requests, authenticated calls
// and PUT/GET of a large model (target: PUT under 2 s, GET under 1 s).
// Solver: PUT /model with commands for the basic model and generated cascades, then one with
// pumps, a tunnel and a delayed river (BENCH_WATERWAY_CASCADES) and one of 12 price and inflow
// scenarios (BENCH_SCENARIO_CASCADES, target: under 2 minutes end-to-end); a fresh server per case,
// so that its peak RSS is the case's: end-to-end seconds, the solver's own and the
// provider's seconds (from the session log's "Solver: ..." line), their ratio, the problem size,
// the MIP gap, peak RSS, and GET / latency during the largest solve (target for the basic
// model: end-to-end under 2 s, end-to-end / provider under 1.3). Each cascade (every case with
// `--export`) then runs once more, on a fresh server with TARN_SOLVER_EXPORT_DIR set to a temporary
// folder (so that writing the files counts in no figure); that run's exported iterations are solved
// from scratch by HiGHS in this process (cold-solve.js), and their sum is printed next to Tarn's
// provider and end-to-end seconds with the ratios, and the first PUT after start. `--export` keeps
// the folders and prints where they are; BENCH_COLD=off leaves the export and the comparison out.
// Queue (PostgreSQL and Redis: DATABASE_URL, REDIS_URL, else the local defaults; not run, with a
// note, when either cannot be reached): the BullMQ queue mode, an API process that only enqueues
// and `node dist/worker.js` processes that solve (each 1 job at a time, 1 solver thread), on a
// fresh schema and queue prefix per case. Throughput of concurrent PUT /model of the basic model
// with 1 and with 2 workers (solves per minute, their ratio), and the queue's overhead per job:
// sequential PUTs, end-to-end minus the solver's seconds, queue with 1 worker vs the in-process runner.
// pyshop: the basic script of pyshop (test/fixtures/pyshop-basic-calls.jsonl, recorded from pyshop 1.4.0
// in REST mode) replayed against a server in compatibility mode, anonymous, a new connection per
// request as pyshop makes them: the median per /internal call (target under 3 ms) and the whole
// script with its solves (target under 2 s).
// BENCH_ONLY=foundation, solver, queue or pyshop runs one part. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldSolveLastRun } from './cold-solve.js';
import { boot as bootServer, freePort, memoryOf, START_ENV, START_NODE_ARGS, stop } from './server-process.js';

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

const boot = (dataDir, port, env) => bootServer(dataDir, port, ADMIN, env);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (label, samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `${label}: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, n=${sorted.length}`,
  );
};

const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
const only = process.env.BENCH_ONLY;

async function foundationBench() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tarn-bench-'));
  const port = await freePort();
  console.log(`Tarn foundation benchmark, ${where}, node ${process.version}`);
  try {
    const cold = await boot(dataDir, port);
    console.log(
      `start-up, new database (migrations, first admin): ${cold.ms.toFixed(0)} ms, ready (solver warm) ${cold.readyMs.toFixed(0)} ms`,
    );
    await stop(cold.child);
    const warm = await boot(dataDir, port);
    console.log(
      `start-up, existing database: ${warm.ms.toFixed(0)} ms, ready (solver warm) ${warm.readyMs.toFixed(0)} ms`,
    );
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
    const headers = {
      Authorization: token,
      session_id: String(session.session_id),
      'Content-Type': 'application/json',
    };
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
}

// ---------------------------------------------------------------------------------------
// Solver

const SOLVER_ROUNDS = Number(process.env.BENCH_SOLVER_ROUNDS ?? 11);
const CASCADE_ROUNDS = Number(process.env.BENCH_CASCADE_ROUNDS ?? 1);
const CASCADES = (process.env.BENCH_CASCADES ?? '5x168,10x168,20x168')
  .split(',')
  .filter(Boolean)
  .map((size) => {
    const [reservoirs, hours] = size.split('x').map(Number);
    return { reservoirs, hours };
  });
/** Cascades with waterways (modelling-2.md §1–3): every third plant pumps, a tunnel, a delayed river. */
const WATERWAY_CASCADES = (process.env.BENCH_WATERWAY_CASCADES ?? '10x168')
  .split(',')
  .filter(Boolean)
  .map((size) => {
    const [reservoirs, hours] = size.split('x').map(Number);
    return { reservoirs, hours };
  });
/** Multi-scenario cascades (modelling-2.md §6): RxHxS, S price and inflow scenarios sharing the first day. */
const SCENARIO_CASCADES = (process.env.BENCH_SCENARIO_CASCADES ?? '10x168x12')
  .split(',')
  .filter(Boolean)
  .map((size) => {
    const [reservoirs, hours, scenarios] = size.split('x').map(Number);
    return { reservoirs, hours, scenarios };
  });
/** The cascades' commands: SHOP's 3 full + 3 incremental iterations, with binaries (BENCH_CASCADE_MIP=off: without). */
const CASCADE_COMMANDS = [
  ...(process.env.BENCH_CASCADE_MIP === 'off' ? [] : ['set universal_mip /on']),
  'set code /full',
  'start sim 3',
  'set code /incremental',
  'start sim 3',
];
const HEALTH_INTERVAL_MS = Number(process.env.BENCH_HEALTH_INTERVAL_MS ?? 20);

const SUMMARY =
  /^Solver: (\d+) iteration\(s\) in ([\d.]+) s, provider \((\w+)\) ([\d.]+) s(?:; largest (\d+) columns, (\d+) rows, (\d+) binaries)?; (?:MIP gap ([\d.e+-]+)|no MIP)/;

const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** `call(method, path, session, body)` on a server, as the bench admin: the parsed answer; throws unless 2xx. */
async function clientOf(base) {
  const response = await fetch(`${base}/api/requestAuthToken`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const token = (await response.json()).auth_token;
  return async (method, path, session, body) => {
    const headers = { Authorization: token, 'Content-Type': 'application/json' };
    if (session !== undefined) headers.session_id = String(session);
    const answer = await fetch(`${base}${path}`, { method, headers, body });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** The RSS of every solver-bench server once ready (MB): one server's figure varies by about ±15 MB. */
const idleAfterStart = [];
/** BENCH_SETTLE_S: how long the basic model's server sits idle after its last PUT before its RSS is read. */
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_S ?? 20);

/** A fresh server (own data folder, `env` added to its environment) for one case; `use` gets a client for it. */
async function withServer(use, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tarn-bench-solver-'));
  const port = await freePort();
  const server = await boot(dir, port, env);
  try {
    const base = `http://127.0.0.1:${port}`;
    const call = await clientOf(base);
    const idle = memoryOf(server.child.pid);
    idleAfterStart.push(idle.rssMb);
    return await use({ base, call, pid: server.child.pid, idle });
  } finally {
    await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One PUT /model with commands on a new session: end-to-end seconds and the solver's summary line. */
async function solveOnce({ call }, body, during) {
  const session = (await call('POST', '/api/v1/session', undefined, JSON.stringify({}))).session_id;
  const started = performance.now();
  const startedAt = Date.now();
  const put = call('PUT', '/api/v1/model', session, body);
  const watched = during ? during(put) : undefined;
  await put;
  const seconds = (performance.now() - started) / 1000;
  const log = await call('GET', '/api/v1/session/log', session);
  const line = log.find((m) => SUMMARY.test(m.message));
  if (!line) throw new Error(`no solver summary in the session log: ${log.map((m) => m.message).join(' | ')}`);
  const [, iterations, solverSeconds, provider, providerSeconds, columns, rows, binaries, gap] = SUMMARY.exec(
    line.message,
  );
  // "Model updated" comes just before the stored model is read for the solver.
  const updated = log.find((m) => m.message.startsWith('Model updated: '));
  return {
    seconds,
    iterations: Number(iterations),
    solverSeconds: Number(solverSeconds),
    provider,
    providerSeconds: Number(providerSeconds),
    columns: Number(columns),
    rows: Number(rows),
    binaries: Number(binaries),
    gap: gap === undefined ? undefined : Number(gap),
    objective: log.find((m) => m.message.startsWith('Objective: '))?.message,
    // The solve's window in the server's clock (log times), for the health samples.
    window: { from: Date.parse(updated?.time ?? new Date(startedAt).toISOString()), to: Date.parse(line.time) },
    health: await watched,
  };
}

/** Polls GET / until `put` settles: every latency with the time it was sent. */
async function pollHealth(base, put) {
  const samples = [];
  let settled = false;
  put.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    const at = Date.now();
    const started = performance.now();
    const answer = await fetch(`${base}/`);
    await answer.text();
    samples.push({ at, ms: performance.now() - started, ok: answer.status === 200 });
    await new Promise((resolve) => setTimeout(resolve, HEALTH_INTERVAL_MS));
  }
  return samples;
}

const latencyLine = (samples) => {
  if (!samples.length) return 'no samples';
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const failed = samples.filter((s) => !s.ok).length;
  return (
    `max ${sorted.at(-1).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ` +
    `p50 ${percentile(sorted, 50).toFixed(1)} ms, n=${sorted.length}${failed ? `, ${failed} not 200` : ''}`
  );
};

function report(label, runs, memory) {
  // Warm: the PUTs after the first, which is reported on its own (the first after start).
  const warm = runs.length > 1 ? runs.slice(1) : runs;
  const e2e = median(warm.map((r) => r.seconds));
  const solver = median(warm.map((r) => r.solverSeconds));
  const provider = median(warm.map((r) => r.providerSeconds));
  const httpAndDatabase = median(warm.map((r) => r.seconds - r.solverSeconds));
  const last = runs.at(-1);
  const firstNote = runs.length > 1 ? ` (first ${runs[0].seconds.toFixed(3)} s)` : '';
  console.log(`${label}:`);
  console.log(
    `  PUT /model end-to-end ${e2e.toFixed(3)} s${firstNote}, provider (${last.provider}) ${provider.toFixed(3)} s, ` +
      `ratio ${(e2e / provider).toFixed(2)}${runs.length > 1 ? ` (p50 of the ${warm.length} after the first)` : ''}`,
  );
  console.log(
    `  of which: solver run in the worker ${solver.toFixed(3)} s (provider ${provider.toFixed(3)} s + optimizer and ` +
      `hand-over ${(solver - provider).toFixed(3)} s), HTTP and database ${httpAndDatabase.toFixed(3)} s (p50 per PUT)`,
  );
  console.log(
    `  ${last.iterations} iterations, largest ${last.columns} columns, ${last.rows} rows, ${last.binaries} binaries; ` +
      `${last.gap === undefined ? 'no MIP' : `MIP gap ${last.gap.toExponential(2)}`}; ${last.objective ?? 'no objective'}`,
  );
  console.log(
    `  peak RSS of the server ${memory.peakMb.toFixed(0)} MB (idle after start ${memory.idleMb.toFixed(0)} MB)`,
  );
  return { e2e, provider, first: runs[0].seconds };
}

/**
 * The case's problems solved from scratch (TARN_SOLVER_EXPORT_DIR, then cold-solve.js, after the server
 * stopped): their sum next to Tarn's provider and end-to-end seconds, and the first PUT after start.
 */
async function coldReport(exportDir, figures) {
  const cold = await coldSolveLastRun(exportDir);
  const { e2e, provider, first } = figures;
  const agreement = cold.notOptimal
    ? `${cold.notOptimal} not solved to optimality`
    : `objectives within ${cold.worstRelative.toExponential(1)} of Tarn's${cold.mip ? ' (MIP gap applies)' : ''}`;
  console.log(
    `  cold sum of the ${cold.solves} exported iterations ${cold.coldSeconds.toFixed(3)} s (HiGHS from scratch, ` +
      `run() only, in the bench process; ${agreement}); Tarn provider ${provider.toFixed(3)} s, ` +
      `end-to-end ${e2e.toFixed(3)} s (a run without the export)`,
  );
  console.log(
    `  end-to-end / cold sum ${(e2e / cold.coldSeconds).toFixed(2)}, ` +
      `provider / cold sum ${(provider / cold.coldSeconds).toFixed(2)}; first PUT after start ${first.toFixed(3)} s`,
  );
}

/** `npm run bench -- --export`: every case exports (the basic model too) and its folder is kept. */
const EXPORT_ALL = process.argv.includes('--export');
/** BENCH_COLD=off: the cascades without the export and the cold comparison (their times and RSS without the writing). */
const COLD = process.env.BENCH_COLD !== 'off';

/** A folder for TARN_SOLVER_EXPORT_DIR, or undefined when the case is not exported. */
const exportFolder = (cascade) =>
  (cascade && COLD) || EXPORT_ALL ? mkdtempSync(join(tmpdir(), 'tarn-bench-export-')) : undefined;

/**
 * Runs `solved` (which reports the case) without the export, so that writing the files counts in no
 * figure; then, where the case is compared, `exported` on a fresh server with the export set (the
 * same iterations: the runs are deterministic), and the cold comparison; keeps the folder with --export.
 */
async function withExport(cascade, solved, exported) {
  const figures = await solved({});
  const dir = exportFolder(cascade);
  if (!dir) return;
  try {
    await exported({ TARN_SOLVER_EXPORT_DIR: dir });
    await coldReport(dir, figures);
    if (EXPORT_ALL) console.log(`  exported problems: ${dir}`);
  } finally {
    if (!EXPORT_ALL) rmSync(dir, { recursive: true, force: true });
  }
}

async function solverBench() {
  console.log(`Tarn solver benchmark, ${where}, node ${process.version}`);
  const basic = JSON.parse(readFileSync(new URL('../test/fixtures/basic-model.json', import.meta.url), 'utf8'));
  const basicBody = JSON.stringify(basic);
  await withExport(
    false,
    (env) =>
      withServer(async (server) => {
        const runs = [];
        for (let i = 0; i < SOLVER_ROUNDS; i++) runs.push(await solveOnce(server, basicBody));
        const figures = report(`basic_model (2 reservoirs x 72 h, its ${basic.commands.length} commands)`, runs, {
          peakMb: memoryOf(server.pid).peakMb,
          idleMb: server.idle.rssMb,
        });
        // V8 gives back the heap a busy spell grew some 10 s into a quiet one (its memory reducer).
        await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
        console.log(`  RSS ${SETTLE_SECONDS} s after its last PUT ${memoryOf(server.pid).rssMb.toFixed(0)} MB`);
        return figures;
      }, env),
    (env) => withServer((server) => solveOnce(server, basicBody), env),
  );

  const { cascadeModel } = await import('../dist/src/solver/examples/cascade-model.js');
  const cases = [...CASCADES, ...WATERWAY_CASCADES.map((size) => ({ ...size, waterways: true })), ...SCENARIO_CASCADES];
  for (const [index, { reservoirs, hours, waterways = false, scenarios }] of cases.entries()) {
    const largest = index === CASCADES.length - 1;
    const body = JSON.stringify(cascadeModel({ reservoirs, hours, waterways, scenarios, commands: CASCADE_COMMANDS }));
    await withExport(
      true,
      (env) =>
        withServer(async (server) => {
          const runs = [];
          for (let i = 0; i < CASCADE_ROUNDS; i++) {
            const watch = largest && i === CASCADE_ROUNDS - 1 ? (put) => pollHealth(server.base, put) : undefined;
            runs.push(await solveOnce(server, body, watch));
          }
          const what = waterways
            ? 'with pumps, a tunnel and a delayed river, '
            : scenarios
              ? `${scenarios} scenarios sharing the first day, `
              : '';
          const figures = report(`cascade ${reservoirs}x${hours} (${what}${CASCADE_COMMANDS.join(', ')})`, runs, {
            peakMb: memoryOf(server.pid).peakMb,
            idleMb: server.idle.rssMb,
          });
          const { health, window } = runs.at(-1);
          if (health) {
            const solving = health.filter((s) => s.at >= window.from && s.at <= window.to);
            console.log(
              `  GET / during the solve (from reading the model to the summary line): ${latencyLine(solving)}`,
            );
            console.log(`  GET / during the whole PUT (upload, solve, writing results): ${latencyLine(health)}`);
          }
          return figures;
        }, env),
      (env) => withServer((server) => solveOnce(server, body), env),
    );
  }
  const sorted = [...idleAfterStart].sort((a, b) => a - b);
  console.log(
    `idle RSS once ready: median ${median(sorted).toFixed(0)} MB of the ${sorted.length} servers above ` +
      `(${sorted[0].toFixed(0)}–${sorted.at(-1).toFixed(0)} MB)`,
  );
}

// ---------------------------------------------------------------------------------------
// Queue

const QUEUE_JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 40);
const QUEUE_ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 15);
const QUEUE_CLIENTS = Number(process.env.BENCH_QUEUE_CLIENTS ?? 8);
const QUEUE_DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const QUEUE_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const WORKER_READY = 'Taking solve jobs from queue';
const WORKER_READY_MS = 60_000;

/** Host and port of a URL, without the credentials it may carry. */
const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable URL';
  }
};

const newRedis = async (options = {}) => {
  const { Redis } = await import('ioredis');
  return new Redis(QUEUE_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...options,
  });
};

const newPg = async () => {
  const { default: pg } = await import('pg');
  return new pg.Client({ connectionString: QUEUE_DATABASE_URL, connectionTimeoutMillis: 2000 });
};

/** Why the queue benchmark cannot run (PostgreSQL or Redis out of reach), or undefined. */
async function queueUnavailable() {
  const problems = [];
  const client = await newPg();
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    problems.push(`PostgreSQL at ${hostOf(QUEUE_DATABASE_URL)}: ${error.message || error.code || error}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = await newRedis();
  let cause; // ioredis rejects with "Connection is closed."; the 'error' event says why
  redis.on('error', (error) => (cause ??= error.message || error.code));
  try {
    await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
  } catch (error) {
    problems.push(`Redis at ${hostOf(QUEUE_REDIS_URL)}: ${cause || error.message || error}`);
  } finally {
    redis.disconnect();
  }
  return problems.length ? problems.join('; ') : undefined;
}

/** `node dist/worker.js`; `ready` settles once it logs that it takes jobs (rejects if it exits first). */
function startWorker(env) {
  const child = spawn(process.execPath, [...START_NODE_ARGS, 'dist/worker.js'], {
    env: { ...START_ENV, ...process.env, ...env, TARN_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`worker ${child.pid} not ready within ${WORKER_READY_MS} ms`)),
      WORKER_READY_MS,
    );
    // Read stdout to the end (the worker logs every job): a full pipe would block it.
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (out === undefined) return;
      out += chunk;
      if (out.includes(WORKER_READY)) {
        out = undefined;
        clearTimeout(timer);
        resolve();
      } else out = out.slice(-10_000);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err = (err + chunk).slice(-2000)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${signal ?? code}) before it was ready: ${(err || out || '').trim()}`));
    });
  });
  ready.catch(() => undefined); // awaited by the caller; no unhandled rejection meanwhile
  return { child, ready };
}

/**
 * A fresh Tarn on PostgreSQL for one case: its own schema, and with `workers` > 0 the queue mode
 * (API that enqueues + that many workers, on a queue prefix of its own: run ids restart in a new
 * schema, and the job ids `run-<id>` must not meet the previous case's completed jobs). `use` gets a client.
 */
async function withTarn({ workers, jwtSecret, prefix, schemas }, use) {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  const env = {
    DATABASE_URL: QUEUE_DATABASE_URL,
    TARN_DATABASE_SCHEMA: schema,
    TARN_JWT_SECRET: jwtSecret,
    TARN_ADMIN_EMAIL: ADMIN.email,
    TARN_ADMIN_PASSWORD: ADMIN.password,
    TARN_MAX_SESSIONS: '1000',
    TARN_SOLVER_POOL_SIZE: '1',
    TARN_WORKER_CONCURRENCY: '1',
    // Every run is the admin's: its account may use every worker (the default is one worker's pool).
    TARN_MAX_RUNS_PER_ACCOUNT: String(Math.max(1, workers)),
    // Empty is unset for Tarn: without REDIS_URL the API solves in its own threads.
    REDIS_URL: workers ? QUEUE_REDIS_URL : '',
    TARN_QUEUE_PREFIX: workers ? `${prefix}.${schema}` : '',
  };
  const dir = mkdtempSync(join(tmpdir(), 'tarn-bench-queue-'));
  const children = [];
  try {
    const port = await freePort();
    const api = await boot(dir, port, env); // first: it creates the schema and applies the migrations
    children.push(api.child);
    const started = Array.from({ length: workers }, () => startWorker({ ...env, TARN_DATA_DIR: dir }));
    children.push(...started.map((w) => w.child));
    await Promise.all(started.map((w) => w.ready));
    const base = `http://127.0.0.1:${port}`;
    return await use({ base, call: await clientOf(base) });
  } finally {
    // The API first (no new jobs), then the workers (they finish those they hold).
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** N sessions, then PUT /model to all of them, QUEUE_CLIENTS at a time: seconds from the first PUT to the last answer. */
async function throughput({ call }, body, jobs) {
  const sessions = [];
  for (let i = 0; i < jobs; i++)
    sessions.push((await call('POST', '/api/v1/session', undefined, JSON.stringify({}))).session_id);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(QUEUE_CLIENTS, jobs) }, async () => {
      while (next < sessions.length) await call('PUT', '/api/v1/model', sessions[next++], body);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // Every PUT solved (its session log has the summary line): the solver's own seconds.
  const solverSeconds = [];
  for (const session of sessions) {
    const log = await call('GET', '/api/v1/session/log', session);
    const line = log.find((m) => SUMMARY.test(m.message));
    if (!line) throw new Error(`session ${session}: no solver summary in its log`);
    solverSeconds.push(Number(SUMMARY.exec(line.message)[2]));
  }
  return { seconds, perMinute: (jobs / seconds) * 60, solver: median(solverSeconds) };
}

/** QUEUE_ROUNDS PUT /model one at a time (after one not counted): end-to-end and solver seconds of each. */
async function sequential(server, body) {
  await solveOnce(server, body);
  const runs = [];
  for (let i = 0; i < QUEUE_ROUNDS; i++) runs.push(await solveOnce(server, body));
  return {
    e2e: median(runs.map((r) => r.seconds)),
    solver: median(runs.map((r) => r.solverSeconds)),
    rest: median(runs.map((r) => r.seconds - r.solverSeconds)),
  };
}

async function dropQueueLeftovers(prefix, schemas) {
  const client = await newPg();
  try {
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = await newRedis();
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}.*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function queueBench() {
  const why = await queueUnavailable();
  if (why) {
    console.log(`queue benchmark NOT RUN: ${why}`);
    return;
  }
  console.log(`Tarn queue benchmark, PostgreSQL + Redis, node ${process.version}`);
  const body = readFileSync(new URL('../test/fixtures/basic-model.json', import.meta.url), 'utf8');
  const options = {
    jwtSecret: randomBytes(32).toString('hex'),
    prefix: `tarn_bench_${randomBytes(6).toString('hex')}`,
    schemas: [],
  };
  const cores = availableParallelism();
  try {
    console.log(
      `throughput, ${QUEUE_JOBS} PUT /model of basic_model to as many sessions, ${QUEUE_CLIENTS} at a time ` +
        `(each worker 1 job at a time, 1 solver thread):`,
    );
    const rates = {};
    for (const workers of [1, 2]) {
      const r = await withTarn({ ...options, workers }, (server) => throughput(server, body, QUEUE_JOBS));
      rates[workers] = r.perMinute;
      console.log(
        `  ${workers} worker${workers > 1 ? 's' : ''}: ${r.perMinute.toFixed(0)} solves per minute ` +
          `(${QUEUE_JOBS} in ${r.seconds.toFixed(2)} s; solver p50 ${r.solver.toFixed(3)} s per job)`,
      );
    }
    console.log(
      `  ratio 2 workers / 1 worker: ${(rates[2] / rates[1]).toFixed(2)} (bounded by the ${cores} CPU cores: ` +
        `the API and the workers share them)`,
    );

    console.log(`overhead per job, ${QUEUE_ROUNDS} sequential PUT /model of basic_model (after 1 not counted):`);
    const local = await withTarn({ ...options, workers: 0 }, (server) => sequential(server, body));
    const queued = await withTarn({ ...options, workers: 1 }, (server) => sequential(server, body));
    const line = (label, r) =>
      console.log(
        `  ${label}: end-to-end p50 ${r.e2e.toFixed(3)} s, solver p50 ${r.solver.toFixed(3)} s, ` +
          `end-to-end - solver p50 ${(r.rest * 1000).toFixed(1)} ms`,
      );
    line('in-process runner', local);
    line('queue, 1 worker', queued);
    console.log(
      `  queue overhead: ${((queued.rest - local.rest) * 1000).toFixed(1)} ms per job ` +
        `(p50 of end-to-end - solver, queue minus in-process)`,
    );
  } finally {
    await dropQueueLeftovers(options.prefix, options.schemas);
  }
}

// ---------------------------------------------------------------------------------------
// pyshop: the SHOP API as an unmodified pyshop script uses it

const PYSHOP_ROUNDS = Number(process.env.BENCH_PYSHOP_ROUNDS ?? 5);
const PYSHOP_USER = { email: 'pyshop@tarn.local', password: 'pyshop-password-1' };

/** The basic script's requests as pyshop 1.4.0 made them against Tarn: [method, path, body text]. */
const pyshopCalls = () =>
  readFileSync(new URL('../test/fixtures/pyshop-basic-calls.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

/** One request on a new connection, as pyshop's module-level requests.post makes it. */
const wire = (port, method, path, body, sessionId) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const headers = { 'Content-Type': 'application/json', ...(sessionId && { 'session-id': String(sessionId) }) };
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), ms: performance.now() - started }),
      );
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });

/** Replays the script; the session ids come from its POST /session answers. */
async function replayPyshop(port, calls) {
  let sessionId;
  const internal = [];
  const failed = [];
  const started = performance.now();
  for (const [method, path, body] of calls) {
    const answer = await wire(port, method, path, body, sessionId);
    if (answer.status >= 400) failed.push(`${path} ${answer.status}`);
    if (path === '/session') sessionId = JSON.parse(answer.text).session_id;
    else if (path.startsWith('/internal/')) internal.push({ name: path.slice('/internal/'.length), ms: answer.ms });
  }
  return { seconds: (performance.now() - started) / 1000, internal, failed };
}

async function pyshopBench() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tarn-bench-'));
  const port = await freePort();
  const calls = pyshopCalls();
  console.log(`pyshop basic script (${calls.length} requests, a new connection each), ${where}`);
  try {
    // The compatibility mode acts as a plain user, which must exist when the server starts.
    const first = await boot(dataDir, port);
    const base = `http://127.0.0.1:${port}`;
    const token = (
      await (
        await fetch(`${base}/api/requestAuthToken`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(ADMIN),
        })
      ).json()
    ).auth_token;
    const created = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...PYSHOP_USER, account_name: 'pyshop' }),
    });
    if (created.status !== 201) throw new Error(`creating the compat user answered ${created.status}`);
    await stop(first.child);
    const { child } = await boot(dataDir, port, { TARN_SHOP_COMPAT_USER: PYSHOP_USER.email });
    try {
      const rounds = [];
      for (let round = 0; round <= PYSHOP_ROUNDS; round++) {
        const result = await replayPyshop(port, calls);
        if (result.failed.length) throw new Error(`status >= 400: ${result.failed.slice(0, 5).join(', ')}`);
        if (round > 0) rounds.push(result); // the first round warms up
      }
      const all = rounds.flatMap((r) => r.internal);
      const byName = (predicate) => all.filter((c) => predicate(c.name)).map((c) => c.ms);
      summary(
        'POST /internal/<Name>, every call',
        all.map((c) => c.ms),
      );
      summary(
        '  without ExecuteCommand and ReadYamlString',
        byName((n) => !/^(ExecuteCommand|ReadYamlString)$/.test(n)),
      );
      summary(
        '  Set* (a value written through)',
        byName((n) => n.startsWith('Set')),
      );
      summary(
        '  Get* (a value read)',
        byName((n) => n.startsWith('Get')),
      );
      summary(
        '  ExecuteCommand (start sim solves)',
        byName((n) => n === 'ExecuteCommand'),
      );
      summary(
        'whole script incl. its solves',
        rounds.map((r) => r.seconds * 1000),
      );
    } finally {
      await stop(child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!only || only === 'foundation') await foundationBench();
if (!only || only === 'solver') await solverBench();
if (!only || only === 'queue') await queueBench();
if (!only || only === 'pyshop') await pyshopBench();
