import type { ConnectionState } from './connection-state';
import type { MessageStatus } from './message-status';

/** The events about one message, each announcing the status it reached. */
export const MESSAGE_WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
  'message.expired',
  'message.canceled',
] as const;

/** The events about an instance's WhatsApp connection. */
export const INSTANCE_WEBHOOK_EVENT_TYPES = ['instance.disconnected', 'instance.connected'] as const;

/** The status events billing systems can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [...MESSAGE_WEBHOOK_EVENT_TYPES, ...INSTANCE_WEBHOOK_EVENT_TYPES] as const;

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

/**
 * The event announcing that an instance's connection changed to `state`, if billing systems are
 * told of it: losing WhatsApp (`close`) and getting it back (`open`).
 */
export function webhookEventForConnectionState(state: ConnectionState): WebhookEventType | undefined {
  if (state === 'close') return 'instance.disconnected';
  if (state === 'open') return 'instance.connected';
  return undefined;
}
