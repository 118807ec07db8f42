import { describeRestrictedAddress, isIPAddress, restrictedAddressKind } from './restricted-address';

/** Longest endpoint URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Resolves a host name to every address a connection might use (A and AAAA). */
export type HostResolver = (hostname: string) => Promise<readonly string[]>;

/** A webhook URL as parsed for sending: the normalised URL and its host without IPv6 brackets. */
export interface ParsedWebhookUrl {
  readonly ok: true;
  /** The WHATWG-normalised URL: what is stored and what is requested, so both read it alike. */
  readonly href: string;
  readonly hostname: string;
  /** The host is an IP literal (no DNS involved). */
  readonly isAddress: boolean;
}

/** Why a webhook URL is refused, written to follow `url: `. */
export interface RefusedWebhookUrl {
  readonly ok: false;
  readonly reason: string;
}

export interface WebhookUrlPolicy {
  /**
   * Lets endpoints use http and point at loopback, private and other non-public addresses — for
   * local testing only.
   */
  readonly allowPrivateUrls: boolean;
}

const PUBLIC_ONLY = 'only publicly reachable addresses are allowed';

/**
 * The checks that need no DNS: an absolute https URL (http only when private URLs are allowed),
 * without credentials, whose host — when it is an IP literal — is a public address. Hosts written
 * as numbers in odd forms (`0x7f.1`, `2130706433`) are normalised to dotted IPv4 by the URL parser
 * first, so they are judged as the address they are.
 */
export function parseWebhookUrl(raw: string, policy: WebhookUrlPolicy): ParsedWebhookUrl | RefusedWebhookUrl {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'must be an absolute URL such as https://billing.example.com/webhooks' };
  }
  const schemes = policy.allowPrivateUrls ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    return { ok: false, reason: policy.allowPrivateUrls ? 'must use https or http' : 'must use https' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'must not contain a user name or password' };
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (hostname === '') return { ok: false, reason: 'must name a host' };
  const isAddress = isIPAddress(hostname);
  if (isAddress && !policy.allowPrivateUrls) {
    const kind = restrictedAddressKind(hostname);
    if (kind) {
      return {
        ok: false,
        reason: `points at ${hostname}, ${describeRestrictedAddress(kind)}; ${PUBLIC_ONLY}`,
      };
    }
  }
  return { ok: true, href: url.href, hostname, isAddress };
}

/**
 * Judges every address a host resolves to: one non-public address is enough to refuse, since a
 * connection may use any of them.
 *
 * @returns the refusal, or undefined when all are public.
 */
export function refuseRestrictedAddresses(
  hostname: string,
  addresses: readonly string[],
): RefusedWebhookUrl | undefined {
  for (const address of addresses) {
    const kind = restrictedAddressKind(address);
    if (kind) {
      return {
        ok: false,
        reason: `host ${hostname} resolves to ${address}, ${describeRestrictedAddress(kind)}; ${PUBLIC_ONLY}`,
      };
    }
  }
  return undefined;
}

/**
 * Checks a URL an account registers for status webhooks: {@link parseWebhookUrl}, then — unless
 * private URLs are allowed — the host is resolved and every address must be public. The dispatcher
 * checks again when it connects, since DNS answers can change after registration.
 */
export async function checkWebhookUrl(
  raw: string,
  policy: WebhookUrlPolicy,
  resolveHost: HostResolver,
): Promise<ParsedWebhookUrl | RefusedWebhookUrl> {
  const parsed = parseWebhookUrl(raw, policy);
  if (!parsed.ok || parsed.isAddress || policy.allowPrivateUrls) return parsed;
  let addresses: readonly string[];
  try {
    addresses = await resolveHost(parsed.hostname);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    return { ok: false, reason: `host ${parsed.hostname} could not be resolved` };
  }
  return refuseRestrictedAddresses(parsed.hostname, addresses) ?? parsed;
}
