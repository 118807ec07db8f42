import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every webhook delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'Telenexus-Signature';

/** How far a signature's timestamp may be from the verifier's clock, by default: 5 minutes. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The hex HMAC-SHA256 of `<t>.<raw body>` keyed with the endpoint's whole secret (`whsec_…`). */
function signatureDigest(secret: string, rawBody: string | Buffer, timestampSeconds: number): string {
  return createHmac('sha256', secret)
    .update(`${timestampSeconds}.`, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/**
 * Signs a webhook body. The timestamp is part of the signed text so a captured delivery cannot be
 * replayed later than the receiver's tolerance.
 *
 * @param timestampSeconds Unix time in whole seconds, normally now.
 * @returns the `Telenexus-Signature` header value, `t=<timestamp>,v1=<hex>`.
 */
export function signWebhook(secret: string, rawBody: string | Buffer, timestampSeconds: number): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('timestampSeconds must be a non-negative whole number of seconds');
  }
  return `t=${timestampSeconds},v1=${signatureDigest(secret, rawBody, timestampSeconds)}`;
}

export interface VerifyWebhookSignatureOptions {
  /** Largest accepted distance between the signature's timestamp and now. Default 300 s. */
  readonly toleranceSeconds?: number;
  /** The verifier's clock in ms, injectable for tests. */
  readonly now?: () => number;
}

/**
 * Checks a `Telenexus-Signature` header against the raw body as received (before any JSON parsing:
 * re-serialising changes bytes). Any one of several `v1` entries may match, so a sender may sign
 * with two secrets while one is being replaced; entries of other schemes are ignored. Digests are
 * compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Buffer,
  header: string | undefined,
  options: VerifyWebhookSignatureOptions = {},
): boolean {
  if (header === undefined) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,15}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && HEX_SHA256.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return false;
  const expected = Buffer.from(signatureDigest(secret, rawBody, timestamp), 'hex');
  // Every candidate is compared, matched or not, so timing does not tell which entry matched.
  let matched = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched;
}
