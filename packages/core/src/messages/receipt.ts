import { MESSAGE_TRANSITIONS, type MessageTransitionRule } from './message-lifecycle';

/** What a WhatsApp receipt can tell us of an outgoing message. */
export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * The transition each receipt makes (see MESSAGE_TRANSITIONS). Receipts arrive late, twice and out
 * of order; a message only ever moves forward, so a `DELIVERY_ACK` after a `READ` changes nothing,
 * and an error report cannot undo a delivery.
 */
export const RECEIPT_TRANSITIONS: Readonly<Record<ReceiptStatus, MessageTransitionRule>> = {
  sent: MESSAGE_TRANSITIONS.receiptSent,
  delivered: MESSAGE_TRANSITIONS.receiptDelivered,
  read: MESSAGE_TRANSITIONS.receiptRead,
  failed: MESSAGE_TRANSITIONS.receiptFailed,
};
