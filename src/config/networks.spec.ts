import { describe, expect, it } from '@jest/globals';
import { NetworkMatcher, normalizeAddress, parseNetworks } from './networks.js';

describe('normalizeAddress', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:10.1.2.3', '10.1.2.3'],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['fd00::ffff:1', 'fd00::ffff:1'],
  ])('%s -> %s', (address, normal) => {
    expect(normalizeAddress(address)).toBe(normal);
  });
});

describe('NetworkMatcher', () => {
  const loopback = new NetworkMatcher(parseNetworks('127.0.0.1/32,::1/128'));

  it('takes an IPv4 client of a dual-stack listener (::ffff:a.b.c.d) as its IPv4 address', () => {
    expect(loopback.contains('::ffff:127.0.0.1')).toBe(true);
    expect(loopback.contains('::ffff:127.0.0.2')).toBe(false);
  });

  it('matches IPv4 and IPv6 addresses against the networks of their family', () => {
    expect(loopback.contains('127.0.0.1')).toBe(true);
    expect(loopback.contains('::1')).toBe(true);
    expect(loopback.contains('10.0.0.1')).toBe(false);
    expect(loopback.contains('::2')).toBe(false);
  });

  it('honours the prefix length', () => {
    const matcher = new NetworkMatcher(parseNetworks('10.0.0.0/8,fd00:1234::/32'));
    expect(matcher.contains('10.255.0.1')).toBe(true);
    expect(matcher.contains('::ffff:10.9.9.9')).toBe(true);
    expect(matcher.contains('11.0.0.1')).toBe(false);
    expect(matcher.contains('fd00:1234:ab::7')).toBe(true);
    expect(matcher.contains('fd00:1235::7')).toBe(false);
    expect(matcher.contains('127.0.0.1')).toBe(false);
  });

  it('takes nothing that is not an address', () => {
    expect(loopback.contains(undefined)).toBe(false);
    expect(loopback.contains('')).toBe(false);
    expect(loopback.contains('localhost')).toBe(false);
  });

  it('0.0.0.0/0 and ::/0 take every address', () => {
    const everyone = new NetworkMatcher(parseNetworks('0.0.0.0/0,::/0'));
    expect(everyone.contains('203.0.113.9')).toBe(true);
    expect(everyone.contains('2001:db8::1')).toBe(true);
  });
});
