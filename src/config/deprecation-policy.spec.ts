import { describe, expect, it } from '@jest/globals';
import {
  type DeprecationPolicy,
  type PolicyRule,
  type PolicySettings,
  type RouteInfo,
  deprecationHeaders,
  isSunset,
  linkHeader,
  normalizePath,
  parsePolicy,
  parsePolicyRules,
  resolvePolicy,
  targetKind,
  withRequestParams,
} from './deprecation-policy.js';

const date = (iso: string) => new Date(iso);

describe('targetKind', () => {
  it.each([
    ['root-aliases', 'root-aliases'],
    ['v1', 'version'],
    ['v12', 'version'],
    ['/api/v1/users', 'controller'],
    ['/session', 'controller'],
    ['GET /api/v1/users/:id', 'route'],
    ['DELETE /api/v1/users/{id}', 'route'],
  ])('%j is a %s target', (target, kind) => {
    expect(targetKind(target)).toBe(kind);
  });

  it.each(['', 'v', 'version1', 'api/v1/users', 'get /api/v1/users', 'HEAD /x', 'GET users', 'GET /a b', '/a b'])(
    'rejects %j',
    (target) => {
      expect(targetKind(target)).toBeUndefined();
    },
  );
});

describe('normalizePath', () => {
  it('turns {id} into :id', () => {
    expect(normalizePath('/users/{id}')).toBe('/users/:id');
    expect(normalizePath('/a/{x}/b/{y}')).toBe('/a/:x/b/:y');
  });

  it('drops trailing slashes', () => {
    expect(normalizePath('/users/{id}/')).toBe('/users/:id');
    expect(normalizePath('/users//')).toBe('/users');
  });

  it('keeps the root path and adds a missing leading slash', () => {
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('users')).toBe('/users');
  });
});

describe('parsePolicy', () => {
  it('parses dates and links', () => {
    expect(
      parsePolicy(
        { deprecation: '2026-01-01', sunset: '2027-01-01', links: { deprecation: 'https://example.com/d' } },
        'p',
      ),
    ).toEqual({
      deprecation: date('2026-01-01'),
      sunset: date('2027-01-01'),
      links: { deprecation: 'https://example.com/d' },
    });
  });

  it('leaves the sunset undefined and the links empty when not given', () => {
    expect(parsePolicy({ deprecation: '2026-01-01' }, 'p')).toEqual({
      deprecation: date('2026-01-01'),
      sunset: undefined,
      links: {},
    });
  });

  it('accepts a sunset on the deprecation date', () => {
    expect(parsePolicy({ deprecation: '2026-01-01', sunset: '2026-01-01' }, 'p').sunset).toEqual(date('2026-01-01'));
  });

  it.each([
    ['not an object', 'x', 'p must be an object'],
    ['null', null, 'p must be an object'],
    ['an array', [], 'p must be an object'],
    ['no deprecation', {}, 'p.deprecation must be a date (ISO 8601, e.g. 2027-01-31)'],
    ['a bad deprecation', { deprecation: 'soon' }, 'p.deprecation must be a date'],
    ['a bad sunset', { deprecation: '2026-01-01', sunset: 'later' }, 'p.sunset must be a date'],
    [
      'a sunset before the deprecation',
      { deprecation: '2026-01-01', sunset: '2025-01-01' },
      'p.sunset must not be before p.deprecation',
    ],
    ['links that are not an object', { deprecation: '2026-01-01', links: [] }, 'p.links must be an object'],
    [
      'an unknown link relation',
      { deprecation: '2026-01-01', links: { next: '/x' } },
      'p.links.next is not one of deprecation, successor-version, latest-version, alternate, sunset',
    ],
    [
      'a relative link',
      { deprecation: '2026-01-01', links: { alternate: 'docs/x' } },
      'p.links.alternate must be an http(s) URL or an absolute path',
    ],
    [
      'a link that is not a string',
      { deprecation: '2026-01-01', links: { alternate: 5 } },
      'p.links.alternate must be an http(s) URL or an absolute path',
    ],
  ])('rejects %s', (_what, input, message) => {
    expect(() => parsePolicy(input, 'p')).toThrow(message);
  });
});

