import { retryDelay, type BackoffPolicy } from '@telenexus/core';

/** How long and how often a delivery is retried. */
export interface WebhookRetryPolicy {
  /** Exponential backoff with full jitter between attempts (e.g. 30 s doubling, capped at 1 h). */
  readonly backoff: BackoffPolicy;
  /**
   * Retries go on until a failure comes this long after the event was created (e.g. 24 h): the last
   * scheduled retry may fall past it, so retries span at least the window.
   */
  readonly retryWindowMs: number;
}

/** What a failed attempt leads to. */
export type NextWebhookStep = { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'give-up' };

export interface FailedAttempt {
  readonly createdAt: Date;
  /** Attempts made so far, this one included (1 after the first failure). */
  readonly attempts: number;
  readonly nowMs: number;
  /** The receiver's Retry-After; a floor for the delay, itself bounded by the retry window. */
  readonly retryAfterMs?: number;
}

/**
 * Decides when a failed delivery is tried again, or that it is given up. Retry-After is honoured
 * as a floor, but a receiver cannot park a delivery past the retry window by asking for a long
 * wait.
 */
export function nextWebhookStep(
  attempt: FailedAttempt,
  policy: WebhookRetryPolicy,
  random: () => number = Math.random,
): NextWebhookStep {
  if (attempt.nowMs - attempt.createdAt.getTime() >= policy.retryWindowMs) return { kind: 'give-up' };
  const floor =
    attempt.retryAfterMs === undefined ? undefined : Math.min(attempt.retryAfterMs, policy.retryWindowMs);
  const delay = retryDelay(Math.max(1, attempt.attempts), policy.backoff, floor, random);
  return { kind: 'retry', at: new Date(attempt.nowMs + delay) };
}
