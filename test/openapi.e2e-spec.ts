import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

/**
 * The OpenAPI document (`/api/docs-json`) that SDK generators and API gateways read: clean under
 * Redocly's recommended rules, errors and warnings alike, and true about which operations are
 * public.
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: Json;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/api/docs-json')).body as Json;
  });
  afterAll(() => t.close());

  it("lints clean with Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: '/api/docs-json',
      config,
    });
    const described = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`,
    );
    expect(described).toEqual([]);
  });

  it('marks as public (security: []) only operations that answer without a token', async () => {
    const publicGets = Object.entries(document.paths as Record<string, Record<string, Json>>)
      .filter(([path, item]) => item.get && (item.get.security as unknown[]).length === 0 && !path.includes('{'))
      .map(([path]) => path);
    expect(publicGets).toEqual(expect.arrayContaining(['/', '/api', '/health/live']));
    for (const path of publicGets) {
      expect({ path, status: (await t.http().get(path)).status }).not.toEqual({ path, status: 401 });
    }
    const post = (document.paths as Record<string, Record<string, Json>>)['/api/requestAuthToken'].post;
    expect(post.security).toEqual([]);
  });
});
