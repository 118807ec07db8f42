import type { StalledCursor } from '@telenexus/db';
import type { Logger } from '@telenexus/logger';

export interface SweeperMessageStore {
  findStalledQueued(olderThan: Date, limit: number, after?: StalledCursor): Promise<StalledCursor[]>;
  markStalledSendingUnknown(olderThan: Date, limit: number): Promise<string[]>;
}

export interface SweeperQueue {
  ensureSendJobs(messageIds: readonly string[]): Promise<string[]>;
}

export interface OutboxSweeperOptions {
  /** A queued message untouched this long has its job checked. */
  readonly queuedStaleAfterMs: number;
  /** A message `sending` this long lost its worker mid-call. */
  readonly sendingStaleAfterMs: number;
  /** Rows examined per batch, and batches per sweep. */
  readonly batchSize?: number;
  readonly maxBatches?: number;
  readonly now?: () => number;
}

export interface SweepReport {
  readonly checked: number;
  readonly reenqueued: number;
  readonly markedUnknown: number;
}

/**
 * Keeps the promise "a 200 is never lost": Postgres is the outbox and Redis only the delivery
 * mechanism. Each sweep checks queued messages that have not moved for a while and makes sure each
 * has a job (re-adding those lost to a Redis outage or flush), and turns messages stuck in `sending`
 * — their worker died mid-call — into `unknown`, since they may have gone out.
 *
 * A large legitimate backlog is walked a bounded number of rows per sweep, resuming where the last
 * sweep stopped, so lost jobs behind it are found too.
 */
export class OutboxSweeper {
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly now: () => number;
  private cursor: StalledCursor | undefined;

  constructor(
    private readonly messages: SweeperMessageStore,
    private readonly queue: SweeperQueue,
    private readonly logger: Logger,
    private readonly options: OutboxSweeperOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxBatches = options.maxBatches ?? 20;
    this.now = options.now ?? Date.now;
  }

  async sweep(): Promise<SweepReport> {
    const now = this.now();
    const unknown = await this.messages.markStalledSendingUnknown(
      new Date(now - this.options.sendingStaleAfterMs),
      this.batchSize,
    );
    if (unknown.length > 0)
      this.logger.warn('messages stuck in sending marked unknown', { count: unknown.length });

    let checked = 0;
    let reenqueued = 0;
    const staleBefore = new Date(now - this.options.queuedStaleAfterMs);
    for (let batch = 0; batch < this.maxBatches; batch += 1) {
      const rows = await this.messages.findStalledQueued(staleBefore, this.batchSize, this.cursor);
      checked += rows.length;
      if (rows.length > 0) reenqueued += (await this.queue.ensureSendJobs(rows.map((row) => row.id))).length;
      this.cursor = rows.length < this.batchSize ? undefined : rows[rows.length - 1];
      if (!this.cursor) break;
    }
    if (reenqueued > 0) this.logger.warn('re-enqueued messages whose jobs were lost', { count: reenqueued });
    return { checked, reenqueued, markedUnknown: unknown.length };
  }
}
