/** One signed POST of a webhook body. */
export interface WebhookPostRequest {
  readonly url: string;
  /** Sent byte for byte: the signature covers exactly these bytes. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** How a POST ended: an HTTP answer (any status), or none at all. */
export type WebhookPostResult =
  | {
      readonly kind: 'answered';
      readonly statusCode: number;
      /** The receiver's Retry-After, in ms, when it sent one. */
      readonly retryAfterMs: number | undefined;
      readonly durationMs: number;
    }
  | { readonly kind: 'failed'; readonly error: string; readonly durationMs: number };

/** Sends webhook POSTs; never throws for network or HTTP failures, it reports them. */
export interface WebhookPoster {
  post(request: WebhookPostRequest): Promise<WebhookPostResult>;
}
