import { GroupCommit } from '@telenexus/core';
import type { QueuedSend } from '@telenexus/queue';
import type { BulkEnqueuer } from './accept-notifications.use-case';

/** Requests whose jobs are added together at most. */
const MAX_GROUP = 50;

/**
 * Group commit for the jobs of accepted messages: the jobs of requests (of any instance) stored
 * while an `addBulk` is in flight are added together in the next one, so many instances' sends
 * cost about one round trip to Redis between them. A failed call fails every request in it; each
 * logs it, and the sweeper enqueues their messages.
 */
export class CoalescedEnqueuer implements BulkEnqueuer {
  private readonly adds: GroupCommit<readonly QueuedSend[], void>;

  constructor(private readonly queue: BulkEnqueuer) {
    this.adds = new GroupCommit(
      async (requests) => {
        await queue.enqueueSendsWithSlots(requests.flat());
        return requests.map(() => undefined);
      },
      { maxGroup: MAX_GROUP },
    );
  }

  enqueueSendsWithSlots(sends: readonly QueuedSend[]): Promise<void> {
    return this.adds.submit(sends);
  }

  withdrawSends(messageIds: readonly string[]): Promise<QueuedSend[]> {
    return this.queue.withdrawSends(messageIds);
  }
}
