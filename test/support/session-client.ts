import type { FetchAnswer } from './fetch-client.js';
import type { Json } from './json.js';
import type { TestApp } from './test-app.js';

/** A request as a client sends it: token, JSON body and, when given, the `session_id` header. */
export type Call = (method: string, path: string, session?: number, body?: unknown) => Promise<FetchAnswer>;

/** `Call` through supertest, for a test app that does not listen. */
export function appCall(t: TestApp, token: string): Call {
  return async (method, path, session, body) => {
    const verb = method.toLowerCase() as 'get' | 'put' | 'post' | 'patch' | 'delete';
    let request = t.http()[verb](path).set('Authorization', token);
    if (session !== undefined) request = request.set('session_id', String(session));
    const response = await (body === undefined ? request : request.send(body as object));
    return {
      status: response.status,
      headers: new Headers(response.headers as Record<string, string>),
      text: response.text,
      body: response.body,
    };
  };
}

/** `/model` is `/api/v1/model`; a path under /api stays as it is. */
const apiPath = (path: string) => (path.startsWith('/api/') ? path : `/api/v1${path}`);

/**
 * One session of one user, after novu's UserSession: its requests carry the token and the
 * session id. `const s = await newSession(t, token); await s.put(model); await s.get('/model')`.
 */
export class SessionClient {
  constructor(
    readonly call: Call,
    readonly id: number,
  ) {}

  request(method: string, path: string, body?: unknown): Promise<FetchAnswer> {
    return this.call(method, apiPath(path), this.id, body);
  }
  get(path: string): Promise<FetchAnswer> {
    return this.request('GET', path);
  }
  /** `PUT /model` (`query` e.g. `?wait=false`). */
  put(body: unknown, query = ''): Promise<FetchAnswer> {
    return this.request('PUT', `/model${query}`, body);
  }
  cancel(): Promise<FetchAnswer> {
    return this.request('POST', '/session/cancel');
  }
  delete(): Promise<FetchAnswer> {
    return this.request('DELETE', '/session');
  }
  async log(): Promise<Array<{ id: number; level: string; message: string; time: string }>> {
    return (await this.get('/session/log')).body as never;
  }
  async runs(): Promise<Json[]> {
    return (await this.get('/session/runs')).body as Json[];
  }
  /** The objective's results (`average_objective`). */
  async objective(): Promise<Json> {
    return (await this.get('/model?isInput=false&isOutput=true&objectType=objective')).body.model.objective
      .average_objective;
  }
}

/** Creates a session (`POST /api/v1/session` with `body`) through a test app and a token, or a `Call`. */
export async function newSession(target: TestApp | Call, token?: string, body: object = {}): Promise<SessionClient> {
  const call = typeof target === 'function' ? target : appCall(target, token!);
  const created = await call('POST', '/api/v1/session', undefined, body);
  if (typeof created.body.session_id !== 'number') {
    throw new Error(`POST /api/v1/session: ${created.status} ${created.text}`);
  }
  return new SessionClient(call, created.body.session_id as number);
}
