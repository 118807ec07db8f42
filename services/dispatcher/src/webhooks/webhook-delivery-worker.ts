import type { ClaimedWebhookDelivery } from '@telenexus/db';
import { withLogContext, type LogContext, type Logger } from '@telenexus/logger';

export interface WebhookDeliveryQueue {
  claimDue(limit: number, now: Date, leaseMs: number): Promise<ClaimedWebhookDelivery[]>;
}

export interface WebhookDeliverer {
  execute(claimed: ClaimedWebhookDelivery): Promise<unknown>;
}

export interface WebhookDeliveryWorkerOptions {
  /** How long an idle worker waits before looking for due deliveries again. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** POSTs in flight at most. Default 10. */
  readonly concurrency?: number;
  /**
   * How long a claimed delivery is reserved for its POST. Must exceed the POST timeout: when it runs
   * out the delivery is due again, which is how a worker's death mid-POST is recovered. Default 60 s.
   */
  readonly leaseMs?: number;
  readonly now?: () => number;
}

/**
 * Drains the webhook delivery queue in Postgres: claims due deliveries (as many as it has free
 * slots), POSTs them concurrently, and claims again at once while work is found or a POST ends; when
 * none is due it polls every `pollIntervalMs`. The claim keeps each endpoint to its in-flight cap, so
 * a slow endpoint holds at most that many slots and the others go on serving other endpoints.
 * Several dispatchers can run it side by side (claims skip locked endpoints, and the cap holds across
 * them). `stop()` stops claiming and waits for the POSTs in flight to finish and be recorded.
 */
export class WebhookDeliveryWorker {
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly queue: WebhookDeliveryQueue,
    private readonly deliverer: WebhookDeliverer,
    private readonly logger: Logger,
    options: WebhookDeliveryWorkerOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.concurrency = options.concurrency ?? 10;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new TypeError('concurrency must be a positive whole number');
    }
  }

  /** Starts the claim loop; calling it again while running does nothing. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Stops claiming, then resolves once every POST in flight has been recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const free = this.concurrency - this.inFlight.size;
      if (free === 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      let claimed: ClaimedWebhookDelivery[] = [];
      try {
        claimed = await this.queue.claimDue(free, new Date(this.now()), this.leaseMs);
      } catch (error) {
        this.logger.warn('could not claim webhook deliveries', { error });
      }
      for (const delivery of claimed) this.track(delivery);
      // A full batch means more may be due: claim again as soon as a slot frees up. A short one may
      // only mean the endpoints with due deliveries are at their in-flight cap: each POST that ends
      // frees room at its endpoint, so it wakes the loop before the poll interval is over.
      if (claimed.length < free) await this.pause();
    }
    await Promise.all(this.inFlight);
  }

  private track(claimed: ClaimedWebhookDelivery): void {
    const context: LogContext = {
      webhookDeliveryId: claimed.delivery.id,
      webhookEndpointId: claimed.delivery.endpointId,
      eventId: claimed.delivery.eventId,
      ...(claimed.delivery.messageId ? { messageId: claimed.delivery.messageId } : {}),
    };
    const task: Promise<void> = withLogContext(context, () => this.deliverer.execute(claimed))
      .then(
        () => undefined,
        (error: unknown) => {
          // The lease runs out and the delivery is tried again; at worst the receiver gets a duplicate.
          this.logger.warn('could not record a webhook delivery attempt', { ...context, error });
        },
      )
      .finally(() => {
        this.inFlight.delete(task);
        this.wake?.();
      });
    this.inFlight.add(task);
  }

  /** Waits one poll interval, or less if stop() is called or a POST in flight ends. */
  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.pollIntervalMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
