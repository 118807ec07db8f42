import type { LookupAddress } from 'node:dns';
import { guardedLookup, type AllAddressesLookup } from './guarded-lookup';
import { RestrictedAddressError } from './restricted-address-error';

function resolverOf(table: Record<string, LookupAddress[]>): AllAddressesLookup {
  return (hostname, _options, callback) => {
    const addresses = table[hostname];
    if (addresses) callback(null, addresses);
    else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
  };
}

const resolve = resolverOf({
  'billing.example.com': [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
  ],
  'rebind.example.com': [
    { address: '93.184.216.34', family: 4 },
    { address: '169.254.169.254', family: 4 },
  ],
  'mapped.example.com': [{ address: '::ffff:10.0.0.1', family: 6 }],
});

function lookUp(hostname: string, all: boolean) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((done) => {
    guardedLookup(resolve)(hostname, { all }, (error, address, family) => done({ error, address, family }));
  });
}

describe('guardedLookup', () => {
  it('When every address is public, then a single-address lookup gets the first one', async () => {
    await expect(lookUp('billing.example.com', false)).resolves.toEqual({
      error: null,
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('When every address is public, then an all-addresses lookup (autoSelectFamily) gets them all', async () => {
    const { error, address } = await lookUp('billing.example.com', true);
    expect(error).toBeNull();
    expect(address).toHaveLength(2);
  });

  it.each([
    ['rebind.example.com', 'host rebind.example.com resolves to 169.254.169.254, a link-local address'],
    ['mapped.example.com', 'host mapped.example.com resolves to ::ffff:10.0.0.1, a private network address'],
  ])(
    'When %s resolves to a non-public address among others, then the connection is refused',
    async (host, reason) => {
      for (const all of [false, true]) {
        const { error } = await lookUp(host, all);
        expect(error).toBeInstanceOf(RestrictedAddressError);
        expect(error?.message).toBe(
          `Refused to connect: ${reason}; only publicly reachable addresses are allowed`,
        );
        expect(error?.code).toBe('ERR_WEBHOOK_RESTRICTED_ADDRESS');
      }
    },
  );

  it('When DNS fails, then its error is passed on unchanged', async () => {
    const { error } = await lookUp('nowhere.example.com', false);
    expect(error?.code).toBe('ENOTFOUND');
  });
});
