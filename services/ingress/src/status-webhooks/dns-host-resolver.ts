import { lookup } from 'node:dns/promises';
import type { HostResolver } from '@telenexus/core';

/** A registration must not hang on a slow resolver; the client can try again. */
const RESOLVE_TIMEOUT_MS = 5_000;

/**
 * Resolves a host the way a connection will (getaddrinfo: /etc/hosts, then DNS; A and AAAA), so
 * the addresses judged at registration are the ones the dispatcher would reach.
 */
export function dnsHostResolver(timeoutMs = RESOLVE_TIMEOUT_MS): HostResolver {
  return async (hostname) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Resolving ${hostname} timed out`)), timeoutMs);
    });
    try {
      const addresses = await Promise.race([lookup(hostname, { all: true, verbatim: true }), deadline]);
      return addresses.map((entry) => entry.address);
    } finally {
      clearTimeout(timer);
    }
  };
}
