import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import request from 'supertest';
import {
  guardedLookup,
  type AllAddressesLookup,
} from '../../services/dispatcher/src/status-webhooks/guarded-lookup';
import { HttpWebhookPoster } from '../../services/dispatcher/src/status-webhooks/http-webhook-poster';
import { createIngressHarness, type IngressHarness } from '../support/ingress-harness';
import { useIngress } from '../support/use-ingress';
import { as, pinnedResolver } from './security-support';

/**
 * Status webhooks make us POST wherever an account says: registration refuses every URL that could
 * reach into our own network, and the dispatcher checks again when it connects (DNS rebinding).
 */

const DNS: Record<string, readonly string[]> = {
  'billing.example.com': ['93.184.216.34'],
  localhost: ['127.0.0.1', '::1'],
  'localhost.': ['127.0.0.1', '::1'],
  'localtest.me': ['127.0.0.1'],
  'internal.example.test': ['10.1.2.3'],
  'mixed.example.test': ['93.184.216.34', '192.168.1.1'],
  'metadata.example.test': ['169.254.169.254'],
  'ula.example.test': ['fd00::1'],
  'mapped.example.test': ['::ffff:127.0.0.1'],
  'cgnat.example.test': ['100.64.0.1'],
  'empty.example.test': [],
};

const PUBLIC_ONLY = /; only publicly reachable addresses are allowed$/;

/** Its harness is the strict one: private URLs not allowed, as in production. */
const context = useIngress({
  webhookAllowPrivateUrls: false,
  resolveHost: pinnedResolver(DNS),
  tenant: { permissions: ['admin'] },
});
let relaxed: IngressHarness;

beforeAll(() => {
  relaxed = createIngressHarness(context.db, {
    webhookAllowPrivateUrls: true,
    resolveHost: pinnedResolver(DNS),
  });
});

afterAll(async () => {
  await relaxed.close();
});

async function endpointCount(): Promise<number> {
  const rows: { n: number }[] = await context.db.dataSource.query(
    'SELECT count(*)::int AS n FROM webhook_endpoints WHERE account_id = $1 AND deleted_at IS NULL',
    [context.tenant.accountId],
  );
  return rows[0]!.n;
}

type Expectation = string | RegExp;

