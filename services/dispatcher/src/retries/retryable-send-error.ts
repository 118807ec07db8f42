/**
 * Thrown to make BullMQ run the send job again after `delayMs` — the delay the use case already
 * chose and wrote to the message's `next_attempt_at`, so the queue and the timeline agree.
 */
export class RetryableSendError extends Error {
  readonly delayMs: number;

  constructor(reason: string, delayMs: number) {
    super(reason);
    this.name = 'RetryableSendError';
    this.delayMs = delayMs;
  }
}
