/** How long a count is trusted, and how close to the limit it stops being trusted. */
export interface KnownQueueCountsOptions {
  readonly trustedForMs: number;
  /** Share of the limit above which each request counts again. */
  readonly trustedBelowShare: number;
}

export const DEFAULT_KNOWN_QUEUE_COUNTS: KnownQueueCountsOptions = {
  trustedForMs: 1_000,
  trustedBelowShare: 0.9,
};

interface Known {
  readonly countedAtMs: number;
  count: number;
}

/** Beyond this many accounts, counts no longer trusted are forgotten. */
const ACCOUNTS_KEPT = 10_000;

/**
 * How many messages each account has queued, as this process last counted it in Postgres plus what
 * it has queued since. Counting is the costly part of admitting a request: it reads one index entry
 * per queued message, so an account with 50,000 waiting would pay for 50,000 on every send. Far
 * below the limit the last count is good enough; it is counted again after `trustedForMs`, and on
 * every request once a request could take it past `trustedBelowShare` of the limit.
 *
 * It never undercounts what this process did: sends since the count only make it too high. What it
 * cannot see is what other replicas queued since the count, so the account may go over its limit by
 * what the others accept within `trustedForMs`, and only from above `trustedBelowShare` of it.
 */
export class KnownQueueCounts {
  private readonly known = new Map<string, Known>();

  constructor(private readonly options: KnownQueueCountsOptions = DEFAULT_KNOWN_QUEUE_COUNTS) {}

  /** The account's queued count if it may stand for a count now, with `adding` more to come. */
  trusted(accountId: string, limit: number, adding: number, nowMs: number): number | undefined {
    const known = this.known.get(accountId);
    if (!known || nowMs - known.countedAtMs > this.options.trustedForMs) return undefined;
    return known.count + adding <= limit * this.options.trustedBelowShare ? known.count : undefined;
  }

  /** What a count in Postgres found. */
  counted(accountId: string, count: number, nowMs: number): void {
    if (this.known.size >= ACCOUNTS_KEPT && !this.known.has(accountId)) this.forgetUntrusted(nowMs);
    this.known.set(accountId, { countedAtMs: nowMs, count });
  }

  /** Messages this process queued for the account since. */
  added(accountId: string, count: number): void {
    const known = this.known.get(accountId);
    if (known) known.count += count;
  }

  private forgetUntrusted(nowMs: number): void {
    for (const [accountId, known] of this.known) {
      if (nowMs - known.countedAtMs > this.options.trustedForMs) this.known.delete(accountId);
    }
    // All trusted still (a burst over that many accounts): start again rather than grow.
    if (this.known.size >= ACCOUNTS_KEPT) this.known.clear();
  }
}