const REFUSED: readonly (readonly [url: string, reason: Expectation])[] = [
  // The brief's forms, over http: refused for the scheme before anything else.
  ['http://2130706433/', 'must use https'],
  ['http://0x7f000001/', 'must use https'],
  ['http://[::ffff:127.0.0.1]/', 'must use https'],
  ['http://billing.example.com/hooks', 'must use https'],
  // Loopback in every spelling the URL parser folds into 127.0.0.1 or ::1.
  ['https://127.0.0.1/', /^points at 127\.0\.0\.1, a loopback address/],
  ['https://2130706433/', /^points at 127\.0\.0\.1, a loopback address/],
  ['https://0x7f000001/', /^points at 127\.0\.0\.1, a loopback address/],
  ['https://0177.0.0.1/', /^points at 127\.0\.0\.1, a loopback address/],
  ['https://127.1/', /^points at 127\.0\.0\.1, a loopback address/],
  ['https://127。0。0。1/', /^points at 127\.0\.0\.1, a loopback address/],
  ['https://[::1]/', /^points at ::1, a loopback address/],
  ['https://[::ffff:127.0.0.1]/', /^points at ::ffff:7f00:1, a loopback address/],
  ['https://[64:ff9b::7f00:1]/', /a loopback address/],
  ['https://[2002:7f00:1::]/', /a loopback address/],
  // Unspecified, link-local (cloud metadata), private, shared, unique-local, multicast, reserved.
  ['https://0.0.0.0/', /an unspecified address/],
  ['https://0/', /an unspecified address/],
  ['https://[::]/', /an unspecified address/],
  ['https://169.254.169.254/latest/meta-data', /a link-local address/],
  ['https://[::ffff:169.254.169.254]/', /a link-local address/],
  ['https://[fe80::1]/', /a link-local address/],
  ['https://10.0.0.1/', /a private network address/],
  ['https://172.16.0.1/', /a private network address/],
  ['https://172.31.255.255/', /a private network address/],
  ['https://192.168.0.1/', /a private network address/],
  ['https://100.64.0.1/', /a carrier-grade NAT \(shared\) address/],
  ['https://[fd00::1]/', /a unique local \(private IPv6\) address/],
  ['https://224.0.0.1/', /a multicast or broadcast address/],
  ['https://255.255.255.255/', PUBLIC_ONLY],
  ['https://192.0.2.1/', PUBLIC_ONLY],
  // Names, resolved through the pinned resolver, that lead inside.
  ['https://localhost/', /^host localhost resolves to 127\.0\.0\.1, a loopback address/],
  ['https://LOCALHOST:8443/', /^host localhost resolves to 127\.0\.0\.1/],
  ['https://localhost./', /^host localhost\. resolves to 127\.0\.0\.1/],
  ['https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/', /^host localhost resolves to 127\.0\.0\.1/],
  ['https://localtest.me/', /^host localtest\.me resolves to 127\.0\.0\.1/],
  ['https://internal.example.test/', /resolves to 10\.1\.2\.3, a private network address/],
  ['https://mixed.example.test/', /resolves to 192\.168\.1\.1, a private network address/],
  ['https://metadata.example.test/', /resolves to 169\.254\.169\.254, a link-local address/],
  ['https://ula.example.test/', /resolves to fd00::1, a unique local/],
  ['https://mapped.example.test/', /resolves to ::ffff:127\.0\.0\.1, a loopback address/],
  ['https://cgnat.example.test/', /resolves to 100\.64\.0\.1, a carrier-grade NAT/],
  ['https://empty.example.test/', 'host empty.example.test could not be resolved'],
  ['https://nowhere.example.test/', 'host nowhere.example.test could not be resolved'],
  // Credentials, and the tricks that hide a host behind them or behind a fragment.
  ['https://user:pass@billing.example.com/', 'must not contain a user name or password'],
  ['https://user@billing.example.com/', 'must not contain a user name or password'],
  ['https://:pass@billing.example.com/', 'must not contain a user name or password'],
  ['https://billing.example.com@127.0.0.1/', 'must not contain a user name or password'],
  ['https://127.0.0.1#@billing.example.com/', /^points at 127\.0\.0\.1, a loopback address/],
  // Other schemes.
  ['file:///etc/passwd', 'must use https'],
  ['gopher://127.0.0.1:6379/_INFO', 'must use https'],
  ['ftp://billing.example.com/', 'must use https'],
  ['dict://127.0.0.1:11211/', 'must use https'],
  ['ldap://127.0.0.1/', 'must use https'],
  ['ws://billing.example.com/', 'must use https'],
  ['wss://billing.example.com/', 'must use https'],
  ['javascript:alert(1)', 'must use https'],
  ['data:text/plain,hi', 'must use https'],
  ['//127.0.0.1/hooks', 'must be an absolute URL such as https://billing.example.com/webhooks'],
];

describe('Registering webhook endpoints (private URLs not allowed)', () => {
  it.each(REFUSED)('When the URL is %s, then it is refused with 400 "url: …"', async (url, reason) => {
    const before = await endpointCount();
    const response = await request(context.ingress.app)
      .post('/api/v1/webhook-endpoints')
      .set(as(context.tenant))
      .send({ url });

    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/^url: /);
    expect(response.body.errors).toEqual([
      { field: 'url', message: response.body.detail.slice('url: '.length) },
    ]);
    const message: string = response.body.errors[0].message;
    if (typeof reason === 'string') expect(message).toBe(reason);
    else expect(message).toMatch(reason);
    expect(await endpointCount()).toBe(before);
  });

  it('When an endpoint is changed to a private URL, then the change is refused and the stored URL stays', async () => {
    const created = await request(context.ingress.app)
      .post('/api/v1/webhook-endpoints')
      .set(as(context.tenant))
      .send({ url: 'https://billing.example.com/hooks' });
    expect(created.status).toBe(201);
    for (const url of [
      'https://169.254.169.254/',
      'https://internal.example.test/',
      'http://billing.example.com/',
    ]) {
      const changed = await request(context.ingress.app)
        .patch(`/api/v1/webhook-endpoints/${created.body.id}`)
        .set(as(context.tenant))
        .send({ url });
      expect(changed.status).toBe(400);
      expect(changed.body.detail).toMatch(/^url: /);
    }
    const stored = await request(context.ingress.app)
      .get(`/api/v1/webhook-endpoints/${created.body.id}`)
      .set(as(context.tenant));
    expect(stored.body.url).toBe('https://billing.example.com/hooks');
    await request(context.ingress.app)
      .delete(`/api/v1/webhook-endpoints/${created.body.id}`)
      .set(as(context.tenant));
  });

  it('When a URL parses differently in other parsers (a backslash before @), then what is stored names the host that was judged', async () => {
    const response = await request(context.ingress.app)
      .post('/api/v1/webhook-endpoints')
      .set(as(context.tenant))
      .send({ url: 'https://billing.example.com\\@127.0.0.1/' });
    expect(response.status).toBe(201);
    // The dispatcher parses the stored href with the same WHATWG parser: the host is the public one.
    expect(new URL(String(response.body.url)).hostname).toBe('billing.example.com');
    await request(context.ingress.app)
      .delete(`/api/v1/webhook-endpoints/${response.body.id}`)
      .set(as(context.tenant));
  });

  it('When private URLs are allowed (local testing), then credentials and non-http schemes are still refused', async () => {
    for (const [url, reason] of [
      ['http://user:pass@127.0.0.1/', 'must not contain a user name or password'],
      ['file:///etc/passwd', 'must use https or http'],
      ['gopher://127.0.0.1:6379/_INFO', 'must use https or http'],
    ] as const) {
      const response = await request(relaxed.app)
        .post('/api/v1/webhook-endpoints')
        .set(as(context.tenant))
        .send({ url });
      expect(response.status).toBe(400);
      expect(response.body.detail).toBe(`url: ${reason}`);
    }
  });
});

