import { standardWebhookHeaders, type WebhookDelivery } from '@telenexus/core';
import type {
  ClaimedWebhookDelivery,
  RecordedWebhookAttempt,
  WebhookAttemptRecord,
  WebhookDeliveryOutcome,
  WebhookHandOver,
} from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import type { WebhookPoster, WebhookPostResult } from './webhook-poster';
import { nextWebhookStep, type WebhookRetryPolicy } from './webhook-retry-schedule';

export interface WebhookAttemptStore {
  recordAttemptAndTakeNext(
    record: WebhookAttemptRecord,
    handOver: WebhookHandOver | null,
  ): Promise<RecordedWebhookAttempt>;
}

export interface DeliverWebhookOptions extends WebhookRetryPolicy {
  /** Default `Telenexus-Webhooks/1`. */
  readonly userAgent?: string;
  /** Told of every POST's outcome (metrics). */
  readonly recordOutcome?: (outcome: WebhookDeliveryResult) => void;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** What became of one POST of a delivery. */
export type WebhookDeliveryResult = WebhookDeliveryOutcome['kind'];

/** One POST's result, and the endpoint's next delivery when a success handed its lease over. */
export interface WebhookDeliveryReport {
  readonly result: WebhookDeliveryResult;
  readonly next: ClaimedWebhookDelivery | null;
}

/** The receiver asked to slow down or is briefly unavailable: its Retry-After sets the earliest retry. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export const DEFAULT_WEBHOOK_USER_AGENT = 'Telenexus-Webhooks/1';

/**
 * Makes one POST of a claimed delivery — the stored payload byte for byte, signed afresh with the
 * current time (Standard Webhooks headers) — and records it: a 2xx delivers it; anything else is retried with backoff until
 * the retry window has passed, then the delivery is given up. Given `takeNextLeaseMs`, a success
 * also takes the endpoint's next due delivery under the lease it releases, in the same statement.
 */
export class DeliverWebhook {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly userAgent: string;

  constructor(
    private readonly deliveries: WebhookAttemptStore,
    private readonly poster: WebhookPoster,
    private readonly logger: Logger,
    private readonly options: DeliverWebhookOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.userAgent = options.userAgent ?? DEFAULT_WEBHOOK_USER_AGENT;
  }

  async execute(claimed: ClaimedWebhookDelivery, takeNextLeaseMs?: number): Promise<WebhookDeliveryReport> {
    const { delivery } = claimed;
    const attemptedAtMs = this.now();
    const result = await this.post(claimed, attemptedAtMs);
    const finishedAtMs = this.now();
    const outcome = this.outcomeOf(delivery, result, finishedAtMs);
    const handOver =
      takeNextLeaseMs === undefined
        ? null
        : { now: new Date(finishedAtMs), leasedUntil: new Date(finishedAtMs + takeNextLeaseMs) };
    const { delivery: recorded, next } = await this.deliveries.recordAttemptAndTakeNext(
      {
        deliveryId: delivery.id,
        claimedAttempts: delivery.attempts,
        attemptedAt: new Date(attemptedAtMs),
        finishedAt: new Date(finishedAtMs),
        durationMs: result.durationMs,
        statusCode: result.kind === 'answered' ? result.statusCode : null,
        error: result.kind === 'failed' ? result.error : null,
        outcome,
      },
      handOver,
    );
    // Past its retry window, a delivery whose endpoint is down waits for it rather than being given up.
    const applied: WebhookDeliveryOutcome =
      outcome.kind === 'failed' && recorded?.status === 'pending'
        ? { kind: 'retry', lastError: outcome.lastError, nextAttemptAt: recorded.nextAttemptAt }
        : outcome;
    this.logOutcome(applied, recorded !== null, {
      attempt: delivery.attempts,
      ...(result.kind === 'answered' ? { statusCode: result.statusCode } : { error: result.error }),
    });
    this.options.recordOutcome?.(applied.kind);
    return { result: applied.kind, next };
  }

  private logOutcome(outcome: WebhookDeliveryOutcome, applied: boolean, meta: Record<string, unknown>): void {
    if (!applied && outcome.kind !== 'delivered') {
      // The lease ran out mid-POST and a later claim owns the delivery now; its result stands.
      this.logger.info('webhook attempt outcome superseded by a later attempt', meta);
      return;
    }
    switch (outcome.kind) {
      case 'delivered':
        this.logger.info('webhook delivered', meta);
        return;
      case 'retry':
        this.logger.info('webhook delivery will be retried', {
          ...meta,
          nextAttemptAt: outcome.nextAttemptAt,
        });
        return;
      case 'failed':
        this.logger.warn('webhook delivery given up', meta);
    }
  }

  private async post(claimed: ClaimedWebhookDelivery, attemptedAtMs: number): Promise<WebhookPostResult> {
    const { delivery } = claimed;
    try {
      return await this.poster.post({
        url: claimed.url,
        body: delivery.payload,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': this.userAgent,
          // Standard Webhooks: webhook-id is the event id, the same on every retry and replay, so
          // receivers dedupe on it; while a rotation's overlap lasts the old secret signs too.
          ...standardWebhookHeaders(
            {
              id: delivery.eventId,
              timestampSeconds: Math.floor(attemptedAtMs / 1000),
              body: delivery.payload,
            },
            claimed.previousSecret ? [claimed.secret, claimed.previousSecret] : [claimed.secret],
          ),
          'Telenexus-Event-Type': delivery.eventType,
          'Telenexus-Delivery-Id': delivery.id,
        },
      });
    } catch (error) {
      // Posters report failures rather than throw; this is a bug, recorded like any failed attempt.
      const reason = error instanceof Error ? error.message : String(error);
      return { kind: 'failed', error: `Unexpected error: ${reason}`, durationMs: this.now() - attemptedAtMs };
    }
  }

  private outcomeOf(
    delivery: WebhookDelivery,
    result: WebhookPostResult,
    nowMs: number,
  ): WebhookDeliveryOutcome {
    if (result.kind === 'answered' && result.statusCode >= 200 && result.statusCode < 300) {
      return { kind: 'delivered' };
    }
    const lastError = result.kind === 'answered' ? describeStatus(result.statusCode) : result.error;
    const retryAfterMs =
      result.kind === 'answered' && RETRY_AFTER_STATUSES.has(result.statusCode)
        ? result.retryAfterMs
        : undefined;
    const step = nextWebhookStep(
      { createdAt: delivery.createdAt, attempts: delivery.attempts, nowMs, retryAfterMs },
      this.options,
      this.random,
    );
    return step.kind === 'retry'
      ? { kind: 'retry', lastError, nextAttemptAt: step.at }
      : {
          kind: 'failed',
          lastError: `Gave up after ${delivery.attempts} attempts: ${lastError}`,
          attemptError: lastError,
        };
  }
}

function describeStatus(statusCode: number): string {
  if (statusCode >= 300 && statusCode < 400) {
    return `The endpoint answered HTTP ${statusCode} (redirects are not followed)`;
  }
  return `The endpoint answered HTTP ${statusCode}`;
}
