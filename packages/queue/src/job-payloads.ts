import { isUuid } from '@telenexus/core';

/** The send job: ids only, because Redis keeps job data in clear text and Postgres is the source. */
export interface SendJobData {
  readonly messageId: string;
  /** A pacing slot already reserved for attempt `paceAttempt` (set when the job is delayed to it). */
  readonly paceSlotMs?: number;
  readonly paceAttempt?: number;
}

/** The names of the notifications queue's jobs. */
export const JOB_NAMES = { send: 'send' } as const;

/** Checks a send job's data at the worker's door; anything else in Redis is not to be trusted. */
export function parseSendJobData(data: unknown): SendJobData {
  if (typeof data === 'object' && data !== null) {
    const { messageId, paceSlotMs, paceAttempt } = data as Record<string, unknown>;
    if (typeof messageId === 'string' && isUuid(messageId)) {
      return typeof paceSlotMs === 'number' && typeof paceAttempt === 'number'
        ? { messageId, paceSlotMs, paceAttempt }
        : { messageId };
    }
  }
  throw new InvalidJobDataError('send job data must be {"messageId": "<uuid>"}');
}

/** Job data that no retry can fix. */
export class InvalidJobDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobDataError';
  }
}
