import type {
  WebhookEndpoint as WebhookEndpointView,
  WebhookEndpointWithSecret,
} from '@telenexus/api-contract';
import type { WebhookEndpoint } from '@telenexus/core';

/** An endpoint as the API shows it. The secret is added only when it is created or rotated. */
export function toWebhookEndpointView(endpoint: WebhookEndpoint): WebhookEndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

/** The one answer that carries the secret: right after creation or rotation. */
export function toWebhookEndpointViewWithSecret(endpoint: WebhookEndpoint): WebhookEndpointWithSecret {
  return { ...toWebhookEndpointView(endpoint), secret: endpoint.secret };
}
