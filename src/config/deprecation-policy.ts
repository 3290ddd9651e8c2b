/**
 * Deprecation and sunset policies (RFC 9745 / RFC 8594), as pure data and functions,
 * so that the response headers, the 410 answer, the OpenAPI marks and the /api
 * listing are all computed from the same object.
 */

export const LINK_RELATIONS = ['deprecation', 'successor-version', 'latest-version', 'alternate', 'sunset'] as const;
export type LinkRelation = (typeof LINK_RELATIONS)[number];
export type PolicyLinks = Partial<Record<LinkRelation, string>>;

export interface DeprecationPolicy {
  deprecation: Date;
  sunset?: Date;
  links: PolicyLinks;
}

export const ROOT_ALIASES_TARGET = 'root-aliases';
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * A policy attached by configuration. `target` is one of:
 * - a version: `v1`
 * - a controller, by its mounted base path: `/api/v1/users` (or a root alias such as `/session`)
 * - a route: `GET /api/v1/users/:id` (`{id}` is accepted too)
 * - `root-aliases`: replaces the default policy of every root SHOP Server alias
 */
export interface PolicyRule extends DeprecationPolicy {
  target: string;
}

export type PolicyTargetKind = 'version' | 'controller' | 'route' | 'root-aliases';

export function targetKind(target: string): PolicyTargetKind | undefined {
  if (target === ROOT_ALIASES_TARGET) return 'root-aliases';
  if (/^v\d+$/.test(target)) return 'version';
  if (/^\/[^\s]*$/.test(target)) return 'controller';
  const [method, path, ...rest] = target.split(' ');
  if (rest.length === 0 && (HTTP_METHODS as readonly string[]).includes(method) && path?.startsWith('/')) {
    return 'route';
  }
  return undefined;
}

/** `/users/{id}/` -> `/users/:id` */
export function normalizePath(path: string): string {
  const withColons = path.replace(/\{([^}]+)\}/g, ':$1');
  const trimmed = withColons.length > 1 ? withColons.replace(/\/+$/, '') : withColons;
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function normalizeTarget(target: string): string {
  const kind = targetKind(target);
  if (kind === 'controller') return normalizePath(target);
  if (kind === 'route') {
    const [method, path] = target.split(' ');
    return `${method} ${normalizePath(path)}`;
  }
  return target;
}

function parseDate(value: unknown, where: string): Date {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new Error(`${where} must be a date (ISO 8601, e.g. 2027-01-31)`);
  }
  return date;
}

/** Validates a policy (deprecation date, optional sunset not before it, known link relations). */
export function parsePolicy(input: unknown, where: string): DeprecationPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error(`${where} must be an object`);
  }
  const raw = input as Record<string, unknown>;
  const deprecation = parseDate(raw.deprecation, `${where}.deprecation`);
  const sunset = raw.sunset === undefined ? undefined : parseDate(raw.sunset, `${where}.sunset`);
  if (sunset && sunset < deprecation) {
    throw new Error(`${where}.sunset must not be before ${where}.deprecation`);
  }
  const links: PolicyLinks = {};
  if (raw.links !== undefined) {
    if (typeof raw.links !== 'object' || raw.links === null || Array.isArray(raw.links)) {
      throw new Error(`${where}.links must be an object`);
    }
    for (const [rel, url] of Object.entries(raw.links)) {
      if (!(LINK_RELATIONS as readonly string[]).includes(rel)) {
        throw new Error(`${where}.links.${rel} is not one of ${LINK_RELATIONS.join(', ')}`);
      }
      if (typeof url !== 'string' || !/^(https?:\/\/|\/)\S*$/.test(url)) {
        throw new Error(`${where}.links.${rel} must be an http(s) URL or an absolute path`);
      }
      links[rel as LinkRelation] = url;
    }
  }
  return { deprecation, sunset, links };
}

/** Parses the JSON list of policy rules given by configuration. */
export function parsePolicyRules(json: string, source: string): PolicyRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new Error(`${source} must be a JSON array of policies`);
  return parsed.map((entry: unknown, index) => {
    const where = `${source}[${index}]`;
    const target = (entry as { target?: unknown } | null)?.target;
    if (typeof target !== 'string' || !targetKind(target)) {
      throw new Error(
        `${where}.target must be a version (v1), a controller path (/api/v1/users), ` +
          `a route (GET /api/v1/users/:id) or "${ROOT_ALIASES_TARGET}"`,
      );
    }
    return { target: normalizeTarget(target), ...parsePolicy(entry, where) };
  });
}

