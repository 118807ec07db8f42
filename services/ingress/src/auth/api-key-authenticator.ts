import {
  apiKeyLookupPrefix,
  apiKeyMatches,
  DomainError,
  looksLikeApiKey,
  type ApiKeyRecord,
  type Principal,
} from '@telenexus/core';
import type { Logger } from '@telenexus/logger';

/** What the authenticator needs from storage. */
export interface ApiKeyStore {
  findActiveByLookupPrefix(lookupPrefix: string): Promise<ApiKeyRecord[]>;
  touchLastUsed(id: string): Promise<void>;
  /** Drops what is held in memory for the prefix, if anything is (a cache in front of the store). */
  forget?(lookupPrefix: string): void;
}

/** The guide's wording, kept exactly: billing systems' troubleshooting pages quote it. */
export const INVALID_KEY_DETAIL = 'Invalid or missing API key';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Last use is recorded at most this often per key, from each process (the store also throttles). */
const TOUCH_INTERVAL_MS = 60_000;

/** Turns an `Authorization` header into the calling account and its permissions, or refuses it. */
export class ApiKeyAuthenticator {
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    return this.authenticateKey(authorization ? BEARER.exec(authorization)?.[1] : undefined);
  }

  /** The key itself, however it came (the URL gateway's `token` parameter). */
  async authenticateKey(presented: string | undefined): Promise<Principal> {
    if (!presented || !looksLikeApiKey(presented))
      throw new DomainError('unauthenticated', INVALID_KEY_DETAIL);
    const candidates = await this.keys.findActiveByLookupPrefix(apiKeyLookupPrefix(presented));
    const key = candidates.find((candidate) => apiKeyMatches(presented, candidate.hash));
    if (!key) throw new DomainError('unauthenticated', INVALID_KEY_DETAIL);
    this.recordUse(key.id);
    return {
      accountId: key.accountId,
      apiKeyId: key.id,
      apiKeyName: key.name,
      permissions: key.permissions,
    };
  }

  /** Recording use must never slow down or fail the request it is about, nor cost a write per request. */
  private recordUse(keyId: string): void {
    const now = this.now();
    if ((this.touchedAt.get(keyId) ?? 0) > now - TOUCH_INTERVAL_MS) return;
    this.touchedAt.set(keyId, now);
    if (this.touchedAt.size > 10_000) this.touchedAt.clear(); // bounded: keys come and go
    this.keys.touchLastUsed(keyId).catch((error: unknown) => {
      this.logger.warn('could not record API key use', { apiKeyId: keyId, error });
    });
  }
}
