import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import type { Json } from './json.js';
import type { TestApp } from './test-app.js';

/** A file of test/fixtures, as text. */
export const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

export interface Uploaded {
  session: number;
  /** GET /model's body: time, model, connections. */
  body: Json;
  /** The session log after the uploads. */
  log: Json[];
}

/**
 * A new session with the SHOP YAML documents uploaded in turn (each must answer 200), then
 * `GET /model` and the session log. The session is deleted afterwards (the server holds only so
 * many) unless `keep` is set.
 */
export async function uploadYaml(
  t: TestApp,
  token: string,
  documents: string[],
  { keep = false }: { keep?: boolean } = {},
): Promise<Uploaded> {
  const session: number = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
  const inSession = (request: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    request.set('Authorization', token).set('session_id', String(session));
  for (const document of documents) {
    const put = await inSession(t.http().put('/api/v1/model')).set('Content-Type', 'application/yaml').send(document);
    expect(put.status).toBe(200);
  }
  const body = (await inSession(t.http().get('/api/v1/model'))).body as Json;
  const log = (await inSession(t.http().get('/api/v1/session/log'))).body as Json[];
  if (!keep) await inSession(t.http().delete('/api/v1/session'));
  return { session, body, log };
}

/**
 * A series' value at each step start (ms): the last point at or before it, SHOP's step
 * semantics; a bare number is a constant, a missing series the fallback.
 */
export function atSteps(series: Json | number | undefined, starts: number[], fallback = 0): number[] {
  if (series === undefined || series === null) return starts.map(() => fallback);
  if (typeof series === 'number') return starts.map(() => series);
  const times = (series.timestamps as string[]).map(Date.parse);
  return starts.map((time) => {
    let i = -1;
    while (i + 1 < times.length && times[i + 1] <= time) i++;
    return i < 0 ? fallback : series.values[0][i];
  });
}

/**
 * Linear interpolation in a table (x ascending). Outside it: held at the end values (`clamp`)
 * or continued along the end segments (`extrapolate`). Written out here, not taken from the
 * solver, so that the tests recompute what they check.
 */
export function interpolate(x: number[], y: number[], at: number, outside: 'clamp' | 'extrapolate'): number {
  const n = x.length - 1;
  if (n === 0) return y[0];
  if (outside === 'clamp' && at <= x[0]) return y[0];
  if (outside === 'clamp' && at >= x[n]) return y[n];
  let i = 0;
  while (i < n - 1 && x[i + 1] < at) i++;
  return y[i] + ((y[i + 1] - y[i]) * (at - x[i])) / (x[i + 1] - x[i]);
}
