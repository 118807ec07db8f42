import ipaddr from 'ipaddr.js';

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
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

type Cidr<T> = [T, number];

const IPV4_CIDRS = IPV4_RANGES.map(([network, prefix, kind]) => ({
  cidr: [ipaddr.IPv4.parse(network), prefix] as Cidr<ipaddr.IPv4>,
  kind,
}));
const IPV6_CIDRS = IPV6_RANGES.map(([network, prefix, kind]) => ({
  cidr: [ipaddr.IPv6.parse(network), prefix] as Cidr<ipaddr.IPv6>,
  kind,
}));

function ipv4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * The IPv4 address an IPv6 one stands for, when it embeds one: IPv4-mapped (::ffff:a.b.c.d), the
 * well-known NAT64 prefix (64:ff9b::/96) and 6to4 (2002::/16). Connecting to them reaches the IPv4
 * host, so it is the IPv4 address that must be judged.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  const [g0, g1 = 0, g2 = 0, g3, g4, g5, g6 = 0, g7 = 0] = address.parts;
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4From(g6, g7);
  if (g0 === 0x2002) return ipv4From(g1, g2);
  return undefined;
}

function ipv4Kind(address: ipaddr.IPv4): RestrictedAddressKind | undefined {
  return IPV4_CIDRS.find(({ cidr }) => address.match(cidr))?.kind;
}

/**
 * Classifies an IP address (v4 or v6 text, as DNS or a URL gives it; an IPv6 zone id is ignored).
 * Only the forms DNS answers and URLs carry are addresses: IPv4 as four decimal parts (not `0x7f.1`).
 *
 * @returns why the address is not publicly routable, or undefined when it is.
 */
export function restrictedAddressKind(address: string): RestrictedAddressKind | undefined {
  const plain = address.split('%')[0] ?? '';
  if (ipaddr.IPv4.isValidFourPartDecimal(plain)) return ipv4Kind(ipaddr.IPv4.parse(plain));
  if (!isIPv6Address(plain)) return 'invalid';
  const ipv6 = ipaddr.IPv6.parse(plain);
  const ipv4 = embeddedIPv4(ipv6);
  if (ipv4 !== undefined) return ipv4Kind(ipv4);
  const listed = IPV6_CIDRS.find(({ cidr }) => ipv6.match(cidr))?.kind;
  if (listed) return listed;
  return ipv6.match(IPV6_GLOBAL_UNICAST) ? undefined : 'reserved';
}

/** Whether the text is an IPv6 address (without a zone id), as a URL's bracketed host holds one. */
function isIPv6Address(text: string): boolean {
  return text.includes(':') && ipaddr.IPv6.isValid(text);
}

/** Whether a host name is an IP address (v4 in four decimal parts, or v6) rather than a DNS name. */
export function isIPAddress(host: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(host) || isIPv6Address(host);
}

/** Reads a kind as the end of a sentence: `127.0.0.1 is ${describeRestrictedAddress('loopback')}`. */
export function describeRestrictedAddress(kind: RestrictedAddressKind): string {
  return DESCRIPTIONS[kind];
}
