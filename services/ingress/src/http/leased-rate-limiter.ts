import type { RedisConnection } from '@telenexus/queue';

export interface LeasedRateLimiterOptions {
  /** Redis key prefix; each subject's window is one counter under it. */
  readonly keyPrefix: string;
  /** Points per subject per window. */
  readonly points: number;
  readonly windowMs: number;
  /**
   * Points taken from the shared count at a time, beyond what the request needs. Default 1 % of
   * `points` (at least 1): a replica asks Redis about once per that many points, and at most that
   * many of a window's points sit unused in another replica's lease.
   */
  readonly leaseSize?: number;
  readonly now?: () => number;
}

/** A request's answer: allowed or not, what the caller has left, and when the window resets. */
export interface RateDecision {
  readonly allowed: boolean;
  readonly remaining: number;
  readonly msBeforeReset: number;
}

/** The points this replica took from a subject's shared count in the current window. */
interface Lease {
  readonly window: number;
  /** Taken and not yet spent. */
  left: number;
  /** The shared count as of this replica's last lease (its unspent lease included). */
  sharedCount: number;
}

/**
 * Counts each subject's points per fixed window in process, taking them from the count every
 * replica shares in Redis a lease at a time: one `INCRBY` buys `leaseSize` points, which this
 * replica then spends without asking Redis again. A lease never takes more than the window has
 * left, so all replicas together never admit more than `points` per window; the cost of sharing is
 * the other way round: up to `(replicas − 1) × leaseSize` points may sit unspent in other replicas'
 * leases while this one is refused. With `leaseSize` 1 every point is asked for, which is exact.
 */
export class LeasedRateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly leaseSize: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: LeasedRateLimiterOptions,
  ) {
    if (!Number.isInteger(options.points) || options.points < 1) {
      throw new RangeError('points must be a positive whole number');
    }
    this.leaseSize = options.leaseSize ?? Math.max(1, Math.floor(options.points / 100));
    this.now = options.now ?? Date.now;
  }

  /** Spends `cost` points of the subject's window if they are there; throws if Redis cannot be asked. */
  async consume(subject: string, cost: number): Promise<RateDecision> {
    const now = this.now();
    const window = Math.floor(now / this.options.windowMs);
    const msBeforeReset = (window + 1) * this.options.windowMs - now;
    let lease = this.leases.get(subject);
    if (!lease || lease.window !== window) {
      lease = { window, left: 0, sharedCount: 0 };
      this.forgetPastWindows(window);
      this.leases.set(subject, lease);
    }
    if (lease.left < cost) await this.extend(subject, lease, Math.max(cost - lease.left, this.leaseSize));
    const allowed = lease.left >= cost;
    if (allowed) lease.left -= cost;
    const remaining = Math.max(0, this.options.points - lease.sharedCount) + lease.left;
    return { allowed, remaining, msBeforeReset };
  }

  /** Takes up to `wanted` more points from the shared count: at most what the window has left. */
  private async extend(subject: string, lease: Lease, wanted: number): Promise<void> {
    const key = `${this.options.keyPrefix}:${subject}:${lease.window}`;
    const results = await this.redis
      .multi()
      .incrby(key, wanted)
      // The window's counter outlives it by one window; it is never read after its window.
      .pexpire(key, this.options.windowMs * 2)
      .exec();
    const [error, count] = results?.[0] ?? [new Error('the lease was not answered'), null];
    if (error) throw error;
    const sharedCount = Number(count);
    const leftBefore = this.options.points - (sharedCount - wanted);
    lease.left += Math.max(0, Math.min(wanted, leftBefore));
    lease.sharedCount = Math.min(sharedCount, this.options.points);
  }

  /** Leases of past windows are dead weight: dropped when the window turns (bounded memory). */
  private forgetPastWindows(window: number): void {
    if (this.leases.size < 10_000) return;
    for (const [subject, lease] of this.leases) if (lease.window !== window) this.leases.delete(subject);
  }
}
