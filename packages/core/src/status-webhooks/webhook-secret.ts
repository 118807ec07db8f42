import { randomBytes } from 'node:crypto';

/** Every webhook signing secret starts with this, so a leaked one is easy to recognise. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

// Standard base64, or the base64url (unpadded) that secrets minted before Standard Webhooks used.
const SECRET_BODY = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

/**
 * Mints a signing secret as Standard Webhooks serialises one: `whsec_` + 32 random bytes in standard
 * base64 (44 characters), which every official verifier decodes. It is stored encrypted (signing
 * needs it back) and shown to the account only when created or rotated.
 */
export function mintWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The HMAC key of a secret: the bytes its base64 part decodes to (Standard Webhooks keys HMAC with
 * them, not with the text). Secrets minted before Standard Webhooks are base64url; they decode to
 * their bytes too, so deliveries to those endpoints keep one key — but the official PHP, Python and
 * Node verifiers only read standard base64, so their owners must rotate (README, "Verifying webhooks").
 *
 * @throws RangeError when the secret is not `whsec_` followed by base64 of at least one byte.
 */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : '';
  if (!SECRET_BODY.test(encoded)) throw new RangeError('A webhook secret is whsec_ followed by base64');
  // Node's base64 decoder reads both alphabets, padded or not.
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new RangeError('A webhook secret is whsec_ followed by base64');
  return key;
}
