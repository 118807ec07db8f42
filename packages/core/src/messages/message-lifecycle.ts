import type { MessageEventType } from './message-event';
import { MESSAGE_STATUSES, type MessageStatus } from './message-status';
import type { WebhookEventType } from '../status-webhooks/webhook-event-type';

/** One move of the status machine: the statuses it may start from, where it leads, what it logs. */
export interface MessageTransitionRule {
  /** Empty for the transitions that create a message. */
  readonly from: readonly MessageStatus[];
  readonly to: MessageStatus;
  /** The timeline event it appends. */
  readonly event: MessageEventType;
  /** The status webhook it announces, where it is not the one of the status it leads to. */
  readonly announces?: WebhookEventType;
}

/**
 * The message status machine, whole: every transition a message can make, the statuses each may
 * start from, and where it leads. Status only moves forward; every change is a compare-and-set on
 * these `from` lists, so two workers cannot both win a transition, and a late or repeated event
 * (a receipt, a re-run job) changes nothing. The repository's SQL, the console and the fault checks
 * all read this table; nothing else lists statuses by hand.
 */
export const MESSAGE_TRANSITIONS = {
  /** A notification is stored, to be sent. */
  accept: { from: [], to: 'queued', event: 'accepted' },
  /** A notification with a `send_at` ahead is stored, to wait for it. */
  acceptScheduled: { from: [], to: 'scheduled', event: 'accepted' },
  /**
   * Its `send_at` came: it queues from then (announced as `message.queued`, which it was not when
   * accepted), to follow quiet hours and pacing like any queued message.
   */
  due: { from: ['scheduled'], to: 'queued', event: 'due', announces: 'message.queued' },
  /** A customer's reply is stored. */
  receive: { from: [], to: 'received', event: 'received' },
  /** Pacing or quiet hours put the send later; it stays queued. */
  schedule: { from: ['queued'], to: 'queued', event: 'scheduled' },
  /** One send attempt takes the message: the gate before every Evolution call. */
  claim: { from: ['queued'], to: 'sending', event: 'claimed' },
  /**
   * Its WhatsApp number is disconnected: it waits, queued, consuming no attempt, pacing slot or cap
   * unit (from `sending` when Evolution answered "Connection Closed").
   */
  hold: { from: ['queued', 'sending'], to: 'queued', event: 'held' },
  /** The number is back: held messages resume in their order. */
  release: { from: ['queued'], to: 'queued', event: 'released' },
  /** A failure that certainly sent nothing: it goes back to wait for its next attempt. */
  retry: { from: ['sending'], to: 'queued', event: 'retry_scheduled' },
  /** The send may or may not have reached WhatsApp. */
  ambiguous: { from: ['sending'], to: 'unknown', event: 'ambiguous' },
  /** An ambiguous send never confirmed, sent once more because its account asked for that. */
  resend: { from: ['unknown'], to: 'queued', event: 'resent' },
  /** Evolution took it (its answer, or its `send.message` webhook for an ambiguous send). */
  send: { from: ['sending', 'unknown'], to: 'sent', event: 'sent' },
  /** A permanent error, or the attempts ran out. */
  fail: { from: ['queued', 'sending'], to: 'failed', event: 'failed' },
  /** An ambiguous send without evidence by its deadline, under the default policy. */
  failUnconfirmed: { from: ['unknown'], to: 'failed', event: 'failed' },
  /** It could only have gone out after its deadline. */
  expire: { from: ['scheduled', 'queued'], to: 'expired', event: 'expired' },
  /** A payment confirmation for the invoice made it pointless. */
  supersede: { from: ['scheduled', 'queued'], to: 'canceled', event: 'canceled' },
  /** The billing system or an admin took it back before any attempt (`DELETE /messages/:id`). */
  cancel: { from: ['scheduled', 'queued'], to: 'canceled', event: 'canceled' },
  /** WhatsApp's receipts, forward only: a late `DELIVERY_ACK` never undoes a `READ`. */
  receiptSent: { from: ['sending', 'unknown'], to: 'sent', event: 'receipt' },
  receiptDelivered: { from: ['sending', 'unknown', 'sent'], to: 'delivered', event: 'receipt' },
  receiptRead: { from: ['sending', 'unknown', 'sent', 'delivered'], to: 'read', event: 'receipt' },
  /** An error report cannot undo a delivery. */
  receiptFailed: { from: ['sending', 'unknown', 'sent'], to: 'failed', event: 'receipt' },
} as const satisfies Readonly<Record<string, MessageTransitionRule>>;

export type MessageTransitionName = keyof typeof MESSAGE_TRANSITIONS;

const RULES: readonly MessageTransitionRule[] = Object.values(MESSAGE_TRANSITIONS);

/** Whether the machine allows moving from one status to another. */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return RULES.some((rule) => rule.to === to && rule.from.includes(from));
}

/** Statuses a message may be canceled from (`DELETE /messages/:id`): it has not been tried yet. */
export const CANCELABLE_STATUSES: readonly MessageStatus[] = MESSAGE_TRANSITIONS.cancel.from;

/**
 * Statuses no transition leaves: the message's story is over (read, failed, canceled, expired,
 * received). The console stops following a message there.
 */
export const FINAL_STATUSES: readonly MessageStatus[] = MESSAGE_STATUSES.filter(
  (status) => !RULES.some((rule) => rule.from.includes(status)),
);

/**
 * Statuses of a message still on its way to Evolution: what a claim, a schedule or a retry starts
 * from. These are the backlog, and a message resting in one of them is not done. A `scheduled`
 * message is not done either, but it is not backlog: it waits for its time, not for a worker.
 */
export const PENDING_STATUSES: readonly MessageStatus[] = [
  ...new Set([
    ...MESSAGE_TRANSITIONS.claim.from,
    ...MESSAGE_TRANSITIONS.schedule.from,
    ...MESSAGE_TRANSITIONS.retry.from,
  ]),
];
