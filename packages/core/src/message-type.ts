/** The four notification types of the integration guide, in the guide's order. */
export const MESSAGE_TYPES = ['payment_reminder', 'invoice', 'overdue', 'confirmation'] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}

/**
 * What a payment confirmation makes pointless: the invoice's reminder, invoice and overdue
 * notifications still waiting to go out are canceled when its confirmation is accepted.
 */
export const SUPERSEDED_BY_CONFIRMATION: readonly MessageType[] = ['payment_reminder', 'invoice', 'overdue'];
