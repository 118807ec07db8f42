import type { Logger } from '@telenexus/logger';

export interface HeldMessageStore {
  releaseHeldOfConnectedInstances(limit: number): Promise<string[]>;
}

export interface ReleasedJobQueue {
  promoteSends(messageIds: readonly string[]): Promise<void>;
}

/**
 * Resumes the held messages of numbers that are connected again, whoever noticed (Evolution's
 * webhook to ingress, the poller, a send), oldest first, so each instance's backlog goes out in its
 * order and at its pace.
 */
export class HeldMessageReleaser {
  constructor(
    private readonly messages: HeldMessageStore,
    private readonly queue: ReleasedJobQueue,
    private readonly logger: Logger,
    private readonly batchSize = 500,
  ) {}

  /** @returns how many messages were released. */
  async releaseOnce(): Promise<number> {
    let released = 0;
    for (;;) {
      const ids = await this.messages.releaseHeldOfConnectedInstances(this.batchSize);
      // Promoted in their order: the queue hands them to the workers first in, first out.
      await this.queue.promoteSends(ids);
      released += ids.length;
      if (ids.length < this.batchSize) break;
    }
    if (released > 0) this.logger.info('held messages released', { released });
    return released;
  }
}
