import type { ApiKeyRecord } from '@telenexus/core';
import type { ChangeFeed } from '@telenexus/db';
import type { ApiKeyStore } from './api-key-authenticator';

export interface CachedApiKeyStoreOptions {
  /**
   * The longest an entry is trusted even while the feed is heard: a bound on staleness should an
   * announcement be lost without the connection dropping. Default 30 s.
   */
  readonly ttlMs?: number;
  /** Lookup prefixes held at most; past it the cache starts over. Default 10,000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly keys: readonly ApiKeyRecord[];
  readonly until: number;
}

/**
 * Keeps the keys found for each lookup prefix in process, so a request costs no key lookup in
 * Postgres. Correct across replicas because `api_keys`' trigger announces every change that can
 * decide a request (revocation, expiry, permissions, a new key, deletion) on the change feed, and
 * each replica forgets the prefix the moment it hears it. While the feed is not heard nothing is
 * cached or trusted; an entry read while a change was being announced is not kept (the generation
 * moved on during the read). Prefixes with no key are cached too, so guessing keys costs no queries.
 */
export class CachedApiKeyStore implements ApiKeyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Moves on with every announcement and interruption: a read that straddles one is not cached. */
  private generation = 0;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly changes: ChangeFeed,
    options: CachedApiKeyStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    changes.onChange((lookupPrefix) => this.forget(lookupPrefix));
    changes.onInterruption(() => {
      this.generation += 1;
      this.entries.clear();
    });
  }

  async findActiveByLookupPrefix(lookupPrefix: string): Promise<ApiKeyRecord[]> {
    const now = this.now();
    const cached = this.changes.listening ? this.entries.get(lookupPrefix) : undefined;
    // A rotated key's grace ends without any write to announce: expiry is checked on every use.
    if (cached && cached.until > now) return cached.keys.filter((key) => stillInForce(key, now));
    const generation = this.generation;
    const keys = await this.store.findActiveByLookupPrefix(lookupPrefix);
    if (this.changes.listening && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(lookupPrefix, { keys, until: now + this.ttlMs });
    }
    return keys;
  }

  forget(lookupPrefix: string): void {
    this.generation += 1;
    this.entries.delete(lookupPrefix);
  }

  touchLastUsed(id: string): Promise<void> {
    return this.store.touchLastUsed(id);
  }
}

function stillInForce(key: ApiKeyRecord, now: number): boolean {
  return key.expiresAt === null || key.expiresAt.getTime() > now;
}
