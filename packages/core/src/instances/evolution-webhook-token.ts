import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The secret in the path of the URL Evolution posts an instance's events to: 32 random bytes in
 * base64url. Only its SHA-256 is stored — the token is 256 random bits, so a fast hash leaves
 * nothing to guess — which is why pointing Evolution at us again always issues a new one.
 */
export function mintEvolutionWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashEvolutionWebhookToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Whether the presented token hashes to one of the stored hashes, compared in constant time. */
export function evolutionWebhookTokenMatches(presented: string, hashes: readonly Buffer[]): boolean {
  const presentedHash = hashEvolutionWebhookToken(presented);
  // Every hash is compared, so the time taken does not tell which one (if any) matched.
  let matched = false;
  for (const hash of hashes) {
    if (hash.length === presentedHash.length && timingSafeEqual(hash, presentedHash)) matched = true;
  }
  return matched;
}
