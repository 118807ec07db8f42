import type { BackoffOptions, JobsOptions, KeepJobs } from 'bullmq';

/** How many times a transiently failing send is tried before the message is marked failed. */
export interface SendRetryOptions {
  readonly attempts: number;
}

/** BullMQ's name for our custom backoff; the worker supplies the strategy (full jitter). */
export const SEND_BACKOFF_TYPE = 'full-jitter';

/**
 * Options of every send job: the job id is the message id, so adding the same message twice (a
 * sweeper re-add racing a late enqueue) yields one job; and the attempts. Nothing else, because
 * BullMQ stores the options as one value of the job's hash, and a value over Redis's default
 * `hash-max-listpack-value` (64 bytes) turns the whole hash from the compact listpack encoding into
 * a hash table: 712 instead of 248 bytes per queued job. These two come to 62 bytes. The backoff
 * and the retention of finished jobs are the worker's (SEND_JOB_BACKOFF, SEND_JOB_RETENTION).
 */
export function sendJobOptions(messageId: string, retry: SendRetryOptions): JobsOptions {
  return { jobId: messageId, attempts: retry.attempts };
}

/**
 * The backoff of a send job, which BullMQ reads from the job object it fails: the worker sets it on
 * each job it takes (jobs queued before it was left out of the options keep their own).
 */
export const SEND_JOB_BACKOFF: Readonly<BackoffOptions> = { type: SEND_BACKOFF_TYPE };

/** Finished jobs are history Postgres already keeps: the worker keeps Redis small. */
export const SEND_JOB_RETENTION: Readonly<{ removeOnComplete: KeepJobs; removeOnFail: KeepJobs }> = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
};
