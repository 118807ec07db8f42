import { fullJitterDelay, type BackoffPolicy } from '@telenexus/core';
import { RetryableSendError } from './retryable-send-error';

/**
 * BullMQ's backoff for send jobs. A RetryableSendError carries its own delay; any other error (say
 * Postgres unreachable mid-job) gets exponential backoff with full jitter.
 */
export function sendBackoffStrategy(policy: BackoffPolicy, random: () => number = Math.random) {
  return (attemptsMade: number, _type?: string, error?: Error): number =>
    error instanceof RetryableSendError ? error.delayMs : fullJitterDelay(attemptsMade, policy, random);
}
