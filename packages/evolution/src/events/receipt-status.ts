import type { ReceiptStatus } from '@telenexus/core';

/** Evolution's `messages.update` status values, mapped to what they mean for the message. */
const RECEIPT_BY_EVOLUTION_STATUS: Readonly<Record<string, ReceiptStatus>> = {
  SERVER_ACK: 'sent',
  DELIVERY_ACK: 'delivered',
  READ: 'read',
  PLAYED: 'read',
  ERROR: 'failed',
};

/**
 * The receipt an Evolution status stands for, or undefined when it says nothing new (`PENDING`,
 * `DELETED`, anything unknown).
 */
export function receiptFromEvolutionStatus(status: unknown): ReceiptStatus | undefined {
  return typeof status === 'string' ? RECEIPT_BY_EVOLUTION_STATUS[status.toUpperCase()] : undefined;
}
