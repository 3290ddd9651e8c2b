import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** `::ffff:127.0.0.1` (an IPv4 client of a dual-stack listener) -> `127.0.0.1`; other addresses unchanged. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** One CIDR as written in the configuration, `10.0.0.0/8` or `::1/128` (a bare address is one host). */
function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address, prefixText, ...rest] = text.split('/');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family || rest.length > 0) throw new Error('not an IPv4 or IPv6 address with an optional /prefix');
  const max = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    throw new Error(`the prefix must be 0 to ${max}`);
  }
  return { address, prefix: Number(prefixText), family };
}

/**
 * Parses a comma-separated list of CIDRs into their normalised form (`addr/prefix`). Throws one
 * error naming every entry that does not parse, or saying that the list names no network.
 */
export function parseNetworks(text: string): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const problems: string[] = [];
  const cidrs = entries.flatMap((entry) => {
    try {
      const { address, prefix } = parseCidr(entry);
      return [`${address}/${prefix}`];
    } catch (error) {
      problems.push(`${JSON.stringify(entry)}: ${(error as Error).message}`);
      return [];
    }
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (cidrs.length === 0) throw new Error('no network given');
  return cidrs;
}

/** Whether a client address lies in one of a list of networks (Node's BlockList does the matching). */
export class NetworkMatcher {
  private readonly list = new BlockList();

  /** `cidrs`: as parseNetworks answers them. */
  constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const { address, prefix, family } = parseCidr(cidr);
      this.list.addSubnet(address, prefix, family);
    }
  }

  /** `address` as Express gives it (`req.ip`); an IPv4-mapped IPv6 address counts as its IPv4 address. */
  contains(address: string | undefined): boolean {
    if (!address) return false;
    const normal = normalizeAddress(address);
    const family = isIPv4(normal) ? 'ipv4' : isIPv6(normal) ? 'ipv6' : undefined;
    return family !== undefined && this.list.check(normal, family);
  }
}
