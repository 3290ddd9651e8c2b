// npm run load: Tarn under many clients, as a busy integration would load it, measured on the built
// server (`node dist/main.js`, a temporary data folder, or DATABASE_URL). Loopback only, and every
// scenario bounded in time (LOAD_SECONDS) and in requests (LOAD_MAX_REQUESTS).
//
// Scenarios, each with LOAD_CLIENTS connections (default 50) on the basic model with its results:
//   read:  every client reads GET /model;
//   mix:   80 % GET /model, 10 % GET /, 10 % PUT /model (one attribute), in the same clients.
// During each, a probe outside the load calls GET / every LOAD_PROBE_MS (default 20 ms): the health
// check's latency is what an orchestrator sees. Prints per route p50/p99 latency, requests per
// second, errors (non-2xx and failed connections) and the server's peak RSS. Asserts nothing
// (targets: GET / p99 under 100 ms and GET /model p99 under 300 ms in the read scenario).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { boot, freePort, memoryOf, stop } from './server-process.js';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const MAX_REQUESTS = Number(process.env.LOAD_MAX_REQUESTS ?? 200_000);
const PROBE_MS = Number(process.env.LOAD_PROBE_MS ?? 20);
const ADMIN = { email: 'load@tarn.local', password: 'load-password-1' };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** GET / every PROBE_MS on its own connection while `during` runs: its latencies. */
async function probe(base, during) {
  const samples = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(`${base}/`)).arrayBuffer();
      samples.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
    }
  })();
  try {
    return { result: await during, samples };
  } finally {
    running = false;
    await loop;
  }
}

/** One autocannon run; each connection goes round the `requests` of a mix in turn. */
function cannon(base, requests) {
  return autocannon({
    url: base,
    connections: CLIENTS,
    duration: SECONDS,
    maxOverallRequests: MAX_REQUESTS,
    requests,
    // The load in a worker thread: the probe's timings are not held up by the load's own client.
    workers: 1,
  });
}

function line(label, sortedMs, count, seconds) {
  return (
    `  ${label.padEnd(22)} p50 ${percentile(sortedMs, 50).toFixed(1).padStart(6)} ms, ` +
    `p99 ${percentile(sortedMs, 99).toFixed(1).padStart(6)} ms, ${(count / seconds).toFixed(0)} req/s`
  );
}

async function scenario(name, base, server, requests) {
  const { result, samples } = await probe(base, cannon(base, requests));
  const errors = result.non2xx + result.errors + result.timeouts;
  console.log(`${name}: ${CLIENTS} clients, ${result.duration.toFixed(1)} s, ${result.requests.total} requests`);
  console.log(
    `  all requests           p50 ${result.latency.p50.toFixed(1).padStart(6)} ms, p99 ${result.latency.p99
      .toFixed(1)
      .padStart(6)} ms, ${result.requests.average.toFixed(0)} req/s`,
  );
  console.log(
    line(
      'GET / (probe)',
      [...samples].sort((a, b) => a - b),
      samples.length,
      result.duration,
    ),
  );
  console.log(`  errors: ${errors} (non-2xx ${result.non2xx}, failed ${result.errors}, timeouts ${result.timeouts})`);
  console.log(`  server peak RSS: ${memoryOf(server.pid).peakMb.toFixed(0)} MB`);
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tarn-load-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child: server } = await boot(dataDir, port, ADMIN);
  try {
    const json = { 'Content-Type': 'application/json' };
    const token = (
      await (
        await fetch(`${base}/api/requestAuthToken`, { method: 'POST', headers: json, body: JSON.stringify(ADMIN) })
      ).json()
    ).auth_token;
    const auth = { ...json, Authorization: token };
    const created = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: auth, body: '{}' });
    if (!created.ok) throw new Error(`POST /session answered ${created.status}: ${await created.text()}`);
    const session = (await created.json()).session_id;
    const headers = { ...auth, session_id: String(session) };
    const basic = readFileSync(new URL('../test/fixtures/basic-model.json', import.meta.url), 'utf8');
    const put = await fetch(`${base}/api/v1/model`, { method: 'PUT', headers, body: basic });
    if (!put.ok) throw new Error(`PUT /model of the basic model answered ${put.status}: ${await put.text()}`);
    const model = await (await fetch(`${base}/api/v1/model`, { headers })).text();
    console.log(
      `Tarn under load: ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}, ` +
        `node ${process.version}; GET /model of the basic model with results: ${(model.length / 1024).toFixed(0)} kB`,
    );

    const getModel = { method: 'GET', path: '/api/v1/model', headers };
    await scenario('read (GET /model)', base, server, [getModel]);

    const putOne = {
      method: 'PUT',
      path: '/api/v1/model',
      headers,
      body: JSON.stringify({ model: { reservoir: { Reservoir1: { max_vol: 39 } } } }),
    };
    const health = { method: 'GET', path: '/' };
    await scenario('mix (8 GET /model : 1 GET / : 1 PUT /model)', base, server, [
      getModel,
      getModel,
      getModel,
      getModel,
      health,
      getModel,
      getModel,
      getModel,
      getModel,
      putOne,
    ]);
  } finally {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
