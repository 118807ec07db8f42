import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { signStandardWebhook, standardWebhookHeaders } from './standard-webhook-signature';
import { mintWebhookSecret, webhookSecretKey } from './webhook-secret';

// The secret of the official libraries' own tests.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"id":"evt_1","type":"message.sent"}';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A delivery as a receiver gets it: headers and the raw body. */
function delivery(secrets: readonly string[], payload = body) {
  return {
    payload,
    headers: standardWebhookHeaders({ id: 'evt_1', timestampSeconds: nowSeconds(), body: payload }, secrets),
  };
}

const verifies = (receiverSecret: string, { payload, headers }: ReturnType<typeof delivery>) =>
  new Webhook(receiverSecret).verify(payload, headers);

describe('signStandardWebhook', () => {
  it('When a body is signed, then the entry is v1, and the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the decoded secret (openssl)', () => {
    // printf '%s' 'evt_1.1700000000.{"id":"evt_1","type":"message.sent"}' \
    //   | openssl dgst -sha256 -mac HMAC -macopt hexkey:31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0 -binary | base64
    expect(signStandardWebhook({ id: 'evt_1', timestampSeconds: 1_700_000_000, body }, [secret])).toBe(
      'v1,gIRe1C0g/HEwIfAiPrv99ieduoLELtQpGfenqw2zxMc=',
    );
  });

  it('When the official library signs the same message, then it writes the same header', () => {
    const at = new Date(1_700_000_000_000);
    expect(signStandardWebhook({ id: 'evt_1', timestampSeconds: 1_700_000_000, body }, [secret])).toBe(
      new Webhook(secret).sign('evt_1', at, body),
    );
  });

  it('When two secrets sign, then the header holds both entries, space-separated, the first secret first', () => {
    const other = mintWebhookSecret();
    const message = { id: 'evt_1', timestampSeconds: 1_700_000_000, body };
    expect(signStandardWebhook(message, [other, secret])).toBe(
      `${signStandardWebhook(message, [other])} ${signStandardWebhook(message, [secret])}`,
    );
  });

  it.each([
    ['an id with a dot', { id: 'evt.1', timestampSeconds: 1, body }, [secret]],
    ['a fractional timestamp', { id: 'evt_1', timestampSeconds: 1.5, body }, [secret]],
    ['no secret', { id: 'evt_1', timestampSeconds: 1, body }, []],
    [
      'a secret without whsec_',
      { id: 'evt_1', timestampSeconds: 1, body },
      ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ],
  ])('When asked to sign %s, then it refuses', (_case, message, secrets) => {
    expect(() => signStandardWebhook(message, secrets)).toThrow(RangeError);
  });
});

describe('Signed deliveries and the official verifier (standardwebhooks on npm)', () => {
  it('When the receiver holds the secret, then Webhook.verify accepts the delivery and returns the body', () => {
    expect(verifies(secret, delivery([secret]))).toEqual(JSON.parse(body));
  });

  it('When the receiver holds another secret, then Webhook.verify refuses it', () => {
    expect(() => verifies(mintWebhookSecret(), delivery([secret]))).toThrow(WebhookVerificationError);
  });

  it('When the body was changed on the way, then Webhook.verify refuses it', () => {
    const signed = delivery([secret]);
    expect(() => verifies(secret, { ...signed, payload: body.replace('sent', 'read') })).toThrow(
      WebhookVerificationError,
    );
  });

  it('When a new and an old secret both sign, then a receiver holding either one accepts the delivery', () => {
    const fresh = mintWebhookSecret();
    const signed = delivery([fresh, secret]);
    expect(verifies(fresh, signed)).toEqual(JSON.parse(body));
    expect(verifies(secret, signed)).toEqual(JSON.parse(body));
    expect(() => verifies(mintWebhookSecret(), signed)).toThrow(WebhookVerificationError);
  });
});

describe('mintWebhookSecret', () => {
  it('When a secret is minted, then it is whsec_ and 32 random bytes in standard base64, new each time', () => {
    const first = mintWebhookSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecretKey(first)).toHaveLength(32);
    expect(mintWebhookSecret()).not.toBe(first);
  });

  it('When a secret is in the base64url form minted before Standard Webhooks, then its key is the same bytes as its standard form', () => {
    const bytes = Buffer.from('fb'.repeat(32), 'hex'); // encodes to "-" and "_" in base64url
    const legacy = `whsec_${bytes.toString('base64url')}`;
    expect(legacy).toMatch(/[-_]/);
    expect(webhookSecretKey(legacy)).toEqual(bytes);
    expect(webhookSecretKey(`whsec_${bytes.toString('base64')}`)).toEqual(bytes);
  });
});