describe("The dispatcher's connect-time guard (DNS rebinding)", () => {
  let listener: net.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    // Stands where a rebound name would lead: it counts connections, whatever they carry.
    listener = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  /** A resolver whose answer is the test's: the name passed registration, now it says this. */
  const answering =
    (...addresses: string[]): AllAddressesLookup =>
    (_hostname, _options, callback) =>
      callback(
        null,
        addresses.map((address): LookupAddress => ({ address, family: net.isIP(address) })),
      );

  const post = async (poster: HttpWebhookPoster, url: string) => {
    try {
      return await poster.post({
        url,
        body: '{"id":"evt_1"}',
        headers: { 'Content-Type': 'application/json' },
      });
    } finally {
      poster.close();
    }
  };

  it.each([
    ['loopback', ['127.0.0.1'], /resolves to 127\.0\.0\.1, a loopback address/],
    ['a public and a loopback address', ['93.184.216.34', '127.0.0.1'], /resolves to 127\.0\.0\.1/],
    ['an IPv4-mapped loopback', ['::ffff:127.0.0.1'], /a loopback address/],
    ['cloud metadata', ['169.254.169.254'], /a link-local address/],
    ['the unspecified address', ['0.0.0.0'], /an unspecified address/],
    ['a private address', ['10.0.0.8'], /a private network address/],
  ])(
    'When the endpoint host now resolves to %s, then the POST is refused before any connection',
    async (_case, addresses, reason) => {
      const before = connections;
      const poster = new HttpWebhookPoster({
        timeoutMs: 2000,
        allowPrivateUrls: false,
        resolve: answering(...addresses),
      });

      const result = await post(poster, `https://rebind.example.com:${port}/hooks`);

      expect(result.kind).toBe('failed');
      expect(result).toMatchObject({ error: expect.stringMatching(reason) });
      expect(connections).toBe(before);
    },
  );

  it.each([
    `https://127.0.0.1:PORT/hooks`,
    `https://2130706433:PORT/hooks`,
    `https://[::ffff:127.0.0.1]:PORT/hooks`,
    `http://127.0.0.1:PORT/hooks`,
  ])(
    'When a stored URL is %s (an address, no DNS), then it is refused before the request',
    async (template) => {
      const before = connections;
      const poster = new HttpWebhookPoster({
        timeoutMs: 2000,
        allowPrivateUrls: false,
        resolve: answering('93.184.216.34'),
      });

      const result = await post(poster, template.replace('PORT', String(port)));

      expect(result).toMatchObject({
        kind: 'failed',
        error: expect.stringMatching(/^Refused to send: url /),
        durationMs: 0,
      });
      expect(connections).toBe(before);
    },
  );

  it('When private URLs are allowed, then the listener is connected to (the refusals above are the guard’s doing)', async () => {
    const before = connections;
    const poster = new HttpWebhookPoster({ timeoutMs: 2000, allowPrivateUrls: true });
    const result = await post(poster, `https://127.0.0.1:${port}/hooks`);
    expect(result.kind).toBe('failed');
    expect(connections).toBeGreaterThan(before);
  });

  it('When guardedLookup is asked for one address (not all), then it still judges every address the name has', async () => {
    const lookup = guardedLookup(answering('93.184.216.34', '127.0.0.1'));
    const error = await new Promise<Error | null>((resolve) =>
      lookup('rebind.example.com', { family: 0 }, (failure) => resolve(failure)),
    );
    expect(error?.message).toMatch(/resolves to 127\.0\.0\.1, a loopback address/);
  });
});
