import type { MessageEventType } from '../messages/message-event';
import { MESSAGE_TRANSITIONS } from '../messages/message-lifecycle';
import type { MessageStatus } from '../messages/message-status';
import type { MessageType } from '../messages/message-type';
import type { QueueWaitReason } from './queue-wait-reason';
import { nextSendingTime, type QuietHours } from './sending-windows';

/** How many of an instance's outgoing messages are where, at one moment. */
export interface InstanceQueueCounts {
  /** Queued and due: a worker takes them next. */
  readonly ready: number;
  /** Queued with a time set ahead: a paced slot, the end of quiet hours, a retry after an error. */
  readonly scheduled: number;
  /** Queued while the number is disconnected. */
  readonly held: number;
  /** Handed to Evolution, or sent without an answer yet (an ambiguous send being confirmed). */
  readonly inFlight: number;
  /** Failed within the last 24 hours. */
  readonly failedLast24h: number;
  /** Not queued yet: waiting for the `send_at` their billing system asked for (`scheduled`). */
  readonly waitingForSendAt: number;
}

/** The oldest queued message of an instance, with what its lifecycle columns say about it. */
export interface WaitingMessage {
  readonly id: string;
  readonly invoiceId: string | null;
  readonly messageType: MessageType | null;
  readonly status: MessageStatus;
  /** When it was accepted: it has waited since then. */
  readonly createdAt: Date;
  readonly heldAt: Date | null;
  /** The time set for its next try (paced slot, quiet hours' end, retry, held recheck), if any. */
  readonly nextAttemptAt: Date | null;
  /** The latest event of its timeline, which tells a retry from a paced slot. */
  readonly lastEvent: MessageEventType | null;
}

/** A per-instance queue, scoped to one tenant: what support needs from a queue dashboard. */
export interface InstanceQueue {
  readonly counts: InstanceQueueCounts;
  readonly oldestWaiting: (WaitingMessage & { readonly reason: QueueWaitReason }) | null;
}

/**
 * Why a queued message waits. Held wins (nothing goes out while the number is away); a time ahead
 * set by a retry is a retry; any other time ahead is quiet hours while the instance is in them, and
 * pacing (or the daily cap) otherwise; no time ahead is ready.
 */
export function queueWaitReason(
  message: Pick<WaitingMessage, 'heldAt' | 'nextAttemptAt' | 'lastEvent'>,
  instance: { readonly timezone: string; readonly quietHours: QuietHours | null },
  nowMs: number,
): QueueWaitReason {
  if (message.heldAt) return 'disconnected';
  if (!message.nextAttemptAt || message.nextAttemptAt.getTime() <= nowMs) return 'ready';
  if (message.lastEvent === MESSAGE_TRANSITIONS.retry.event) return 'retrying';
  return nextSendingTime(nowMs, instance.timezone, instance.quietHours) > nowMs ? 'quiet_hours' : 'pacing';
}
