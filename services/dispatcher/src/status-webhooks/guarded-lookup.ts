import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { refuseRestrictedAddresses } from '@telenexus/core';
import { RestrictedAddressError } from './restricted-address-error';

/** Resolves every address of a host, as `dns.lookup` with `all: true` does. */
export type AllAddressesLookup = (
  hostname: string,
  options: dns.LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemLookup: AllAddressesLookup = (hostname, options, callback) =>
  dns.lookup(hostname, { ...options, all: true }, callback);

/**
 * A `lookup` for HTTP agents that refuses to connect when any address of the host is not public.
 * It runs for every new connection, after DNS has answered and before a socket is opened, so the
 * address checked is the one connected to — a host that passed at registration and now resolves to
 * 127.0.0.1 or 169.254.169.254 (DNS rebinding) is refused. IP-literal hosts never reach a lookup;
 * they are checked before the request.
 */
export function guardedLookup(resolve: AllAddressesLookup = systemLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, addresses) => {
      if (error) {
        callback(error, options.all ? [] : '');
        return;
      }
      const refusal = refuseRestrictedAddresses(
        hostname,
        addresses.map((entry) => entry.address),
      );
      const first = addresses[0];
      if (refusal || !first) {
        const reason = refusal?.reason ?? `host ${hostname} resolved to no address`;
        callback(new RestrictedAddressError(reason), options.all ? [] : '');
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
