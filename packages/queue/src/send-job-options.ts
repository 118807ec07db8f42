import type { JobsOptions } from 'bullmq';

/** How many times a transiently failing send is tried before the message is marked failed. */
export interface SendRetryOptions {
  readonly attempts: number;
}

/** BullMQ's name for our custom backoff; the worker supplies the strategy (full jitter). */
export const SEND_BACKOFF_TYPE = 'full-jitter';

/**
 * Options of every send job. The job id is the message id, so adding the same message twice (a
 * sweeper re-add racing a late enqueue) yields one job.
 */
export function sendJobOptions(messageId: string, retry: SendRetryOptions): JobsOptions {
  return {
    jobId: messageId,
    attempts: retry.attempts,
    backoff: { type: SEND_BACKOFF_TYPE },
    // Finished jobs are history Postgres already keeps; keep Redis small.
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
  };
}
