import { mintWebhookSecret } from './webhook-secret';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_test_secret';
const body = '{"id":"evt_1","type":"message.sent"}';
const at = 1_700_000_000;
const nowAt = (seconds: number) => () => seconds * 1000;

describe('signWebhook', () => {
  it('When a body is signed, then the header matches an HMAC-SHA256 computed independently (openssl)', () => {
    // printf '%s' '1700000000.{"id":"evt_1","type":"message.sent"}' | openssl dgst -sha256 -hmac whsec_test_secret
    expect(signWebhook(secret, body, at)).toBe(
      't=1700000000,v1=04c3dc70815a409327653657d1548ef6e9303f4f29a37c172eb8d1387ad64339',
    );
  });

  it('When the body is given as bytes, then the signature is the same as for its UTF-8 text', () => {
    const text = '{"customer":"Wanjiků"}';
    expect(signWebhook(secret, Buffer.from(text, 'utf8'), at)).toBe(signWebhook(secret, text, at));
  });

  it('When the timestamp is not a whole number of seconds, then signing refuses', () => {
    expect(() => signWebhook(secret, body, 1.5)).toThrow(RangeError);
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhook(secret, body, at);

  it('When the header was made with the secret over the body, then it verifies', () => {
    expect(verifyWebhookSignature(secret, body, header, { now: nowAt(at + 10) })).toBe(true);
  });

  it.each([
    ['another secret', 'whsec_other', body, header],
    ['a changed body', secret, body.replace('sent', 'read'), header],
    ['a changed timestamp', secret, body, header.replace('t=1700000000', 't=1700000001')],
    ['no header', secret, body, undefined],
    ['a malformed header', secret, body, 'v1=abc'],
    ['no v1 entry', secret, body, 't=1700000000,v0=deadbeef'],
  ])('When it is checked with %s, then it does not verify', (_case, key, payload, value) => {
    expect(verifyWebhookSignature(key, payload, value, { now: nowAt(at) })).toBe(false);
  });

  it('When the timestamp is older than the tolerance, then it does not verify (no replays)', () => {
    expect(verifyWebhookSignature(secret, body, header, { now: nowAt(at + 301) })).toBe(false);
    expect(
      verifyWebhookSignature(secret, body, header, { now: nowAt(at + 301), toleranceSeconds: 600 }),
    ).toBe(true);
  });

  it('When several v1 entries are sent, then one matching entry is enough', () => {
    const digest = header.split('v1=')[1];
    const twoSecrets = `t=${at},v1=${'0'.repeat(64)},v1=${digest}`;
    expect(verifyWebhookSignature(secret, body, twoSecrets, { now: nowAt(at) })).toBe(true);
  });
});

describe('mintWebhookSecret', () => {
  it('When a secret is minted, then it is whsec_ and 32 random bytes in base64url, new each time', () => {
    const first = mintWebhookSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first.slice(6), 'base64url')).toHaveLength(32);
    expect(mintWebhookSecret()).not.toBe(first);
  });
});
