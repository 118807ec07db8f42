import type { Queue } from 'bullmq';

/** Job states that are work still to do. BullMQ's wait list alone misses delayed retries and paced sends. */
export const BACKLOG_STATES = ['waiting', 'delayed', 'active', 'prioritized'] as const;

/**
 * Job states that a worker could run now or is running: the backlog less the delayed set, where
 * paced sends wait for their slot, held messages for their number, quiet hours for their end and
 * retries for their backoff. More dispatchers make these go faster; they cannot hurry delayed ones.
 */
export const READY_STATES = ['waiting', 'active', 'prioritized'] as const;

/** What the backlog is read from: a BullMQ queue's name and job counts. */
export type CountedQueue = Pick<Queue, 'name' | 'getJobCounts'>;

export interface QueueBacklog {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly prioritized: number;
  readonly total: number;
  /** Waiting + active + prioritized (READY_STATES): what autoscaling dispatchers should follow. */
  readonly ready: number;
}

/** Messages still to send, per instance (from Postgres: queued or sending). */
export type InstanceBacklogReader = () => Promise<Readonly<Record<string, number>>>;

/** What autoscalers and dashboards read: the whole backlog, by queue and by instance. */
export interface BacklogReport {
  readonly total: number;
  /** Jobs ready to run or running, over every queue (see READY_STATES). */
  readonly ready: number;
  readonly byQueue: Readonly<Record<string, QueueBacklog>>;
  readonly byInstance: Readonly<Record<string, number>>;
}

export async function queueBacklog(queue: CountedQueue): Promise<QueueBacklog> {
  const counts = await queue.getJobCounts(...BACKLOG_STATES);
  const of = (state: (typeof BACKLOG_STATES)[number]): number => counts[state] ?? 0;
  return {
    waiting: of('waiting'),
    delayed: of('delayed'),
    active: of('active'),
    prioritized: of('prioritized'),
    total: BACKLOG_STATES.reduce((sum, state) => sum + of(state), 0),
    ready: READY_STATES.reduce((sum, state) => sum + of(state), 0),
  };
}

/** Reads the backlog of every queue and, when given, of every instance. */
export async function readBacklog(
  queues: readonly CountedQueue[],
  byInstance?: InstanceBacklogReader,
): Promise<BacklogReport> {
  const perQueue = await Promise.all(
    queues.map(async (queue) => [queue.name, await queueBacklog(queue)] as const),
  );
  return {
    total: perQueue.reduce((sum, [, backlog]) => sum + backlog.total, 0),
    ready: perQueue.reduce((sum, [, backlog]) => sum + backlog.ready, 0),
    byQueue: Object.fromEntries(perQueue),
    byInstance: byInstance ? await byInstance() : {},
  };
}
