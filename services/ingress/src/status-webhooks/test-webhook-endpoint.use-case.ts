import {
  DomainError,
  isUuid,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
} from '@telenexus/core';
import { ENDPOINT_NOT_FOUND } from './manage-webhook-endpoints.use-case';

export interface WebhookTestStore {
  enqueueTest(accountId: string, endpointId: string): Promise<WebhookDelivery | null>;
  listAttempts(deliveryId: string): Promise<WebhookDeliveryAttempt[]>;
}

export interface TestedEndpointLookup {
  findForAccount(accountId: string, id: string): Promise<WebhookEndpoint | null>;
}

export interface WebhookTestWait {
  /** How long the answer waits for the dispatcher's first POST. Default 10 s. */
  readonly timeoutMs?: number;
  /** How often the attempt log is read meanwhile. Default 200 ms. */
  readonly pollMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A test event written, and its first POST if a dispatcher made it in time. */
export interface WebhookTestResult {
  readonly delivery: WebhookDelivery;
  /** Null when no dispatcher attempted it within the wait: it stays queued. */
  readonly firstAttempt: WebhookDeliveryAttempt | null;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends an `endpoint.test` event to one endpoint of the account and waits, bounded, for the
 * dispatcher's first POST of it. Ingress never POSTs itself: the test goes through the delivery
 * worker, so it is signed, address-checked and logged exactly like every event.
 */
export class TestWebhookEndpoint {
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly endpoints: TestedEndpointLookup,
    private readonly deliveries: WebhookTestStore,
    wait: WebhookTestWait = {},
  ) {
    this.timeoutMs = wait.timeoutMs ?? 10_000;
    this.pollMs = wait.pollMs ?? 200;
    this.now = wait.now ?? Date.now;
    this.sleep = wait.sleep ?? defaultSleep;
  }

  async execute(accountId: string, endpointId: string): Promise<WebhookTestResult> {
    const endpoint = isUuid(endpointId) ? await this.endpoints.findForAccount(accountId, endpointId) : null;
    if (!endpoint) throw new DomainError('not_found', ENDPOINT_NOT_FOUND);
    // The worker gives up deliveries of a disabled endpoint without a POST: nothing would be tested.
    if (!endpoint.enabled) {
      throw new DomainError('conflict', 'The webhook endpoint is disabled; enable it before testing it');
    }
    const delivery = await this.deliveries.enqueueTest(accountId, endpoint.id);
    if (!delivery) throw new DomainError('not_found', ENDPOINT_NOT_FOUND);
    return { delivery, firstAttempt: await this.firstAttempt(delivery.id) };
  }

  private async firstAttempt(deliveryId: string): Promise<WebhookDeliveryAttempt | null> {
    const deadline = this.now() + this.timeoutMs;
    for (;;) {
      const [first] = await this.deliveries.listAttempts(deliveryId);
      if (first) return first;
      const left = deadline - this.now();
      if (left <= 0) return null;
      await this.sleep(Math.min(this.pollMs, left));
    }
  }
}
