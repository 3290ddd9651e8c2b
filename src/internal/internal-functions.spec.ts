import { describe, expect, it } from '@jest/globals';
import { ATTRIBUTES, COMMANDS } from '../shop/catalog.js';
import { licenseInfo, parseDumpYamlArgs } from './internal-functions.js';

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

describe('parseDumpYamlArgs', () => {
  const all = { inputOnly: true, compressTxy: true, compressConnections: true };

  it('defaults every missing argument to true, as SHOP dump_yaml does', () => {
    expect(parseDumpYamlArgs(undefined)).toEqual(all);
    expect(parseDumpYamlArgs({})).toEqual(all);
    expect(parseDumpYamlArgs({ args: [] })).toEqual(all);
    expect(parseDumpYamlArgs({ args: [false] })).toEqual({ ...all, inputOnly: false });
    expect(parseDumpYamlArgs({ args: [true, false, false] })).toEqual({
      inputOnly: true,
      compressTxy: false,
      compressConnections: false,
    });
  });

  it.each([
    [{ args: 'true' }, 'args'],
    [{ args: [1] }, 'args[0]'],
    [{ args: [true, 'false'] }, 'args[1]'],
    [{ args: [true, true, true, true] }, 'args'],
    [{ arguments: [true] }, 'arguments'],
    [[true], 'body'],
    ['true', 'body'],
  ])('refuses %j with 400 naming %s', (body, path) => {
    expect(() => parseDumpYamlArgs(body)).toThrow(expect.objectContaining({ status: 400 }));
    try {
      parseDumpYamlArgs(body);
    } catch (error) {
      expect((error as { getResponse(): { details: Array<{ path: string }> } }).getResponse().details[0].path).toBe(
        path,
      );
    }
  });
});
