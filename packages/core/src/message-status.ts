/**
 * Every state a message can be in. `unknown` marks an ambiguous send (the request may or may not
 * have reached WhatsApp) until a receipt or a reconciliation settles it.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'unknown',
  'sent',
  'delivered',
  'read',
  'failed',
  'canceled',
  'expired',
  'received',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** States after which nothing is ever sent for the message again. */
export const FINAL_STATUSES: readonly MessageStatus[] = [
  'delivered',
  'read',
  'failed',
  'canceled',
  'expired',
  'received',
];

/**
 * Progress of an outgoing message, used to keep status moving forward only: receipts arrive out of
 * order and twice, and a late `SERVER_ACK` must never undo a `READ`.
 */
export const DELIVERY_RANK: Readonly<Record<MessageStatus, number>> = {
  queued: 0,
  sending: 1,
  unknown: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
  canceled: 5,
  expired: 5,
  received: 5,
};

export function isMessageStatus(value: unknown): value is MessageStatus {
  return typeof value === 'string' && (MESSAGE_STATUSES as readonly string[]).includes(value);
}
