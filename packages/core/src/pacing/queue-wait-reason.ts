/**
 * Why a queued message is not on its way yet, as the per-instance queue view tells support staff:
 * its paced slot (or the daily cap) is ahead, quiet hours, a disconnected number, a retry after an
 * error, or nothing (`ready`: due now, a worker takes it next).
 */
export const QUEUE_WAIT_REASONS = ['ready', 'pacing', 'quiet_hours', 'disconnected', 'retrying'] as const;

export type QueueWaitReason = (typeof QUEUE_WAIT_REASONS)[number];
