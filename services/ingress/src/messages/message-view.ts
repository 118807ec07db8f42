import type { Message as MessageView, MessageEvent as MessageEventView } from '@telenexus/api-contract';
import type { Message, MessageEvent } from '@telenexus/core';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** A message as the Messages API shows it: snake_case like the guide, amounts as JSON numbers. */
export function toMessageView(message: Message): MessageView {
  return {
    id: message.id,
    instance_id: message.instanceId,
    direction: message.direction,
    status: message.status,
    message_type: message.messageType,
    phone_number: message.phoneNumber,
    customer_name: message.customerName,
    amount: message.amount === null ? null : Number(message.amount),
    currency: message.currency,
    invoice_id: message.invoiceId,
    due_date: message.dueDate,
    text: textAsSent(message),
    attempts: message.attempts,
    last_error: message.lastError,
    reason_code: message.reasonCode,
    provider_message_id: message.providerMessageId,
    created_at: message.createdAt.toISOString(),
    updated_at: message.updatedAt.toISOString(),
    sent_at: iso(message.sentAt),
    delivered_at: iso(message.deliveredAt),
    read_at: iso(message.readAt),
    failed_at: iso(message.failedAt),
    send_at: iso(message.sendAt),
    metadata: message.metadata,
  };
}

/**
 * The text as sent or received. A notification's text is stored when it is accepted, but it is
 * shown (as before texts were stored at accept) only once an attempt took it: until then it is
 * what will be sent, not what was.
 */
function textAsSent(message: Message): string | null {
  return message.direction === 'outgoing' && message.attempts === 0 ? null : message.body;
}

export function toMessageEventView(event: MessageEvent): MessageEventView {
  return {
    type: event.type,
    status: event.status,
    detail: event.detail,
    created_at: event.createdAt.toISOString(),
  };
}
