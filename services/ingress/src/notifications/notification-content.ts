import { amountToDecimalString, type NotificationContent } from '@telenexus/core';
import type { NotificationBody } from './notification-body.schema';

/** What a validated notification says, as the text is rendered from it and the message stores it. */
export function notificationContent(
  body: NotificationBody,
): NotificationContent & { readonly amount: string } {
  return {
    messageType: body.message_type,
    customerName: body.customer_name,
    amount: amountToDecimalString(body.amount),
    currency: body.currency,
    invoiceId: body.invoice_id,
    dueDate: body.due_date,
  };
}
