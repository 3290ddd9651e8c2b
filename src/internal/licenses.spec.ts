import { describe, expect, it } from '@jest/globals';
import { ATTRIBUTES, COMMANDS } from '../shop/catalog.js';
import { licenseInfo } from './licenses.js';

describe('licenseInfo', () => {
  it('lists every license name of the catalog once, SHOP_OPEN granted first', () => {
    const names = new Set([...ATTRIBUTES.map((a) => a.licenseName), ...COMMANDS.map((c) => c.license)]);
    names.delete(null);
    const info = licenseInfo();
    expect(info).toHaveLength(names.size);
    expect(info[0]).toBe('SHOP_OPEN:GRANTED');
    expect(info.slice(1).every((entry) => entry.endsWith(':NOT_AVAILABLE'))).toBe(true);
    expect(new Set(info.map((entry) => entry.split(':')[0]))).toEqual(names);
  });

  it('grants what it is told to', () => {
    const info = licenseInfo(new Set(['SHOP_OPEN', 'SHOP_BEST_PROFIT']));
    expect(info.slice(0, 2)).toEqual(['SHOP_BEST_PROFIT:GRANTED', 'SHOP_OPEN:GRANTED']);
  });
});
