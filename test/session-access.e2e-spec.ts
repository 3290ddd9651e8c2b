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
type Route = { method: string; path: string };
const name = (route: Route) => `${route.method} ${route.path}`;
/** it.each cases, named by method and path. */
const cases = <R extends Route>(routes: R[]) => routes.map((route): [string, R] => [name(route), route]);

const table = t.app
  .get(RouteTableService)
  .routes()
  .sort((a, b) => name(a).localeCompare(name(b)));
const sessionRoutes = table.filter(isSessionRoute);
const otherRoutes = table.filter((route) => !isSessionRoute(route) && !isPublic(route));

/** Every route Express serves, the route table's and the rest (health, docs, web pages, metrics). */
function expressRoutes(): Route[] {
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

  /** The route's path with its parameters filled: a run of the selected session, an object type, else 999999. */
  const pathOf = (route: Route) =>
    route.path
      .replace(/\/runs\/:id/, () => `/runs/${aliceRun}`)
      .replace(':object_type', 'reservoir')
      .replace(/:\w+/g, '999999');
  /** A request with a minimal body: nothing that starts a solve (PUT /model gets `{}`). */
  const call = (route: Route, token?: string, session?: number, body: object = {}) => {
    const agent = t.http();
    let request = agent[route.method.toLowerCase() as 'get'](pathOf(route));
    if (token) request = request.set('Authorization', token);
    if (session !== undefined) request = request.set('session_id', String(session));
    return ['POST', 'PUT', 'PATCH'].includes(route.method) ? request.send(body) : request;
  };
  const newSession = async (token: string) =>
    (await call({ method: 'POST', path: '/api/v1/session' }, token)).body.session_id as number;

  beforeAll(async () => {
    const admin = await t.token();
    alice = (await t.createUser(admin, { email: 'alice@a.test', password: 'alice-password', account_name: 'A' })).token;
    bob = (await t.createUser(admin, { email: 'bob@b.test', password: 'bob-password', account_name: 'B' })).token;
    aliceSession = await newSession(alice);
    bobSession = await newSession(bob);
    // A run that solves nothing, for the routes of one run.
    const put = await call({ method: 'PUT', path: '/api/v1/model' }, alice, aliceSession, {
      commands: ['set code /full'],
    });
    expect(put.status).toBe(200);
    const runs = await call({ method: 'GET', path: '/api/v1/session/runs' }, alice, aliceSession);
    aliceRun = runs.body[0].run_id;
  });

  it('knows the session routes: exactly those whose handler takes @CurrentSession()', () => {
    expect(sessionRoutes.length).toBeGreaterThanOrEqual(13);
    expect(table.filter(readsSession).map(name)).toEqual(sessionRoutes.map(name));
  });

  it('lists every @Public() route of the table among the exceptions', () => {
    expect(table.filter(isPublic).map(name)).toEqual(
      table
        .filter(isPublic)
        .map(name)
        .filter((key) => PUBLIC.includes(key)),
    );
  });

  it.each(cases(table.filter((route) => !isPublic(route))))('%s without a token: 401', async (_, route) => {
    expect((await call(route)).status).toBe(401);
  });

  it.each(cases(outsideTable))('%s (outside the API route table) without a token: 401', async (_, route) => {
    expect((await call(route)).status).toBe(401);
  });

  it.each(cases(sessionRoutes))('%s with another account’s session: 404', async (_, route) => {
    const response = await call(route, alice, bobSession);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe(`Session ${bobSession} not found`);
  });

  it.each(cases(sessionRoutes))('%s with the caller’s own session: let in', async (_, route) => {
    // A deletion gets a session of its own, so that the others keep theirs.
    const session = route.method === 'DELETE' ? await newSession(alice) : aliceSession;
    const response = await call(route, alice, session);
    expect([401, 403, 404]).not.toContain(response.status);
    expect(response.status).toBeLessThan(500);
  });

  it.each(cases(otherRoutes))('%s, not a session route, does not read a session id', async (_, route) => {
    // A route that read the session id by hand, past the guard, would answer 422 without one.
    const response = await call(route, alice);
    expect(response.status).toBeLessThan(500);
    expect(JSON.stringify(response.body?.details ?? [])).not.toContain('headers.session_id');
  });

  it.each(PUBLIC)('%s, a listed exception, is served without a token', async (key) => {
    const [method, path] = key.split(' ');
    expect(expressRoutes().map(name)).toContain(key);
    expect((await call({ method, path })).status).not.toBe(401);
  });
});
