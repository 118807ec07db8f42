/**
 * Why a message failed, for a billing system to act on (`reason_code` on the message and in its
 * `message.failed` event). Never rename a code: billing systems branch on them.
 * - `not_on_whatsapp`: the number has no WhatsApp account; correct the number.
 * - `rejected`: Evolution or WhatsApp refused the message itself (validation, an error receipt).
 * - `gave_up`: every attempt failed for a passing reason (network, rate limits).
 * - `unconfirmed`: the send may have left, but WhatsApp never confirmed it within the deadline.
 * - `instance_logged_out`: the WhatsApp number is gone from Evolution (unknown instance, bad key);
 *   reconnect it from the QR Code tab.
 */
export const FAILURE_REASON_CODES = [
  'not_on_whatsapp',
  'rejected',
  'gave_up',
  'unconfirmed',
  'instance_logged_out',
] as const;

export type FailureReasonCode = (typeof FAILURE_REASON_CODES)[number];

export function isFailureReasonCode(value: unknown): value is FailureReasonCode {
  return typeof value === 'string' && (FAILURE_REASON_CODES as readonly string[]).includes(value);
}
