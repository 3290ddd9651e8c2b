import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service.js';

const stats = { workers: 3, ready: 3, busy: 2, queued: 5, replaced: 0, sharedModule: true };
type WaitingRow = { account: string; waiting: string };
/** A database with `count` sessions, and `waiting` runs by account (as PostgreSQL answers a count: text). */
const database = (count: () => Promise<number>, waiting: () => Promise<WaitingRow[]> = async () => []) =>
  ({ getRepository: () => ({ count }), query: waiting }) as unknown as DataSource;

/** The sample lines of one metric family. */
const lines = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe(MetricsService.name, () => {
  it('records HTTP answers by method, route and status, with their durations', async () => {
    const metrics = new MetricsService();
    metrics.observeHttp('GET', '/api/v1/users/:id', 200, 0.02);
    metrics.observeHttp('GET', '/api/v1/users/:id', 200, 0.2);
    metrics.observeHttp('GET', 'unmatched', 404, 0.001);
    const text = await metrics.metrics();
    expect(lines(text, 'tarn_http_requests_total')).toEqual([
      'tarn_http_requests_total{method="GET",route="/api/v1/users/:id",status="200"} 2',
      'tarn_http_requests_total{method="GET",route="unmatched",status="404"} 1',
    ]);
    expect(lines(text, 'tarn_http_request_duration_seconds_count')).toEqual([
      'tarn_http_request_duration_seconds_count{method="GET",route="/api/v1/users/:id",status="200"} 2',
      'tarn_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1',
    ]);
    expect(text).toContain(
      'tarn_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/v1/users/:id",status="200"} 1',
    );
  });

  it('records solves by outcome and deprecated calls by method, route and version', async () => {
    const metrics = new MetricsService();
    metrics.observeSolve('optimal', 0.4);
    metrics.observeSolve('infeasible', 1.5);
    metrics.observeSolve('optimal', 0.6);
    metrics.countDeprecatedCall('GET', '/sessions', 'v1');
    const text = await metrics.metrics();
    expect(lines(text, 'tarn_solves_total')).toEqual([
      'tarn_solves_total{outcome="optimal"} 2',
      'tarn_solves_total{outcome="infeasible"} 1',
    ]);
    expect(lines(text, 'tarn_solve_duration_seconds_sum')).toEqual([
      'tarn_solve_duration_seconds_sum{outcome="optimal"} 1',
      'tarn_solve_duration_seconds_sum{outcome="infeasible"} 1.5',
    ]);
    expect(lines(text, 'tarn_deprecated_calls_total')).toEqual([
      'tarn_deprecated_calls_total{method="GET",route="/sessions",version="v1"} 1',
    ]);
  });

  it('keeps its counts in its own registry: two services do not share them', async () => {
    const one = new MetricsService();
    const two = new MetricsService();
    one.observeSolve('optimal', 1);
    expect(lines(await one.metrics(), 'tarn_solves_total')).toEqual(['tarn_solves_total{outcome="optimal"} 1']);
    expect(lines(await two.metrics(), 'tarn_solves_total')).toEqual([]);
  });

  it('adds the process metrics of Node, prefixed tarn_, and answers in Prometheus text format', async () => {
    const metrics = new MetricsService();
    const text = await metrics.metrics();
    expect(text).toContain('# TYPE tarn_process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE tarn_nodejs_eventloop_lag_seconds gauge');
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('reads the sessions and the solver pool at each scrape', async () => {
    let sessions = 4;
    const metrics = new MetricsService(database(async () => sessions));
    metrics.observeSolverPool(() => stats);
    let text = await metrics.metrics();
    expect(lines(text, 'tarn_sessions')).toEqual(['tarn_sessions 4']);
    expect(lines(text, 'tarn_solver_jobs')).toEqual([
      'tarn_solver_jobs{state="queued"} 5',
      'tarn_solver_jobs{state="running"} 2',
    ]);
    expect(lines(text, 'tarn_solver_workers')).toEqual(['tarn_solver_workers 3']);
    sessions = 1;
    text = await metrics.metrics();
    expect(lines(text, 'tarn_sessions')).toEqual(['tarn_sessions 1']);
  });

  it('reports tarn_sessions as NaN while the database does not answer, and answers the rest', async () => {
    let up = true;
    const metrics = new MetricsService(
      database(async () => {
        if (!up) throw new Error('connection refused');
        return 2;
      }),
    );
    expect(lines(await metrics.metrics(), 'tarn_sessions')).toEqual(['tarn_sessions 2']);
    up = false;
    const text = await metrics.metrics();
    expect(lines(text, 'tarn_sessions')).toEqual(['tarn_sessions Nan']); // prom-client's spelling of NaN
    expect(text).toContain('# TYPE tarn_http_requests_total counter');
  });

  it('reads the waiting runs by account at each scrape; an account without waiting runs has no series', async () => {
    let waiting: WaitingRow[] = [
      { account: 'Vannkraft AS', waiting: '3' },
      { account: 'B', waiting: '1' },
    ];
    const metrics = new MetricsService(
      database(
        async () => 2,
        async () => waiting,
      ),
    );
    let text = await metrics.metrics();
    expect(text).toContain('# TYPE tarn_runs_waiting gauge');
    expect(lines(text, 'tarn_runs_waiting')).toEqual([
      'tarn_runs_waiting{account="Vannkraft AS"} 3',
      'tarn_runs_waiting{account="B"} 1',
    ]);
    waiting = [{ account: 'B', waiting: '2' }];
    text = await metrics.metrics();
    expect(lines(text, 'tarn_runs_waiting')).toEqual(['tarn_runs_waiting{account="B"} 2']);
    waiting = [];
    expect(lines(await metrics.metrics(), 'tarn_runs_waiting')).toEqual([]);
  });

  it('has no tarn_runs_waiting series while the database does not answer, and answers the rest', async () => {
    let up = true;
    const metrics = new MetricsService(
      database(
        async () => 1,
        async () => {
          if (!up) throw new Error('connection refused');
          return [{ account: 'A', waiting: '1' }];
        },
      ),
    );
    expect(lines(await metrics.metrics(), 'tarn_runs_waiting')).toEqual(['tarn_runs_waiting{account="A"} 1']);
    up = false;
    const text = await metrics.metrics();
    expect(lines(text, 'tarn_runs_waiting')).toEqual([]);
    expect(lines(text, 'tarn_sessions')).toEqual(['tarn_sessions 1']);
  });

  it('has no session or pool gauges without a database or a pool', async () => {
    const text = await new MetricsService().metrics();
    expect(text).not.toContain('tarn_sessions');
    expect(text).not.toContain('tarn_runs_waiting');
    expect(text).not.toContain('tarn_solver_');
  });
});
