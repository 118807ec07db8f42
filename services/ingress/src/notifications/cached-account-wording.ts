import { GUIDE_WORDING, type AccountWording } from '@telenexus/core';
import {
  AnnouncedCache,
  WORDING_CHANGES_CHANNEL,
  type AnnouncedCacheOptions,
  type ChangeFeed,
} from '@telenexus/db';

/** How an account words its notifications, as the accept path reads it. */
export interface WordingReader {
  forAccount(accountId: string): Promise<AccountWording>;
  /** Drops what this process holds of the account: a change it made, to be seen by its next request. */
  forget?(accountId: string): void;
}

/** What the cache reads wording with: an `AccountWordingRepository`. */
export interface WordingSource {
  read(accountId: string): Promise<AccountWording | null>;
}

/** Reads every time: for processes without a change feed (tools, some tests). */
export class UncachedAccountWording implements WordingReader {
  constructor(private readonly source: WordingSource) {}

  async forAccount(accountId: string): Promise<AccountWording> {
    return (await this.source.read(accountId)) ?? GUIDE_WORDING;
  }
}

/**
 * Keeps each account's wording in process, so rendering a notification costs no read of Postgres.
 * Every change to it (a text saved or deleted, the company name or payment instructions) is announced
 * with the account's id, and every replica forgets it the moment it hears it (see `AnnouncedCache`).
 * Accounts with no texts of their own are kept too: most accounts, and the answer is just as true.
 */
export class CachedAccountWording implements WordingReader {
  private readonly cache: AnnouncedCache<AccountWording>;
  private readonly uncached: UncachedAccountWording;

  constructor(source: WordingSource, changes: ChangeFeed, options: AnnouncedCacheOptions = {}) {
    this.cache = new AnnouncedCache(changes, WORDING_CHANGES_CHANNEL, options);
    this.uncached = new UncachedAccountWording(source);
  }

  forAccount(accountId: string): Promise<AccountWording> {
    return this.cache.read(accountId, () => this.uncached.forAccount(accountId));
  }

  forget(accountId: string): void {
    this.cache.forget(accountId);
  }
}
