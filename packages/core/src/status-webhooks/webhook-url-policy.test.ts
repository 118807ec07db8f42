import { checkWebhookUrl, parseWebhookUrl, type HostResolver } from './webhook-url-policy';

const strict = { allowPrivateUrls: false };
const relaxed = { allowPrivateUrls: true };

const dns: Record<string, readonly string[]> = {
  'billing.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'split.example.com': ['93.184.216.34', '10.0.0.7'],
  localhost: ['127.0.0.1', '::1'],
};
const resolve: HostResolver = (hostname) => {
  const addresses = dns[hostname];
  return addresses ? Promise.resolve(addresses) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
};

describe('checkWebhookUrl', () => {
  it('When an https URL resolves only to public addresses, then it is accepted in normalised form', async () => {
    await expect(checkWebhookUrl('https://BILLING.example.com/hooks?x=1', strict, resolve)).resolves.toEqual({
      ok: true,
      href: 'https://billing.example.com/hooks?x=1',
      hostname: 'billing.example.com',
      isAddress: false,
    });
  });

  it.each([
    ['http://billing.example.com/hooks', 'must use https'],
    ['ftp://billing.example.com/hooks', 'must use https'],
    ['not a url', 'must be an absolute URL such as https://billing.example.com/webhooks'],
    ['https://user:pass@billing.example.com/hooks', 'must not contain a user name or password'],
    [
      'https://127.0.0.1/hooks',
      'points at 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
    ],
    [
      'https://0x7f.1/hooks',
      'points at 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
    ],
    [
      'https://[::ffff:169.254.169.254]/latest/meta-data',
      'points at ::ffff:a9fe:a9fe, a link-local address; only publicly reachable addresses are allowed',
    ],
    [
      'https://localhost:8443/hooks',
      'host localhost resolves to 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
    ],
    [
      'https://split.example.com/hooks',
      'host split.example.com resolves to 10.0.0.7, a private network address; only publicly reachable addresses are allowed',
    ],
    ['https://nowhere.example.com/hooks', 'host nowhere.example.com could not be resolved'],
    [`https://billing.example.com/${'a'.repeat(2048)}`, 'must be at most 2048 characters'],
  ])('When the URL is %s, then it is refused: %s', async (url, reason) => {
    await expect(checkWebhookUrl(url, strict, resolve)).resolves.toEqual({ ok: false, reason });
  });

  it('When private URLs are allowed, then http and loopback are accepted without asking DNS', async () => {
    const unused: HostResolver = () => Promise.reject(new Error('DNS must not be asked'));
    await expect(checkWebhookUrl('http://localhost:9000/hooks', relaxed, unused)).resolves.toMatchObject({
      ok: true,
      href: 'http://localhost:9000/hooks',
    });
    await expect(checkWebhookUrl('http://127.0.0.1:9000/', relaxed, unused)).resolves.toMatchObject({
      ok: true,
      isAddress: true,
    });
  });

  it('When private URLs are allowed, then credentials and other schemes are still refused', () => {
    expect(parseWebhookUrl('http://a:b@localhost/', relaxed)).toEqual({
      ok: false,
      reason: 'must not contain a user name or password',
    });
    expect(parseWebhookUrl('file:///etc/passwd', relaxed)).toEqual({
      ok: false,
      reason: 'must use https or http',
    });
  });
});
