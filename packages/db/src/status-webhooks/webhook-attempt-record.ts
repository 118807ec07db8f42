/** What a finished POST leads to. */
export type WebhookDeliveryOutcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly lastError: string; readonly nextAttemptAt: Date }
  | {
      readonly kind: 'failed';
      readonly lastError: string;
      /**
       * This attempt's own error, kept as `last_error` when the breaker lets the delivery wait for its
       * endpoint instead (the endpoint is down, see `mayGiveUpWebhookDelivery`). Default `lastError`.
       */
      readonly attemptError?: string;
    };

/** One POST of a claimed delivery and what it leads to. */
export interface WebhookAttemptRecord {
  readonly deliveryId: string;
  /** `attempts` as the claim left it: a failure is only recorded if no later claim happened. */
  readonly claimedAttempts: number;
  readonly attemptedAt: Date;
  /** When the POST ended; the time of delivery or failure. */
  readonly finishedAt: Date;
  readonly durationMs: number;
  /** The receiver's HTTP status, or null when no answer came. */
  readonly statusCode: number | null;
  /** Why no answer came (connection refused, timeout, refused address), else null. */
  readonly error: string | null;
  readonly outcome: WebhookDeliveryOutcome;
}
