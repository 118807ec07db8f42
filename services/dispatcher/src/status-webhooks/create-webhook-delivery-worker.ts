import type { BackoffPolicy } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import {
  DeliverWebhook,
  type WebhookAttemptStore,
  type WebhookDeliveryResult,
} from './deliver-webhook.use-case';
import type { AllAddressesLookup } from './guarded-lookup';
import { HttpWebhookPoster } from './http-webhook-poster';
import { WebhookDeliveryWorker, type WebhookDeliveryQueue } from './webhook-delivery-worker';

export interface WebhookDeliveryDependencies {
  /** A `WebhookDeliveryRepository`. */
  readonly deliveries: WebhookDeliveryQueue & WebhookAttemptStore;
  readonly logger: Logger;
  /** `WEBHOOK_ALLOW_PRIVATE_URLS`: send to http and non-public addresses (local testing only). */
  readonly allowPrivateUrls: boolean;
  /** Hard deadline per POST. */
  readonly timeoutMs: number;
  /** How long a claimed delivery is reserved; must exceed `timeoutMs`. */
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  /** Retries continue until a failure comes this long after the event. */
  readonly retryWindowMs: number;
  /** `Telenexus-Webhooks/<version>`. */
  readonly userAgent?: string;
  /** Host resolution for the connect-time address check (tests); the system resolver by default. */
  readonly resolve?: AllAddressesLookup;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Told of every POST's outcome (metrics). */
  readonly recordOutcome?: (outcome: WebhookDeliveryResult) => void;
}

/** The status webhook sender as the dispatcher runs it: `start()` once, `stop()` on shutdown. */
export interface WebhookDeliveryRunner {
  start(): void;
  /** Stops claiming, waits for the POSTs in flight to be recorded, then closes connections. */
  stop(): Promise<void>;
}

/** Wires the HTTP poster, the delivery use case and the claim loop. */
export function createWebhookDeliveryWorker(deps: WebhookDeliveryDependencies): WebhookDeliveryRunner {
  if (deps.leaseMs <= deps.timeoutMs) {
    // Otherwise a slow POST's delivery would be claimed again while still in flight.
    throw new RangeError('leaseMs must be greater than timeoutMs');
  }
  const poster = new HttpWebhookPoster({
    timeoutMs: deps.timeoutMs,
    allowPrivateUrls: deps.allowPrivateUrls,
    resolve: deps.resolve,
  });
  const deliver = new DeliverWebhook(deps.deliveries, poster, deps.logger, {
    backoff: deps.backoff,
    retryWindowMs: deps.retryWindowMs,
    userAgent: deps.userAgent,
    now: deps.now,
    random: deps.random,
    recordOutcome: deps.recordOutcome,
  });
  const worker = new WebhookDeliveryWorker(deps.deliveries, deliver, deps.logger, {
    pollIntervalMs: deps.pollIntervalMs,
    concurrency: deps.concurrency,
    leaseMs: deps.leaseMs,
    now: deps.now,
  });
  return {
    start: () => worker.start(),
    async stop() {
      await worker.stop();
      poster.close();
    },
  };
}