/** What the policy lookup needs to know about one mounted route. */
export interface RouteInfo {
  method: string;
  /** The mounted path pattern, e.g. `/session` or `/api/v1/users/:id`. */
  path: string;
  /** The mounted base path of its controller, e.g. `/session` or `/api/v1/users`. */
  controllerPath: string;
  version: string;
  isRootAlias: boolean;
  /** For a root alias: its `/api/v1/...` twin. */
  canonicalPath?: string;
  /** A policy declared in code with `@Deprecated()`; configuration overrides it. */
  codePolicy?: DeprecationPolicy;
}

/** The default for root aliases: deprecated since a configured date, the /api/v1 twin as successor. */
export interface RootAliasDefaults {
  deprecation: Date;
  sunset?: Date;
  deprecationLink?: string;
}

export interface PolicySettings {
  rules: PolicyRule[];
  rootAlias: RootAliasDefaults;
}

/**
 * The policy in force for a route, most specific first:
 * route rule > controller rule > `@Deprecated()` in code > root-alias default > version rule.
 */
export function resolvePolicy(route: RouteInfo, settings: PolicySettings): DeprecationPolicy | undefined {
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  const find = (target: string) => settings.rules.find((rule) => rule.target === target);
  const found =
    find(`${method} ${normalizePath(route.path)}`) ??
    find(normalizePath(route.controllerPath)) ??
    route.codePolicy ??
    (route.isRootAlias ? (find(ROOT_ALIASES_TARGET) ?? rootAliasPolicy(settings.rootAlias)) : undefined) ??
    find(route.version);
  if (!found) return undefined;
  const policy: DeprecationPolicy = {
    deprecation: found.deprecation,
    sunset: found.sunset,
    links: { ...found.links },
  };
  if (route.isRootAlias && route.canonicalPath && !policy.links['successor-version']) {
    policy.links['successor-version'] = route.canonicalPath;
  }
  return policy;
}

function rootAliasPolicy(defaults: RootAliasDefaults): DeprecationPolicy {
  return {
    deprecation: defaults.deprecation,
    sunset: defaults.sunset,
    links: defaults.deprecationLink ? { deprecation: defaults.deprecationLink } : {},
  };
}

/**
 * A policy's links for one request: route parameters in them (`/api/v1/model/:object_type/...`)
 * are filled in with the request's own values, URL-encoded.
 */
export function withRequestParams(
  policy: DeprecationPolicy,
  params: Record<string, string | string[] | undefined>,
): DeprecationPolicy {
  const fill = (url: string) =>
    url.replace(/\/:([A-Za-z_][A-Za-z0-9_]*)/g, (segment, name: string) => {
      const value = Object.hasOwn(params, name) ? params[name] : undefined;
      return typeof value === 'string' ? `/${encodeURIComponent(value)}` : segment;
    });
  const links: PolicyLinks = {};
  for (const [rel, url] of Object.entries(policy.links) as Array<[LinkRelation, string]>) links[rel] = fill(url);
  return { ...policy, links };
}

/**
 * Whether a deprecated route answers 410 now. `sunsetActive` is TARN_API_SUNSET_ACTIVE:
 * true turns every deprecated route off at once (a blackout test), false rolls a passed
 * sunset back, unset means "after the sunset date".
 */
export function isSunset(policy: DeprecationPolicy, now: Date, sunsetActive: boolean | undefined): boolean {
  if (sunsetActive !== undefined) return sunsetActive;
  return policy.sunset !== undefined && now.getTime() >= policy.sunset.getTime();
}

export type DeprecationHeaderFormat = 'imf-fixdate' | 'rfc9745';

/** The Deprecation, Sunset and Link headers for a policy. */
export function deprecationHeaders(policy: DeprecationPolicy, format: DeprecationHeaderFormat): Record<string, string> {
  const headers: Record<string, string> = {
    Deprecation:
      format === 'rfc9745' ? `@${Math.floor(policy.deprecation.getTime() / 1000)}` : policy.deprecation.toUTCString(),
  };
  if (policy.sunset) headers.Sunset = policy.sunset.toUTCString();
  const link = linkHeader(policy.links);
  if (link) headers.Link = link;
  return headers;
}

export function linkHeader(links: PolicyLinks): string {
  return LINK_RELATIONS.filter((rel) => links[rel])
    .map(
      (rel) => `<${links[rel]}>; rel="${rel}"${rel === 'deprecation' || rel === 'sunset' ? '; type="text/html"' : ''}`,
    )
    .join(', ');
}
