import type { WebhookEndpointTestQueued, WebhookEndpointTestResult } from '@telenexus/api-contract';

/** What "Send test event" showed, in one sentence a person can act on. */
export function describeTestOutcome(outcome: WebhookEndpointTestResult | WebhookEndpointTestQueued): string {
  if (!('delivered' in outcome)) {
    return 'The test event is queued: no dispatcher sent it within 10 seconds. Check that a dispatcher is running; it will be delivered then.';
  }
  const took = outcome.duration_ms === null ? '' : ` in ${outcome.duration_ms} ms`;
  if (outcome.delivered) return `Delivered: your endpoint answered HTTP ${outcome.status_code}${took}.`;
  if (outcome.status_code !== null) {
    return `Not delivered: your endpoint answered HTTP ${outcome.status_code}${took}; it must answer 2xx. It will be retried like any event.`;
  }
  return `Not delivered: ${outcome.error ?? 'no answer came'}. It will be retried like any event.`;
}
