import type { WebhookDelivery, WebhookDeliveryAttempt } from '@telenexus/core';

/** A delivery as the API shows it; `payload` is the event exactly as sent, parsed. */
export interface WebhookDeliveryView {
  readonly id: string;
  readonly endpoint_id: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly message_id: string | null;
  readonly status: string;
  readonly attempts: number;
  /** When the next POST is due; null once delivered or given up. */
  readonly next_attempt_at: string | null;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
  readonly created_at: string;
  readonly delivered_at: string | null;
  readonly failed_at: string | null;
  readonly payload: unknown;
}

export interface WebhookDeliveryAttemptView {
  readonly attempted_at: string;
  readonly status_code: number | null;
  readonly error: string | null;
  readonly duration_ms: number | null;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toWebhookDeliveryView(delivery: WebhookDelivery): WebhookDeliveryView {
  return {
    id: delivery.id,
    endpoint_id: delivery.endpointId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    message_id: delivery.messageId,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    delivered_at: iso(delivery.deliveredAt),
    failed_at: iso(delivery.failedAt),
    payload: JSON.parse(delivery.payload) as unknown,
  };
}

export function toWebhookDeliveryAttemptView(attempt: WebhookDeliveryAttempt): WebhookDeliveryAttemptView {
  return {
    attempted_at: attempt.attemptedAt.toISOString(),
    status_code: attempt.statusCode,
    error: attempt.error,
    duration_ms: attempt.durationMs,
  };
}