describe('parsePolicyRules', () => {
  it('parses a JSON array, normalizing controller and route targets', () => {
    const rules = parsePolicyRules(
      JSON.stringify([
        { target: 'v1', deprecation: '2026-01-01' },
        { target: '/api/v1/users/', deprecation: '2026-02-01' },
        { target: 'GET /api/v1/users/{id}', deprecation: '2026-03-01' },
        { target: 'root-aliases', deprecation: '2026-04-01' },
      ]),
      'SRC',
    );
    expect(rules.map((rule) => rule.target)).toEqual(['v1', '/api/v1/users', 'GET /api/v1/users/:id', 'root-aliases']);
    expect(rules[2].deprecation).toEqual(date('2026-03-01'));
  });

  it('names the source when the JSON is invalid', () => {
    expect(() => parsePolicyRules('{nope', 'SRC')).toThrow(/^SRC is not valid JSON: /);
  });

  it('needs an array', () => {
    expect(() => parsePolicyRules('{}', 'SRC')).toThrow('SRC must be a JSON array of policies');
  });

  it('names the index of an entry with a bad target', () => {
    expect(() =>
      parsePolicyRules(JSON.stringify([{ target: 'v1', deprecation: '2026-01-01' }, { target: 'users' }]), 'SRC'),
    ).toThrow('SRC[1].target must be a version (v1), a controller path (/api/v1/users), a route');
  });

  it('rejects an entry without a target, or a null entry', () => {
    expect(() => parsePolicyRules('[{"deprecation":"2026-01-01"}]', 'SRC')).toThrow('SRC[0].target');
    expect(() => parsePolicyRules('[null]', 'SRC')).toThrow('SRC[0].target');
  });

  it('names the index of an entry with a bad policy', () => {
    expect(() => parsePolicyRules('[{"target":"v1","deprecation":"x"}]', 'SRC')).toThrow(
      'SRC[0].deprecation must be a date',
    );
  });
});

