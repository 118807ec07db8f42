import type { ApiKeyRecord } from '@telenexus/core';
import {
  AnnouncedCache,
  API_KEY_CHANGES_CHANNEL,
  type AnnouncedCacheOptions,
  type ChangeFeed,
} from '@telenexus/db';
import type { ApiKeyStore } from './api-key-authenticator';

/**
 * Keeps the keys found for each lookup prefix in process, so a request costs no key lookup in
 * Postgres. Correct across replicas because `api_keys`' trigger announces every change that can
 * decide a request (revocation, expiry, permissions, a new key, deletion) on the change feed, and
 * each replica forgets the prefix the moment it hears it (see `AnnouncedCache`). Prefixes with no
 * key are kept too, so guessing keys costs no queries; a new key's announcement clears that.
 */
export class CachedApiKeyStore implements ApiKeyStore {
  private readonly cache: AnnouncedCache<ApiKeyRecord[]>;
  private readonly now: () => number;

  constructor(
    private readonly store: ApiKeyStore,
    changes: ChangeFeed,
    options: AnnouncedCacheOptions = {},
  ) {
    this.cache = new AnnouncedCache(changes, API_KEY_CHANGES_CHANNEL, options);
    this.now = options.now ?? Date.now;
  }

  async findActiveByLookupPrefix(lookupPrefix: string): Promise<ApiKeyRecord[]> {
    const keys = await this.cache.read(lookupPrefix, () => this.store.findActiveByLookupPrefix(lookupPrefix));
    // A rotated key's grace ends without any write to announce: expiry is checked on every use.
    const now = this.now();
    return keys.filter((key) => key.expiresAt === null || key.expiresAt.getTime() > now);
  }

  forget(lookupPrefix: string): void {
    this.cache.forget(lookupPrefix);
  }

  touchLastUsed(id: string): Promise<void> {
    return this.store.touchLastUsed(id);
  }
}
