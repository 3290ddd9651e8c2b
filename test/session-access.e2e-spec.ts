import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { Public } from '../src/auth/decorators/public.decorator.js';
import { checkedSession, SessionScoped } from '../src/sessions/session-route.decorator.js';
import { type ApiRoute, RouteTableService } from '../src/versioning/route-table.service.js';
import { startTestApp } from './support/test-app.js';

/**
 * Access, asserted once for every route instead of once per feature (code review §3 item 6):
 * without a token every route but the public ones is 401; a session route is 404 with another
 * account's session and lets its owner in. The routes come from the running app, so a new
 * route is covered without touching this file.
 */

// Booted while the tests are collected: Jest needs the route list to define one test per route.
const t = await startTestApp();
afterAll(() => t.close());

/** The routes that need no token: health, the API root, sign-in, the docs, the web pages. */
const PUBLIC = [
  'GET /',
  'GET /health/live',
  'GET /health/ready',
  'GET /api',
  'POST /api/requestAuthToken',
  'GET /sign-in',
  'GET /logged-in-user',
  'GET /ui/sessions',
  'GET /ui/sessions/:id',
];
/** The Swagger UI and the OpenAPI document (api/docs, api/docs-json, api/docs-yaml and their assets). */
const isDocs = (path: string) => path.startsWith('/api/docs');

const reflector = t.app.get(Reflector);
const handlerOf = (route: ApiRoute) => (route.controller.prototype as Record<string, object>)[route.handlerName];
const isPublic = (route: ApiRoute) =>
  Boolean(reflector.getAllAndOverride(Public, [handlerOf(route) as never, route.controller]));
const isSessionRoute = (route: ApiRoute) => Boolean(reflector.get(SessionScoped, handlerOf(route) as never));
/** Whether the handler takes @CurrentSession(), which only @SessionRoute's guard fills. */
const readsSession = (route: ApiRoute) => {
  const args: Record<string, { factory?: unknown }> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handlerName) ?? {};
  return Object.values(args).some((arg) => arg.factory === checkedSession);
};
const name = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

const table = t.app
  .get(RouteTableService)
  .routes()
  .sort((a, b) => name(a).localeCompare(name(b)));
const sessionRoutes = table.filter(isSessionRoute);
const otherRoutes = table.filter((route) => !isSessionRoute(route) && !isPublic(route));

/** Every route Express serves, the route table's and the rest (health, docs, web pages, metrics). */
function expressRoutes(): { method: string; path: string }[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> } };
  const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  return router.stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods)
          .filter((method) => method !== '_all')
          .map((method) => ({ method: method.toUpperCase(), path: route.path }))
      : [],
  );
}
const outsideTable = expressRoutes()
  // Wildcard routes (`{/*splat}`) are the middleware Nest mounts for every path, not handlers.
  .filter((route) => !route.path.includes('*'))
  .filter((route) => !table.some((r) => name(r) === name(route)))
  .filter((route) => !PUBLIC.includes(name(route)) && !isDocs(route.path));

describe('session access, route by route', () => {
  let alice: string;
  let bob: string;
  let aliceSession: number;
  let bobSession: number;
  let aliceRun: number;

  const newSession = async (token: string) =>
    (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id as number;

  beforeAll(async () => {
    const admin = await t.token();
    alice = (await t.createUser(admin, { email: 'alice@a.test', password: 'alice-password', account_name: 'A' })).token;
    bob = (await t.createUser(admin, { email: 'bob@b.test', password: 'bob-password', account_name: 'B' })).token;
    aliceSession = await newSession(alice);
    bobSession = await newSession(bob);
    // A run that solves nothing, for the routes of one run.
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', alice)
      .set('session_id', String(aliceSession))
      .send({ commands: ['set code /full'] });
    expect(put.status).toBe(200);
    const runs = await t
      .http()
      .get('/api/v1/session/runs')
      .set('Authorization', alice)
      .set('session_id', String(aliceSession));
    aliceRun = runs.body[0].run_id;
  });

  /** The route's path with its parameters filled: a run of the selected session, an object type, else 999999. */
  const pathOf = (route: { path: string }) =>
    route.path
      .replace(/\/runs\/:id/, () => `/runs/${aliceRun}`)
      .replace(':object_type', 'reservoir')
      .replace(/:\w+/g, '999999');
  /** A request with a minimal body: nothing that starts a solve (PUT /model gets `{}`). */
  const call = (route: { method: string; path: string }, token?: string, session?: number) => {
    const agent = t.http();
    let request = agent[route.method.toLowerCase() as 'get'](pathOf(route));
    if (token) request = request.set('Authorization', token);
    if (session !== undefined) request = request.set('session_id', String(session));
    return ['POST', 'PUT', 'PATCH'].includes(route.method) ? request.send({}) : request;
  };

  it('knows the session routes: exactly those whose handler takes @CurrentSession()', () => {
    expect(sessionRoutes.length).toBeGreaterThanOrEqual(13);
    expect(table.filter(readsSession).map(name)).toEqual(sessionRoutes.map(name));
  });

  it.each(table.filter((route) => !isPublic(route)).map(name))('%s without a token: 401', async (key) => {
    const route = table.find((r) => name(r) === key)!;
    expect((await call(route)).status).toBe(401);
  });

  it.each(outsideTable.map(name))('%s (outside the API route table) without a token: 401', async (key) => {
    const [method, path] = key.split(' ');
    expect((await call({ method, path })).status).toBe(401);
  });

  it.each(sessionRoutes.map(name))('%s with another account’s session: 404', async (key) => {
    const route = sessionRoutes.find((r) => name(r) === key)!;
    const response = await call(route, alice, bobSession);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe(`Session ${bobSession} not found`);
  });

  it.each(sessionRoutes.map(name))('%s with the caller’s own session: let in', async (key) => {
    const route = sessionRoutes.find((r) => name(r) === key)!;
    // A deletion gets a session of its own, so that the others keep theirs.
    const session = route.method === 'DELETE' ? await newSession(alice) : aliceSession;
    const response = await call(route, alice, session);
    expect([401, 403, 404]).not.toContain(response.status);
    expect(response.status).toBeLessThan(500);
  });

  it.each(otherRoutes.map(name))('%s, not a session route, does not read a session id', async (key) => {
    // A route that read the session id by hand, past the guard, would answer 422 without one.
    const route = otherRoutes.find((r) => name(r) === key)!;
    const response = await call(route, alice);
    expect(response.status).toBeLessThan(500);
    expect(JSON.stringify(response.body?.details ?? [])).not.toContain('headers.session_id');
  });

  it('leaves the public routes open', async () => {
    for (const key of PUBLIC) {
      const [method, path] = key.split(' ');
      expect({ key, status: (await call({ method, path })).status }).not.toEqual({ key, status: 401 });
    }
  });
});
