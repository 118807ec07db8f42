/** The four notification types of the integration guide, in the guide's order. */
export const NOTIFICATION_TYPES = ['payment_reminder', 'invoice', 'overdue', 'confirmation'] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * Every kind of message we send: the guide's four notifications, whose text we render, and `text`,
 * a billing system's own words sent as they are (the URL gateway, for systems that cannot post JSON).
 */
export const MESSAGE_TYPES = [...NOTIFICATION_TYPES, 'text'] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

/**
 * What a payment confirmation makes pointless: the invoice's reminder, invoice and overdue
 * notifications still waiting to go out are canceled when its confirmation is accepted.
 */
export const SUPERSEDED_BY_CONFIRMATION: readonly MessageType[] = ['payment_reminder', 'invoice', 'overdue'];
