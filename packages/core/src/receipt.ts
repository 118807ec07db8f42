import type { MessageStatus } from './message-status';

/** What a WhatsApp receipt can tell us of an outgoing message. */
export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * The statuses a receipt may move a message from. Receipts arrive late, twice and out of order; a
 * message only ever moves forward, so a `DELIVERY_ACK` after a `READ` changes nothing, and an error
 * report cannot undo a delivery.
 */
export const RECEIPT_SOURCES: Readonly<Record<ReceiptStatus, readonly MessageStatus[]>> = {
  sent: ['sending', 'unknown'],
  delivered: ['sending', 'unknown', 'sent'],
  read: ['sending', 'unknown', 'sent', 'delivered'],
  failed: ['sending', 'unknown', 'sent'],
};

/** Evolution's `messages.update` status values, mapped to what they mean for the message. */
const RECEIPT_BY_EVOLUTION_STATUS: Readonly<Record<string, ReceiptStatus>> = {
  SERVER_ACK: 'sent',
  DELIVERY_ACK: 'delivered',
  READ: 'read',
  PLAYED: 'read',
  ERROR: 'failed',
};

/** The receipt an Evolution status stands for, or undefined when it says nothing new (`PENDING`). */
export function receiptFromEvolutionStatus(status: unknown): ReceiptStatus | undefined {
  return typeof status === 'string' ? RECEIPT_BY_EVOLUTION_STATUS[status.toUpperCase()] : undefined;
}
