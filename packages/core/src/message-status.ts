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

export function isMessageStatus(value: unknown): value is MessageStatus {
  return typeof value === 'string' && (MESSAGE_STATUSES as readonly string[]).includes(value);
}
