import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'tnx_';

/** Characters of the key kept in clear (`tnx_` + 8) to find its row without revealing it. */
const LOOKUP_LENGTH = API_KEY_PREFIX.length + 8;

const KEY_SHAPE = /^tnx_[A-Za-z0-9_-]{43}$/;

/** A freshly minted key: `secret` is shown to the user once and never stored. */
export interface MintedApiKey {
  readonly secret: string;
  readonly lookupPrefix: string;
  readonly hash: Buffer;
  readonly last4: string;
}

/** Mints `tnx_` + 32 random bytes in base64url (43 characters). */
export function mintApiKey(): MintedApiKey {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return {
    secret,
    lookupPrefix: apiKeyLookupPrefix(secret),
    hash: hashApiKey(secret),
    last4: secret.slice(-4),
  };
}

/** True when the text has the shape of one of our keys (cheap pre-check before any lookup). */
export function looksLikeApiKey(candidate: string): boolean {
  return KEY_SHAPE.test(candidate);
}

export function apiKeyLookupPrefix(secret: string): string {
  return secret.slice(0, LOOKUP_LENGTH);
}

/** SHA-256 of the whole key: what is stored instead of the key. */
export function hashApiKey(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Compares a presented key with a stored hash in constant time. */
export function apiKeyMatches(candidate: string, storedHash: Buffer): boolean {
  const presented = hashApiKey(candidate);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
