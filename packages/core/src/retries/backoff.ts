/** How retries of a transient failure are spaced. */
export interface BackoffPolicy {
  /** Delay ceiling for the first retry, in ms. */
  readonly baseMs: number;
  /** No retry waits longer than this, in ms. */
  readonly capMs: number;
}

/**
 * Exponential backoff with full jitter: a uniform random delay between 0 and
 * min(cap, base · 2^(retry − 1)). Full jitter spreads retries of many messages that failed together
 * (an instance reconnecting) instead of sending them back in lockstep.
 *
 * @param retry 1 for the first retry.
 * @param random a source of [0, 1), injectable for tests.
 */
export function fullJitterDelay(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, retry - 1);
  // Clamp the exponent so 2^n stays finite however many attempts are configured.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 40));
  return Math.floor(random() * ceiling);
}

/**
 * The delay before the next attempt: the jittered backoff, but never sooner than the server asked
 * for with Retry-After.
 */
export function retryDelay(
  retry: number,
  policy: BackoffPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const jittered = fullJitterDelay(retry, policy, random);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}
