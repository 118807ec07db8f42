import { Queue } from 'bullmq';
import type { RedisConnection } from './redis-connections';
import { JOB_NAMES, type SendJobData } from './job-payloads';
import { bullPrefix, QUEUE_NAMES } from './queue-names';
import { sendJobOptions, type SendRetryOptions } from './send-job-options';

export interface NotificationQueueOptions {
  readonly connection: RedisConnection;
  /** The configured namespace (`QUEUE_PREFIX`), without braces. */
  readonly namespace: string;
  readonly retry: SendRetryOptions;
  /** Upper bound on one enqueue, so a hung Redis cannot hold up an HTTP answer. */
  readonly enqueueTimeoutMs?: number;
}

/** A message's send job, with the pacing slot it holds (reserved when it was accepted), if any. */
export interface QueuedSend {
  readonly messageId: string;
  readonly slotMs?: number;
  /** Not to run before this (a scheduled message's `send_at`); it holds no slot. */
  readonly notBeforeMs?: number;
}

/** The producer side of the notifications queue: what ingress and the sweeper use. */
export class NotificationQueue {
  readonly queue: Queue<SendJobData>;
  private readonly retry: SendRetryOptions;
  private readonly enqueueTimeoutMs: number;

  constructor(options: NotificationQueueOptions) {
    this.queue = new Queue<SendJobData>(QUEUE_NAMES.notifications, {
      connection: options.connection,
      prefix: bullPrefix(options.namespace),
    });
    this.retry = options.retry;
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 2000;
  }

  /** Adds the send job for a message; rejects within the timeout if Redis cannot take it. */
  async enqueueSend(messageId: string, delayMs = 0): Promise<void> {
    const options = { ...sendJobOptions(messageId, this.retry), ...(delayMs > 0 ? { delay: delayMs } : {}) };
    await withTimeout(
      this.queue.add(JOB_NAMES.send, { messageId }, options),
      this.enqueueTimeoutMs,
      'Redis did not accept the job in time',
    );
  }

  /** Adds the send jobs of many messages in one round trip (a batch's `addBulk`). */
  enqueueSends(messageIds: readonly string[]): Promise<void> {
    return this.enqueueSendsWithSlots(messageIds.map((messageId) => ({ messageId })));
  }

  /**
   * Adds the send jobs of many messages in one round trip; a message with a pacing slot reserved
   * for it waits in the delayed set until then, and its first attempt holds that slot.
   */
  async enqueueSendsWithSlots(sends: readonly QueuedSend[], nowMs = Date.now()): Promise<void> {
    if (sends.length === 0) return;
    await withTimeout(
      this.queue.addBulk(
        sends.map(({ messageId, slotMs, notBeforeMs }) => {
          const opts = sendJobOptions(messageId, this.retry);
          if (slotMs === undefined) {
            const later = notBeforeMs !== undefined && notBeforeMs > nowMs;
            return {
              name: JOB_NAMES.send,
              data: { messageId },
              opts: later ? { ...opts, delay: notBeforeMs - nowMs } : opts,
            };
          }
          return {
            name: JOB_NAMES.send,
            data: { messageId, paceSlotMs: slotMs, paceAttempt: 0 },
            opts: slotMs > nowMs ? { ...opts, delay: slotMs - nowMs } : opts,
          };
        }),
      ),
      this.enqueueTimeoutMs,
      'Redis did not accept the jobs in time',
    );
  }

  /**
   * Makes sure a send job exists for each message whose job may have been lost (Redis restarted
   * without persistence, flushed, or down when the message was accepted). One pipelined round trip
   * reads every job's hash; a job still waiting, delayed or active is left alone, a missing one is
   * added, and a finished one left under the same id (which would make `add` a no-op) is replaced.
   * The claim in Postgres keeps a message from being sent twice whatever happens here.
   *
   * @returns the ids for which a job was added now.
   */
  async ensureSendJobs(messageIds: readonly string[]): Promise<string[]> {
    if (messageIds.length === 0) return [];
    // BullMQ hands out its own client type; it is the ioredis connection we gave it.
    const client = (await this.queue.client) as unknown as RedisConnection;
    const pipeline = client.pipeline();
    for (const id of messageIds) pipeline.hmget(this.queue.toKey(id), 'timestamp', 'finishedOn');
    const replies = (await pipeline.exec()) ?? [];
    const added: string[] = [];
    for (const [index, id] of messageIds.entries()) {
      const [error, fields] = replies[index] ?? [new Error('no reply'), null];
      if (error) throw error;
      const [createdAt, finishedOn] = (fields as (string | null)[] | null) ?? [null, null];
      if (createdAt !== null && finishedOn === null) continue;
      if (createdAt !== null) await this.queue.remove(id);
      await this.enqueueSend(id);
      added.push(id);
    }
    return added;
  }

  /**
   * Makes the send jobs of these messages due now, in this order: a waiting delayed job is promoted
   * (it keeps its place after those promoted before it), a missing or finished one is added again.
   */
  async promoteSends(messageIds: readonly string[]): Promise<void> {
    for (const id of messageIds) {
      const job = await this.queue.getJob(id);
      if (job && (await job.isDelayed())) await job.promote();
      else if (!job || job.finishedOn !== undefined) await this.ensureSendJobs([id]);
    }
  }

  /**
   * Takes back the send jobs of messages that will not be sent (canceled while they waited): a job
   * still delayed is removed, and the pacing slot it held, if any, is returned for the caller to give
   * back. A job already running is left to see the status and give its slot back itself.
   */
  async withdrawSends(messageIds: readonly string[]): Promise<QueuedSend[]> {
    const withdrawn: QueuedSend[] = [];
    for (const id of messageIds) {
      const job = await this.queue.getJob(id);
      if (!job || !(await job.isDelayed())) continue;
      const data = job.data as Partial<SendJobData>;
      await job.remove();
      // A slot belongs to the attempt that reserved it (see the send job's processor).
      const slotMs = data.paceAttempt === job.attemptsMade ? data.paceSlotMs : undefined;
      withdrawn.push({ messageId: id, ...(slotMs === undefined ? {} : { slotMs }) });
    }
    return withdrawn;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
