import type {
  WebhookEndpoint as WebhookEndpointView,
  WebhookEndpointWithSecret,
} from '@telenexus/api-contract';
import { webhookCircuitState, type WebhookEndpoint } from '@telenexus/core';

/** An endpoint as the API shows it. The secret is added only when it is created or rotated. */
export function toWebhookEndpointView(endpoint: WebhookEndpoint): WebhookEndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    // When the old secret stops signing, never the secret itself.
    previous_secret_expires_at: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
    circuit: {
      state: webhookCircuitState(endpoint.circuit),
      failing_since: endpoint.circuit.failingSince?.toISOString() ?? null,
      next_probe_at: endpoint.circuit.nextProbeAt?.toISOString() ?? null,
      consecutive_failures: endpoint.circuit.consecutiveFailures,
      disabled_at: endpoint.circuit.disabledAt?.toISOString() ?? null,
    },
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

/** The one answer that carries the secret: right after creation or rotation. */
export function toWebhookEndpointViewWithSecret(endpoint: WebhookEndpoint): WebhookEndpointWithSecret {
  return { ...toWebhookEndpointView(endpoint), secret: endpoint.secret };
}
