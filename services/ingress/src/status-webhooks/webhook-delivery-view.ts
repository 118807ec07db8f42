import type {
  WebhookDelivery as WebhookDeliveryView,
  WebhookDeliveryAttempt as WebhookDeliveryAttemptView,
} from '@telenexus/api-contract';
import type { WebhookDelivery, WebhookDeliveryAttempt } from '@telenexus/core';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** A delivery as the API shows it; `payload` is the event exactly as sent, parsed. */
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
    // Written by the change's own statement in this shape (status- and connection-announcement.sql.ts).
    payload: JSON.parse(delivery.payload) as WebhookDeliveryView['payload'],
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
