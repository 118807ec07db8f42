import { createHmac } from 'node:crypto';
import { webhookSecretKey } from './webhook-secret';

/** The Standard Webhooks headers (standardwebhooks.com) every delivery carries, named as the spec names them. */
export const STANDARD_WEBHOOK_HEADERS = {
  /** The event's id: the same on every retry and replay, so it is the receiver's dedupe key. */
  id: 'webhook-id',
  /** When this attempt was signed, in unix seconds; verifiers refuse it 5 minutes either side. */
  timestamp: 'webhook-timestamp',
  /** `v1,<base64 HMAC-SHA256>` per signing secret, space-separated. */
  signature: 'webhook-signature',
} as const;

/** What one attempt signs. */
export interface StandardWebhookMessage {
  /** The message id; must not contain `.` (it delimits the signed text). */
  readonly id: string;
  /** Unix time in whole seconds, normally now. */
  readonly timestampSeconds: number;
  /** The body exactly as sent. */
  readonly body: string | Buffer;
}

const MESSAGE_ID = /^[^.\s]+$/;

/**
 * The `webhook-signature` value: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` keyed with each
 * secret's decoded bytes, space-separated in the order given. Several secrets sign while an old one
 * is being replaced; a verifier accepts the message if any entry matches its own secret.
 *
 * @param secrets `whsec_…` secrets, at least one: the current first.
 */
export function signStandardWebhook(message: StandardWebhookMessage, secrets: readonly string[]): string {
  if (!MESSAGE_ID.test(message.id)) throw new RangeError('A webhook id must not contain "." or spaces');
  if (!Number.isSafeInteger(message.timestampSeconds) || message.timestampSeconds < 0) {
    throw new RangeError('timestampSeconds must be a non-negative whole number of seconds');
  }
  if (secrets.length === 0) throw new RangeError('A webhook is signed with at least one secret');
  const body = typeof message.body === 'string' ? Buffer.from(message.body, 'utf8') : message.body;
  return secrets
    .map((secret) => {
      const digest = createHmac('sha256', webhookSecretKey(secret))
        .update(`${message.id}.${message.timestampSeconds}.`, 'utf8')
        .update(body)
        .digest('base64');
      return `v1,${digest}`;
    })
    .join(' ');
}

/** The three Standard Webhooks headers of one attempt. */
export function standardWebhookHeaders(
  message: StandardWebhookMessage,
  secrets: readonly string[],
): Record<(typeof STANDARD_WEBHOOK_HEADERS)[keyof typeof STANDARD_WEBHOOK_HEADERS], string> {
  return {
    [STANDARD_WEBHOOK_HEADERS.id]: message.id,
    [STANDARD_WEBHOOK_HEADERS.timestamp]: String(message.timestampSeconds),
    [STANDARD_WEBHOOK_HEADERS.signature]: signStandardWebhook(message, secrets),
  };
}
