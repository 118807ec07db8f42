import { createCapturedLogger } from '../../../test/support/captured-logger';
import {
  createWebhookDeliveryWorker,
  type WebhookDeliveryDependencies,
  type WebhookDeliveryRunner,
} from '../src/status-webhooks/create-webhook-delivery-worker';

/**
 * Starts the status webhook delivery worker with settings fit for tests against a `WebhookReceiver`
 * on loopback: private URLs allowed, polling and retries in milliseconds, a recognisable user agent.
 * Any setting can be overridden; the caller stops the worker.
 */
export function startTestWebhookDeliveryWorker(
  settings: Pick<WebhookDeliveryDependencies, 'deliveries'> & Partial<WebhookDeliveryDependencies>,
): WebhookDeliveryRunner {
  const worker = createWebhookDeliveryWorker({
    logger: createCapturedLogger('dispatcher').logger,
    allowPrivateUrls: true,
    timeoutMs: 2000,
    leaseMs: 5000,
    pollIntervalMs: 20,
    concurrency: 4,
    backoff: { baseMs: 20, capMs: 50 },
    retryWindowMs: 60_000,
    userAgent: 'Telenexus-Webhooks/test',
    ...settings,
  });
  worker.start();
  return worker;
}
