import type { ConnectionState } from '../instances/connection-state';
import type { MessageStatus } from '../messages/message-status';

/**
 * The events about one outgoing message, each announcing the status it reached: `message.queued`
 * when a notification is accepted (opt-in), the others as it moves on.
 */
export const MESSAGE_WEBHOOK_EVENT_TYPES = [
  'message.queued',
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
  'message.expired',
  'message.canceled',
] as const;

/** The events about an instance's WhatsApp connection. */
export const INSTANCE_WEBHOOK_EVENT_TYPES = ['instance.disconnected', 'instance.connected'] as const;

/** A customer's message to the ISP's number, with the outgoing message it most likely answers. */
export const REPLY_WEBHOOK_EVENT_TYPES = ['message.received'] as const;

/** Sent on request to one endpoint, whatever it subscribes to, to check that it receives and verifies. */
export const TEST_WEBHOOK_EVENT_TYPES = ['endpoint.test'] as const;

/** Every event Telenexus delivers to billing systems' endpoints. */
export const WEBHOOK_EVENT_TYPES = [
  ...MESSAGE_WEBHOOK_EVENT_TYPES,
  ...INSTANCE_WEBHOOK_EVENT_TYPES,
  ...REPLY_WEBHOOK_EVENT_TYPES,
  ...TEST_WEBHOOK_EVENT_TYPES,
] as const;

/** What an endpoint may list in its `events`: every event but the test, which needs no subscription. */
export const SUBSCRIBABLE_WEBHOOK_EVENT_TYPES = [
  ...MESSAGE_WEBHOOK_EVENT_TYPES,
  ...INSTANCE_WEBHOOK_EVENT_TYPES,
  ...REPLY_WEBHOOK_EVENT_TYPES,
] as const;

/**
 * Events an endpoint gets only when its `events` name them: `message.queued` doubles the deliveries
 * of every send, which most billing systems (that already know what they just sent) do not want.
 */
export const OPT_IN_WEBHOOK_EVENT_TYPES = ['message.queued'] as const;

/** What an endpoint registered without an `events` list receives: every subscribable event but the opt-in ones. */
export const DEFAULT_WEBHOOK_EVENT_TYPES = SUBSCRIBABLE_WEBHOOK_EVENT_TYPES.filter(
  (type) => !(OPT_IN_WEBHOOK_EVENT_TYPES as readonly string[]).includes(type),
);

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export type SubscribableWebhookEventType = (typeof SUBSCRIBABLE_WEBHOOK_EVENT_TYPES)[number];

export function isSubscribableWebhookEventType(value: unknown): value is SubscribableWebhookEventType {
  return typeof value === 'string' && (SUBSCRIBABLE_WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

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
