/**
 * The SHOP Server root paths pyshop's REST mode calls (pyshop-compat §3.1): the only paths where a
 * request without credentials may act as the compatibility user, and where Basic credentials are
 * taken. Exact paths: a `:param` is one path segment; no prefix matching, no trailing slash, case
 * as written.
 */
export const SHOP_SERVER_ROUTES: ReadonlyArray<readonly [method: string, path: string]> = [
  ['POST', '/session'],
  ['GET', '/session'],
  ['DELETE', '/session'],
  ['GET', '/sessions'],
  ['POST', '/session/cancel'],
  ['PUT', '/model'],
  ['GET', '/model'],
  ['GET', '/model/information'],
  ['GET', '/model/:object_type/information'],
  ['GET', '/time_resolution'],
  ['POST', '/logging/endpoint'],
  ['GET', '/internal'],
  ['POST', '/internal/:name'],
];

const PATTERNS = SHOP_SERVER_ROUTES.map(
  ([method, path]) => [method, new RegExp(`^${path.replace(/:[a-z_]+/g, '[^/]+')}$`)] as const,
);

/**
 * Whether `method path` is a SHOP Server root path. `path` is a request's path (`req.path`,
 * without the query) or a mounted route pattern (`/internal/:name` matches as one segment too).
 */
export function isShopServerPath(method: string, path: string): boolean {
  return PATTERNS.some(([m, pattern]) => m === method && pattern.test(path));
}
