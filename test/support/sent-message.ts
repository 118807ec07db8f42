import { randomUUID } from 'node:crypto';
import type { NotificationType } from '@telenexus/core';
import type { DatabaseContext, Tenant } from './test-context';

export interface SentMessageOptions {
  /** Unique by default. */
  readonly invoiceId?: string;
  readonly dueDate?: string | null;
  readonly messageType?: NotificationType;
  /** The text recorded as sent. */
  readonly text?: string;
}

/**
 * A billing notification of the tenant taken from queued to sent, the way the dispatcher records
 * a send: that queues one webhook delivery per endpoint subscribed to `message.sent`.
 */
export async function sentMessage(
  db: DatabaseContext,
  tenant: Tenant,
  options: SentMessageOptions = {},
): Promise<{ messageId: string; providerMessageId: string }> {
  const message = await db.messages.acceptance.insertOutgoing({
    accountId: tenant.accountId,
    instanceId: tenant.instance.id,
    phoneNumber: '254712345678',
    customerName: 'John Doe',
    amount: '1500.00',
    currency: 'KES',
    invoiceId: options.invoiceId ?? `INV-${randomUUID().slice(0, 8)}`,
    dueDate: options.dueDate ?? null,
    messageType: options.messageType ?? 'invoice',
  });
  const providerMessageId = `PROV-${randomUUID()}`;
  await db.messages.statuses.claimForSending(message.id, options.text ?? 'text');
  await db.messages.statuses.markSent(message.id, providerMessageId);
  return { messageId: message.id, providerMessageId };
}