describe('resolvePolicy', () => {
  const rule = (target: string, deprecation: string, links = {}): PolicyRule => ({
    target,
    deprecation: date(deprecation),
    links,
  });
  const route = (overrides: Partial<RouteInfo> = {}): RouteInfo => ({
    method: 'GET',
    path: '/api/v1/users/:id',
    controllerPath: '/api/v1/users',
    version: 'v1',
    isRootAlias: false,
    ...overrides,
  });
  const settings = (rules: PolicyRule[]): PolicySettings => ({
    rules,
    rootAlias: { deprecation: date('2026-11-01T00:00:00Z') },
  });
  const codePolicy: DeprecationPolicy = { deprecation: date('2025-05-05'), links: {} };

  const allRules = [
    rule('v1', '2025-01-01'),
    rule('root-aliases', '2025-02-02'),
    rule('/api/v1/users', '2025-03-03'),
    rule('GET /api/v1/users/:id', '2025-04-04'),
  ];

  it('is undefined for a route no rule or code mentions', () => {
    expect(resolvePolicy(route(), settings([rule('v2', '2025-01-01')]))).toBeUndefined();
  });

  it('a route rule wins over everything else', () => {
    expect(resolvePolicy(route({ codePolicy }), settings(allRules))?.deprecation).toEqual(date('2025-04-04'));
  });

  it('a route rule matches the path with a trailing slash or {param}', () => {
    expect(resolvePolicy(route({ path: '/api/v1/users/{id}/' }), settings(allRules))?.deprecation).toEqual(
      date('2025-04-04'),
    );
  });

  it('a route rule only matches its own method', () => {
    expect(resolvePolicy(route({ method: 'DELETE' }), settings(allRules))?.deprecation).toEqual(date('2025-03-03'));
  });

  it('a controller rule wins over code, root-alias and version', () => {
    const rules = allRules.filter((r) => !r.target.startsWith('GET '));
    expect(resolvePolicy(route({ codePolicy }), settings(rules))?.deprecation).toEqual(date('2025-03-03'));
  });

  it('a code policy wins over the root-alias default and the version rule', () => {
    const rules = [rule('v1', '2025-01-01')];
    expect(resolvePolicy(route({ codePolicy }), settings(rules))?.deprecation).toEqual(date('2025-05-05'));
    expect(
      resolvePolicy(route({ codePolicy, isRootAlias: true, controllerPath: '/session' }), settings(rules))?.deprecation,
    ).toEqual(date('2025-05-05'));
  });

  it('a version rule applies when nothing more specific does', () => {
    expect(resolvePolicy(route(), settings([rule('v1', '2025-01-01')]))?.deprecation).toEqual(date('2025-01-01'));
  });

  describe('root aliases', () => {
    const alias = route({
      path: '/session',
      controllerPath: '/session',
      isRootAlias: true,
      canonicalPath: '/api/v1/session',
    });

    it('get the root-alias default, with the /api/v1 twin as successor, over a version rule', () => {
      expect(resolvePolicy(alias, settings([rule('v1', '2025-01-01')]))).toEqual({
        deprecation: date('2026-11-01T00:00:00Z'),
        sunset: undefined,
        links: { 'successor-version': '/api/v1/session' },
      });
    });

    it('the default carries the sunset and the deprecation link', () => {
      const policy = resolvePolicy(alias, {
        rules: [],
        rootAlias: {
          deprecation: date('2026-11-01'),
          sunset: date('2027-11-01'),
          deprecationLink: 'https://example.com/root-aliases',
        },
      });
      expect(policy).toEqual({
        deprecation: date('2026-11-01'),
        sunset: date('2027-11-01'),
        links: { deprecation: 'https://example.com/root-aliases', 'successor-version': '/api/v1/session' },
      });
    });

    it('a "root-aliases" rule replaces the default', () => {
      expect(resolvePolicy(alias, settings([rule('root-aliases', '2025-02-02')]))?.deprecation).toEqual(
        date('2025-02-02'),
      );
    });

    it('keep a successor-version link given by the rule', () => {
      const policy = resolvePolicy(
        alias,
        settings([rule('root-aliases', '2025-02-02', { 'successor-version': '/api/v2/session' })]),
      );
      expect(policy?.links['successor-version']).toBe('/api/v2/session');
    });

    it('do not change the rule they were resolved from', () => {
      const rules = [rule('/session', '2025-02-02')];
      resolvePolicy(alias, settings(rules));
      expect(rules[0].links).toEqual({});
    });

    it('get no successor link when they have no canonical path', () => {
      expect(resolvePolicy({ ...alias, canonicalPath: undefined }, settings([]))?.links).toEqual({});
    });

    it('a non-alias route gets no successor link from its canonical path', () => {
      expect(
        resolvePolicy(route({ canonicalPath: '/api/v2/users/:id' }), settings([rule('v1', '2025-01-01')]))?.links,
      ).toEqual({});
    });
  });

  it('treats HEAD as GET', () => {
    expect(resolvePolicy(route({ method: 'HEAD' }), settings(allRules))?.deprecation).toEqual(date('2025-04-04'));
  });
});

describe('isSunset', () => {
  const policy: DeprecationPolicy = { deprecation: date('2026-01-01'), sunset: date('2027-01-01'), links: {} };
  const noSunset: DeprecationPolicy = { deprecation: date('2026-01-01'), links: {} };

  describe('with TARN_API_SUNSET_ACTIVE unset', () => {
    it('is false before the sunset date', () => {
      expect(isSunset(policy, date('2026-12-31T23:59:59Z'), undefined)).toBe(false);
    });

    it('is true on and after the sunset date', () => {
      expect(isSunset(policy, date('2027-01-01'), undefined)).toBe(true);
      expect(isSunset(policy, date('2030-01-01'), undefined)).toBe(true);
    });

    it('is false without a sunset date', () => {
      expect(isSunset(noSunset, date('2100-01-01'), undefined)).toBe(false);
    });
  });

  it('true turns every deprecated route off, even without a sunset date', () => {
    expect(isSunset(noSunset, date('2020-01-01'), true)).toBe(true);
    expect(isSunset(policy, date('2020-01-01'), true)).toBe(true);
  });

  it('false keeps a route on even after its sunset', () => {
    expect(isSunset(policy, date('2030-01-01'), false)).toBe(false);
  });
});

