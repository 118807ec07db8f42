import type { MessageStatus } from './message-status';

/** What happened to a message; the timeline support reads to answer "did the customer get it?". */
export const MESSAGE_EVENT_TYPES = [
  'accepted',
  /** The same notification came again after one of them ended unsent; the detail names the other message. */
  'resubmitted',
  'scheduled',
  'claimed',
  'sent',
  'retry_scheduled',
  'failed',
  'ambiguous',
  'receipt',
  'requeued',
  'canceled',
  'expired',
  'received',
  'held',
  'released',
  'resent',
  /** A scheduled message's `send_at` came: it queues, to follow quiet hours and pacing from then. */
  'due',
] as const;

export type MessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];

export interface MessageEvent {
  readonly id: string;
  readonly messageId: string;
  readonly type: MessageEventType;
  /** The status the message moved to, or null when the event changed nothing (a late receipt). */
  readonly status: MessageStatus | null;
  readonly detail: string | null;
  readonly createdAt: Date;
}
