import type { ChangeFeed } from './postgres-change-feed';

export interface AnnouncedCacheOptions {
  /**
   * The longest an entry is trusted even while the feed is heard: a bound on staleness should an
   * announcement be lost without the connection dropping. Default 30 s.
   */
  readonly ttlMs?: number;
  /** Entries held at most; past it the cache starts over. Default 10,000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly until: number;
}

/**
 * Rows read from Postgres, kept in process and forgotten the moment the database announces a change
 * to them on `channel` (a trigger's `pg_notify` with the entry's key, sent at commit), so replicas
 * never serve a change another one made for longer than the announcement takes. While the feed is
 * not heard nothing is kept or trusted, and every interruption empties it; a read that straddles an
 * announcement is not kept (the generation moved on during the read).
 */
export class AnnouncedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Moves on with every announcement and interruption: a read that straddles one is not kept. */
  private generation = 0;

  constructor(
    private readonly changes: ChangeFeed,
    channel: string,
    options: AnnouncedCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    changes.onChange((key, from) => {
      if (from === channel) this.forget(key);
    });
    changes.onInterruption(() => {
      this.generation += 1;
      this.entries.clear();
    });
  }

  /** The kept value of `key`, or `load()`'s, kept if `keep` says so (default: always). */
  async read(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const now = this.now();
    const cached = this.changes.listening ? this.entries.get(key) : undefined;
    if (cached && cached.until > now) return cached.value;
    const generation = this.generation;
    const value = await load();
    if (this.changes.listening && generation === this.generation && keep(value)) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }

  /** Drops the entry now: a change this process made, which it must see before the announcement. */
  forget(key: string): void {
    this.generation += 1;
    this.entries.delete(key);
  }
}
