import { BlockList, isIP } from 'node:net';

/**
 * Why an IP address is not a public, globally routable one. Outbound requests on an account's
 * behalf (status webhooks) must never reach these: they lead into our own network (loopback, cloud
 * metadata on link-local, private ranges) rather than to the account's servers.
 */
export type RestrictedAddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'reserved'
  | 'invalid';

const DESCRIPTIONS: Readonly<Record<RestrictedAddressKind, string>> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private network address',
  shared: 'a carrier-grade NAT (shared) address',
  'link-local': 'a link-local address',
  'unique-local': 'a unique local (private IPv6) address',
  multicast: 'a multicast or broadcast address',
  reserved: 'a reserved, documentation or non-global address',
  invalid: 'not a valid IP address',
};

type Range = readonly [network: string, prefix: number, kind: RestrictedAddressKind];

// IANA's IPv4 special-purpose registry, less the few entries that are globally reachable anycast.
const IPV4_RANGES: readonly Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

// Checked before the global-unicast rule below, so the most telling reason is the one given.
const IPV6_RANGES: readonly Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fe80::', 10, 'link-local'],
  ['fc00::', 7, 'unique-local'],
  ['ff00::', 8, 'multicast'],
  ['64:ff9b:1::', 48, 'private'],
  // Inside 2000::/3 but not global: IETF protocol assignments (Teredo, benchmarking…), documentation.
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'reserved'],
  ['3fff::', 20, 'reserved'],
];

/** Only 2000::/3 is allocated as global unicast; everything else in IPv6 is refused. */
const IPV6_GLOBAL_UNICAST = new BlockList();
IPV6_GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

function rangeLists(ranges: readonly Range[], family: 'ipv4' | 'ipv6') {
  return ranges.map(([network, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return { list, kind };
  });
}

const IPV4_LISTS = rangeLists(IPV4_RANGES, 'ipv4');
const IPV6_LISTS = rangeLists(IPV6_RANGES, 'ipv6');

/** `1.2.3.4` as the two IPv6 groups it stands for, `102:304`. */
function dottedQuadAsGroups(quad: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = quad.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped), or undefined if it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups written in decimal.
  const text = (address.split('%')[0] ?? '').replace(/\d+\.\d+\.\d+\.\d+$/, dottedQuadAsGroups);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(halves[0] ?? '');
  const right = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 0 : missing !== 0) return undefined;
  const groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function ipv4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The IPv4 address an IPv6 one stands for, when it embeds one: IPv4-mapped (::ffff:a.b.c.d), the
 * well-known NAT64 prefix (64:ff9b::/96) and 6to4 (2002::/16). Connecting to them reaches the IPv4
 * host, so it is the IPv4 address that must be judged.
 */
function embeddedIPv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = g;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return ipv4From(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4From(g6, g7);
  if (g0 === 0x2002) return ipv4From(g1 ?? 0, g2 ?? 0);
  return undefined;
}

/**
 * Classifies an IP address (v4 or v6 text, as DNS or a URL gives it).
 *
 * @returns why the address is not publicly routable, or undefined when it is.
 */
export function restrictedAddressKind(address: string): RestrictedAddressKind | undefined {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) return IPV4_LISTS.find(({ list }) => list.check(address, 'ipv4'))?.kind;
  if (family !== 6) return 'invalid';
  const plain = address.split('%')[0] ?? '';
  const ipv4 = embeddedIPv4(plain);
  if (ipv4 !== undefined) return restrictedAddressKind(ipv4);
  const listed = IPV6_LISTS.find(({ list }) => list.check(plain, 'ipv6'))?.kind;
  if (listed) return listed;
  return IPV6_GLOBAL_UNICAST.check(plain, 'ipv6') ? undefined : 'reserved';
}

/** Reads a kind as the end of a sentence: `127.0.0.1 is ${describeRestrictedAddress('loopback')}`. */
export function describeRestrictedAddress(kind: RestrictedAddressKind): string {
  return DESCRIPTIONS[kind];
}
