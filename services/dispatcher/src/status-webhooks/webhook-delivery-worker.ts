import type { ClaimedWebhookDelivery } from '@telenexus/db';
import { withLogContext, type LogContext, type Logger } from '@telenexus/logger';

export interface WebhookDeliveryQueue {
  claimDue(limit: number, now: Date, leaseMs: number): Promise<ClaimedWebhookDelivery[]>;
}

export interface WebhookDeliverer {
  /**
   * POSTs and records one claimed delivery. Given `takeNextLeaseMs`, a success may come back with
   * the endpoint's next delivery, already claimed for that long.
   */
  execute(
    claimed: ClaimedWebhookDelivery,
    takeNextLeaseMs?: number,
  ): Promise<{ readonly next?: ClaimedWebhookDelivery | null } | void>;
}

/**
 * How long a slot goes on from POST to POST at one endpoint (each success handing its lease to the
 * endpoint's next due delivery) before it goes back to the claim, which serves the oldest due
 * delivery of any endpoint: the most another endpoint waits for a busy one's slot beyond this.
 */
const HAND_OVER_BUDGET_MS = 1000;

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
 * none is due it polls every `pollIntervalMs`. A slot whose POST succeeded goes on with the
 * endpoint's next due delivery, handed over in the statement that recorded the success, for up to
 * {@link HAND_OVER_BUDGET_MS}: one statement per delivery at a busy endpoint instead of a claim too. The claim keeps each endpoint to its in-flight cap, so
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

  private track(first: ClaimedWebhookDelivery): void {
    const task: Promise<void> = this.serve(first).finally(() => {
      this.inFlight.delete(task);
      this.wake?.();
    });
    this.inFlight.add(task);
  }

  /** Delivers a claimed delivery, then those handed over after it while the budget lasts. */
  private async serve(first: ClaimedWebhookDelivery): Promise<void> {
    const handOverUntil = this.now() + HAND_OVER_BUDGET_MS;
    let claimed: ClaimedWebhookDelivery | null = first;
    while (claimed) {
      const takeNext = !this.stopping && this.now() < handOverUntil;
      claimed = await this.deliverOne(claimed, takeNext);
    }
  }

  private async deliverOne(
    claimed: ClaimedWebhookDelivery,
    takeNext: boolean,
  ): Promise<ClaimedWebhookDelivery | null> {
    const context: LogContext = {
      webhookDeliveryId: claimed.delivery.id,
      webhookEndpointId: claimed.delivery.endpointId,
      eventId: claimed.delivery.eventId,
      ...(claimed.delivery.messageId ? { messageId: claimed.delivery.messageId } : {}),
    };
    try {
      const report = await withLogContext(context, () =>
        this.deliverer.execute(claimed, takeNext ? this.leaseMs : undefined),
      );
      return report?.next ?? null;
    } catch (error) {
      // The lease runs out and the delivery is tried again; at worst the receiver gets a duplicate.
      this.logger.warn('could not record a webhook delivery attempt', { ...context, error });
      return null;
    }
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
