/**
 * Every state a message can be in. `scheduled` waits for the `send_at` its billing system asked
 * for, before it queues. `unknown` marks an ambiguous send (the request may or may not have reached
 * WhatsApp) until a receipt or a reconciliation settles it.
 */
export const MESSAGE_STATUSES = [
  'scheduled',
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

export function isMessageStatus(value: unknown): value is MessageStatus {
  return typeof value === 'string' && (MESSAGE_STATUSES as readonly string[]).includes(value);
}
