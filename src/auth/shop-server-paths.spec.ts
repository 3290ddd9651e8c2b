import { describe, expect, it } from '@jest/globals';
import { isShopServerPath } from './shop-server-paths.js';

describe('isShopServerPath', () => {
  it.each([
    ['POST', '/session'],
    ['GET', '/session'],
    ['DELETE', '/session'],
    ['GET', '/sessions'],
    ['POST', '/session/cancel'],
    ['PUT', '/model'],
    ['GET', '/model'],
    ['GET', '/model/information'],
    ['GET', '/model/reservoir/information'],
    ['GET', '/model/:object_type/information'],
    ['GET', '/time_resolution'],
    ['POST', '/logging/endpoint'],
    ['GET', '/internal'],
    ['POST', '/internal/GetObjectTypeNames'],
    ['POST', '/internal/:name'],
  ])('takes %s %s', (method, path) => {
    expect(isShopServerPath(method, path)).toBe(true);
  });

  it.each([
    ['PUT', '/session'],
    ['HEAD', '/session'],
    ['GET', '/session/'],
    ['GET', '/SESSION'],
    ['GET', '/session/log'],
    ['GET', '/session/runs'],
    ['GET', '/api/v1/session'],
    ['POST', '/api/v1/internal/AddObject'],
    ['GET', '/model/reservoir/information/extra'],
    ['GET', '/model//information'],
    ['POST', '/internal'],
    ['GET', '/internal/GetObjectTypeNames'],
    ['POST', '/internal/a/b'],
    ['GET', '/metrics'],
    ['GET', '/health/live'],
    ['GET', '/ui/sessions'],
  ])('refuses %s %s (exact paths only)', (method, path) => {
    expect(isShopServerPath(method, path)).toBe(false);
  });
});
