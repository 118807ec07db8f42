import type { Instance } from '@telenexus/core';
import {
  AnnouncedCache,
  INSTANCE_CHANGES_CHANNEL,
  type AnnouncedCacheOptions,
  type ChangeFeed,
} from '@telenexus/db';
import type { InstanceFinder } from './sendable-instance';

/** What the cache reads instances with: by id alone, whoever owns them. */
export interface InstanceByIdFinder {
  findById(id: string): Promise<Instance | null>;
}

/**
 * Keeps the instances notifications are sent through in process, so accepting one costs no
 * instance lookup in Postgres. `instances`' trigger announces every change (connection state,
 * pacing, deletion) with the instance's id, and every replica forgets it the moment it hears it (see
 * `AnnouncedCache`). Unknown ids are not kept: a new instance is not announced.
 */
export class CachedInstanceFinder implements InstanceFinder {
  private readonly cache: AnnouncedCache<Instance | null>;

  constructor(
    private readonly instances: InstanceByIdFinder,
    changes: ChangeFeed,
    options: AnnouncedCacheOptions = {},
  ) {
    this.cache = new AnnouncedCache(changes, INSTANCE_CHANGES_CHANNEL, options);
  }

  async findForAccount(accountId: string, id: string): Promise<Instance | null> {
    const instance = await this.cache.read(
      id,
      () => this.instances.findById(id),
      (found) => found !== null,
    );
    // Kept by id alone: another account's instance is, to this one, an instance that does not exist.
    return instance?.accountId === accountId ? instance : null;
  }

  /** Drops the instance now: a change this process made, which its next request must see. */
  forget(id: string): void {
    this.cache.forget(id);
  }
}
