import type { Message, MessageEvent } from '@telenexus/core';

/** A message as the Messages API shows it: snake_case like the guide, amounts as JSON numbers. */
export interface MessageView {
  readonly id: string;
  readonly instance_id: string;
  readonly direction: string;
  readonly status: string;
  readonly message_type: string | null;
  readonly phone_number: string;
  readonly customer_name: string | null;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly invoice_id: string | null;
  readonly due_date: string | null;
  readonly text: string | null;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly provider_message_id: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly sent_at: string | null;
  readonly delivered_at: string | null;
  readonly read_at: string | null;
  readonly failed_at: string | null;
}

export interface MessageEventView {
  readonly type: string;
  readonly status: string | null;
  readonly detail: string | null;
  readonly created_at: string;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

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
    text: message.body,
    attempts: message.attempts,
    last_error: message.lastError,
    provider_message_id: message.providerMessageId,
    created_at: message.createdAt.toISOString(),
    updated_at: message.updatedAt.toISOString(),
    sent_at: iso(message.sentAt),
    delivered_at: iso(message.deliveredAt),
    read_at: iso(message.readAt),
    failed_at: iso(message.failedAt),
  };
}

export function toMessageEventView(event: MessageEvent): MessageEventView {
  return {
    type: event.type,
    status: event.status,
    detail: event.detail,
    created_at: event.createdAt.toISOString(),
  };
}
