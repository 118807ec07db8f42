import type { MessageStatus } from './message-status';

/** The status events billing systems can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
  'message.expired',
  'message.canceled',
  'instance.disconnected',
  'instance.connected',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

const EVENT_BY_STATUS: Partial<Record<MessageStatus, WebhookEventType>> = {
  sent: 'message.sent',
  delivered: 'message.delivered',
  read: 'message.read',
  failed: 'message.failed',
  expired: 'message.expired',
  canceled: 'message.canceled',
};

/** The event announcing that a message reached a status, if billing systems are told of it. */
export function webhookEventForStatus(status: MessageStatus): WebhookEventType | undefined {
  return EVENT_BY_STATUS[status];
}