describe('deprecationHeaders', () => {
  const deprecation = date('2026-11-01T00:00:00Z');

  it('writes Deprecation as an IMF-fixdate', () => {
    expect(deprecationHeaders({ deprecation, links: {} }, 'imf-fixdate')).toEqual({
      Deprecation: 'Sun, 01 Nov 2026 00:00:00 GMT',
    });
  });

  it('writes Deprecation as an RFC 9745 structured date', () => {
    expect(deprecationHeaders({ deprecation, links: {} }, 'rfc9745')).toEqual({ Deprecation: '@1793491200' });
  });

  it('drops the milliseconds in the RFC 9745 format', () => {
    expect(
      deprecationHeaders({ deprecation: date('2026-11-01T00:00:00.999Z'), links: {} }, 'rfc9745').Deprecation,
    ).toBe('@1793491200');
  });

  it('adds Sunset (as an HTTP date in both formats) only with a sunset date', () => {
    const sunset = date('2027-05-01T12:00:00Z');
    expect(deprecationHeaders({ deprecation, sunset, links: {} }, 'imf-fixdate').Sunset).toBe(
      'Sat, 01 May 2027 12:00:00 GMT',
    );
    expect(deprecationHeaders({ deprecation, sunset, links: {} }, 'rfc9745').Sunset).toBe(
      'Sat, 01 May 2027 12:00:00 GMT',
    );
    expect(deprecationHeaders({ deprecation, links: {} }, 'imf-fixdate')).not.toHaveProperty('Sunset');
  });

  it('adds a Link header for the successor', () => {
    expect(
      deprecationHeaders({ deprecation, links: { 'successor-version': '/api/v1/session' } }, 'imf-fixdate').Link,
    ).toBe('</api/v1/session>; rel="successor-version"');
  });

  it('has no Link header without links', () => {
    expect(deprecationHeaders({ deprecation, links: {} }, 'imf-fixdate')).not.toHaveProperty('Link');
  });
});

describe('linkHeader', () => {
  it('marks deprecation and sunset links as HTML documents', () => {
    expect(linkHeader({ deprecation: 'https://example.com/d' })).toBe(
      '<https://example.com/d>; rel="deprecation"; type="text/html"',
    );
    expect(linkHeader({ sunset: '/docs/sunset' })).toBe('</docs/sunset>; rel="sunset"; type="text/html"');
  });

  it('lists several links in a fixed order, comma-separated', () => {
    expect(linkHeader({ 'successor-version': '/api/v1/session', deprecation: '/docs/d', alternate: '/alt' })).toBe(
      '</docs/d>; rel="deprecation"; type="text/html", </api/v1/session>; rel="successor-version", </alt>; rel="alternate"',
    );
  });

  it('is empty without links', () => {
    expect(linkHeader({})).toBe('');
  });
});

describe('withRequestParams', () => {
  it("fills a link's route parameters with the request's own, encoded, and leaves others alone", () => {
    const policy = {
      deprecation: new Date('2026-11-01T00:00:00Z'),
      links: { 'successor-version': '/api/v1/model/:object_type/information', deprecation: '/docs/:missing' },
    };
    const filled = withRequestParams(policy, { object_type: 'a>b' });
    expect(filled.links['successor-version']).toBe('/api/v1/model/a%3Eb/information');
    expect(filled.links.deprecation).toBe('/docs/:missing');
    expect(policy.links['successor-version']).toBe('/api/v1/model/:object_type/information');
  });
});
