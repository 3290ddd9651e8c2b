import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MetricsServer } from '../src/metrics/metrics-server.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BASIC_MODEL = JSON.parse(readFileSync(new URL('./fixtures/basic-model.json', import.meta.url), 'utf8'));

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[key] = value;
      }
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the one sample with this name and (at least) these labels; undefined when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, v]) => sample.labels[key] === v),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

/** A request with node:http (a connection of its own), for the metrics port (no supertest app there). */
function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /metrics on the API port (no TARN_METRICS_PORT)', () => {
  let t: TestApp;
  let admin: string;
  let plain: { id: number; token: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_BODY_LIMIT: '100kb' } });
    admin = await t.token();
    plain = await t.createUser(admin, {
      email: 'plain@tarn.test',
      password: 'plain-password-123',
      account_name: 'Plain',
    });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const response = await t.http().get('/metrics').set('Authorization', admin);
    expect(response.status).toBe(200);
    return response;
  };

  it('needs an admin token: 401 without one, 403 for a user without the admin role', async () => {
    expect((await t.http().get('/metrics')).status).toBe(401);
    const forbidden = await t.http().get('/metrics').set('Authorization', plain.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toBe('This endpoint needs one of the roles: admin');
  });

  it('answers Prometheus text with the default Node metrics, prefixed tarn_', async () => {
    const response = await scrape();
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.text).toContain('# TYPE tarn_http_requests_total counter');
    expect(response.text).toContain('# TYPE tarn_http_request_duration_seconds histogram');
    const samples = parse(response.text);
    // Present (a counter of CPU time since the last scrape of this process's default metrics may read 0).
    expect(value(samples, 'tarn_process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'tarn_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(samples.every((sample) => sample.name.startsWith('tarn_'))).toBe(true);
  });

  it('counts answers by route pattern and status, 401, 404 and 413 included, and times them', async () => {
    expect((await t.http().get(`/api/v1/users/${plain.id}`).set('Authorization', admin)).status).toBe(200);
    expect((await t.http().get('/api/v1/users')).status).toBe(401);
    expect((await t.http().get('/no/such/thing').set('Authorization', admin)).status).toBe(404);
    const tooLarge = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(200_000) }));
    expect(tooLarge.status).toBe(413);

    const samples = parse((await scrape()).text);
    const requests = (labels: Record<string, string>) => value(samples, 'tarn_http_requests_total', labels);
    expect(requests({ method: 'GET', route: '/api/v1/users/:id', status: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: '/api/v1/users', status: '401' })).toBe(1);
    expect(requests({ method: 'GET', route: '/metrics', status: '401' })).toBe(1);
    expect(requests({ method: 'GET', route: '/metrics', status: '403' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/requestAuthToken', status: '200' })).toBe(2);
    // Neither the 404 nor the body refused before routing has a route pattern.
    expect(requests({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(requests({ method: 'PUT', route: 'unmatched', status: '413' })).toBe(1);
    // The raw URL, with its id, is never a label.
    expect(samples.some((sample) => sample.labels.route === `/api/v1/users/${plain.id}`)).toBe(false);
    expect(samples.some((sample) => sample.labels.route === '/no/such/thing')).toBe(false);

    const histogram = { method: 'GET', route: '/api/v1/users/:id', status: '200' };
    expect(value(samples, 'tarn_http_request_duration_seconds_count', histogram)).toBe(1);
    expect(value(samples, 'tarn_http_request_duration_seconds_sum', histogram)).toBeGreaterThan(0);
    expect(value(samples, 'tarn_http_request_duration_seconds_bucket', { ...histogram, le: '+Inf' })).toBe(1);
  });

  it('records a basic-model solve as optimal, and reads sessions and the solver pool at the scrape', async () => {
    const before = parse((await scrape()).text);
    expect(value(before, 'tarn_sessions')).toBe(0);
    expect(value(before, 'tarn_solves_total', { outcome: 'optimal' })).toBeUndefined();

    const session = (await t.http().post('/api/v1/session').set('Authorization', admin).send({})).body.session_id;
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', admin)
      .set('session_id', String(session))
      .send(BASIC_MODEL);
    expect(put.status).toBe(200);

    const samples = parse((await scrape()).text);
    expect(value(samples, 'tarn_solves_total', { outcome: 'optimal' })).toBe(1);
    expect(samples.filter((sample) => sample.name === 'tarn_solves_total')).toHaveLength(1);
    expect(value(samples, 'tarn_solve_duration_seconds_count', { outcome: 'optimal' })).toBe(1);
    expect(value(samples, 'tarn_solve_duration_seconds_sum', { outcome: 'optimal' })).toBeGreaterThan(0);
    expect(value(samples, 'tarn_http_requests_total', { method: 'PUT', route: '/api/v1/model', status: '200' })).toBe(
      1,
    );
    expect(value(samples, 'tarn_sessions')).toBe(1);
    expect(value(samples, 'tarn_solver_jobs', { state: 'queued' })).toBe(0);
    expect(value(samples, 'tarn_solver_jobs', { state: 'running' })).toBe(0);
    expect(value(samples, 'tarn_solver_workers')).toBe(t.config.solver.poolSize);
  });

  it('counts calls of deprecated routes by method, route pattern and version', async () => {
    const alias = await t.http().get('/sessions').set('Authorization', admin);
    expect(alias.status).toBe(200);
    expect(alias.headers.deprecation).toBeDefined();
    await t.http().get('/sessions').set('Authorization', plain.token);
    const samples = parse((await scrape()).text);
    expect(value(samples, 'tarn_deprecated_calls_total', { method: 'GET', route: '/sessions', version: 'v1' })).toBe(2);
    expect(value(samples, 'tarn_deprecated_calls_total', { route: '/api/v1/sessions' })).toBeUndefined();
  });

  it('is not an endpoint of the versioned API, nor of the OpenAPI document', async () => {
    const listing = await t.http().get('/api/v1').set('Authorization', admin);
    expect(listing.status).toBe(200);
    const paths = (listing.body.endpoints as Array<{ path: string }>).map((endpoint) => endpoint.path);
    expect(paths).toContain('/api/v1/users');
    expect(paths.filter((path) => path.includes('metrics'))).toEqual([]);
    const doc = await t.http().get('/api/docs-json');
    expect(Object.keys(doc.body.paths).filter((path) => path.includes('metrics'))).toEqual([]);
  });
});

describe('TARN_METRICS_PORT: the metrics on a port of their own', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { TARN_METRICS_PORT: '0' } });
    port = t.app.get(MetricsServer).address()!.port;
  });
  afterAll(() => t.close());

  it('binds 127.0.0.1 by default', () => {
    expect(t.config.metrics.host).toBe('127.0.0.1');
    expect(t.app.get(MetricsServer).address()!.address).toBe('127.0.0.1');
  });

  it('serves GET /metrics there without a token, counting the API port’s requests', async () => {
    expect((await t.http().get('/api')).status).toBe(200);
    const response = await get(port, '/metrics');
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parse(response.text);
    expect(value(samples, 'tarn_http_requests_total', { method: 'GET', route: '/api', status: '200' })).toBe(1);
    expect(value(samples, 'tarn_sessions')).toBe(0);
    expect(value(samples, 'tarn_solver_workers')).toBe(t.config.solver.poolSize);
  });

  it('answers other paths there with 404 and other methods with 405', async () => {
    expect((await get(port, '/')).status).toBe(404);
    expect((await get(port, '/api/v1')).status).toBe(404);
    expect((await get(port, '/metrics', 'POST')).status).toBe(405);
    expect((await get(port, '/metrics?x=1', 'HEAD')).status).toBe(200);
  });

  it('leaves no /metrics on the API port: 404, with or without an admin token', async () => {
    expect((await t.http().get('/metrics')).status).toBe(404);
    const response = await t
      .http()
      .get('/metrics')
      .set('Authorization', await t.token());
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('TARN_METRICS_PORT at shutdown', () => {
  it('closes the metrics port with the application', async () => {
    const t = await startTestApp({ env: { TARN_METRICS_PORT: '0' } });
    const port = t.app.get(MetricsServer).address()!.port;
    expect((await get(port, '/metrics')).status).toBe(200);
    await t.close();
    await expect(get(port, '/metrics')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
