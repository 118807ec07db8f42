import type { RequestHandler } from 'express';
import { rateLimit, type RateLimitOptions } from '../http/rate-limit.middleware';
import { webhookInstanceOf } from './evolution-webhook.routes';

/**
 * The Evolution webhook's per-instance budget: every call costs one, counted in Redis (its own
 * counters, apart from the API keys') so all replicas share it. It runs after authentication, so
 * only an instance that proved itself spends its budget — a stranger cannot exhaust it.
 *
 * Over the budget it answers 429 with Retry-After. Evolution gives up on 400, 401, 403, 404 and 422
 * only (`WEBHOOK_RETRY_NON_RETRYABLE_STATUS_CODES`) and retries anything else up to 10 times over
 * about 20 minutes (5 s doubling to 300 s; it ignores Retry-After), so a throttled receipt arrives
 * later rather than being lost, and 429 says what happened without raising our 5xx alarms.
 */
export function evolutionWebhookRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit(
    { ...options, namespace: `${options.namespace}:evolution-webhooks` },
    () => 1,
    (response) => webhookInstanceOf(response).id,
  );
}
