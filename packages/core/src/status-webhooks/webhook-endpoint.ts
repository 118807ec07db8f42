import type { WebhookCircuit } from './webhook-circuit';
import type { SubscribableWebhookEventType, WebhookEventType } from './webhook-event-type';

/** A billing system's HTTPS endpoint that is told when its messages change status. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly description: string | null;
  /** Signs every delivery (Standard Webhooks, HMAC-SHA256); shown to the account when created or rotated. */
  readonly secret: string;
  /**
   * Until when the secret the last rotation replaced still signs beside this one; null when only
   * this one signs. The previous secret itself never leaves the database layer.
   */
  readonly previousSecretExpiresAt: Date | null;
  readonly events: readonly SubscribableWebhookEventType[];
  readonly enabled: boolean;
  /** The delivery breaker: whether the endpoint is tried for every event, probed, or disabled. */
  readonly circuit: WebhookCircuit;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event on its way to one endpoint, retried until delivered or given up. */
export interface WebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly accountId: string;
  /** The event's id, the same for every endpoint it goes to; the receiver's dedupe key. */
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly messageId: string | null;
  /** The JSON body, exactly as sent. */
  readonly payload: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
  readonly failedAt: Date | null;
}

/** One POST of a delivery, successful or not. */
export interface WebhookDeliveryAttempt {
  readonly id: string;
  readonly deliveryId: string;
  readonly attemptedAt: Date;
  readonly durationMs: number | null;
  readonly statusCode: number | null;
  readonly error: string | null;
}
