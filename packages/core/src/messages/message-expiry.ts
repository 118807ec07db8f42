import { DateTime } from 'luxon';
import type { MessageType } from './message-type';

const HOUR_MS = 3600 * 1000;

/**
 * How long each kind of notification stays worth sending when the billing system gives no
 * `expires_at`: a reminder after its due date or an invoice a week late does more harm than good.
 */
export const DEFAULT_EXPIRY_HOURS: Readonly<Record<MessageType, number>> = {
  payment_reminder: 72,
  invoice: 168,
  overdue: 72,
  confirmation: 48,
  // A billing system's own text (the URL gateway) says nothing of when it stops mattering: a day.
  text: 24,
};

/**
 * When a notification stops being worth sending: a payment reminder at the end of its due date (in
 * the instance's time zone) when it has one, otherwise the type's default after acceptance.
 */
export function defaultExpiry(
  messageType: MessageType,
  acceptedAtMs: number,
  dueDate: string | null,
  timeZone: string,
): Date {
  if (messageType === 'payment_reminder' && dueDate) {
    const endOfDueDate = DateTime.fromISO(dueDate, { zone: timeZone }).endOf('day').toMillis();
    if (endOfDueDate > acceptedAtMs) return new Date(endOfDueDate);
  }
  return new Date(acceptedAtMs + DEFAULT_EXPIRY_HOURS[messageType] * HOUR_MS);
}
