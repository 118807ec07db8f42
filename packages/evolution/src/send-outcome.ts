/**
 * What one sendText call came to, classified so the dispatcher can decide the message's fate
 * without knowing HTTP. The client never retries by itself: BullMQ is the one retry layer.
 */
export type SendOutcome =
  /** Evolution answered 201: the message left for WhatsApp. */
  | {
      readonly kind: 'sent';
      readonly providerMessageId: string;
      /** Evolution's `messageTimestamp`, in seconds, when present. */
      readonly providerTimestamp?: number;
    }
  /** Retrying cannot help (number not on WhatsApp, validation, bad apikey, unknown instance). */
  | {
      readonly kind: 'permanent';
      readonly reason: string;
      readonly httpStatus?: number;
      /** True when the cause is our configuration (401, 404), so operators should be alerted. */
      readonly configuration?: boolean;
      /** The number has no WhatsApp account (Evolution's `exists: false`). */
      readonly notOnWhatsApp?: boolean;
    }
  /** Certainly not sent, and may succeed later (refused before the write, 429, Connection Closed). */
  | {
      readonly kind: 'transient';
      readonly reason: string;
      readonly httpStatus?: number;
      /** From a Retry-After header, in ms. */
      readonly retryAfterMs?: number;
      /** Evolution said the instance's WhatsApp connection is closed. */
      readonly instanceDisconnected?: boolean;
    }
  /** May or may not have been sent (timeout or reset after the write, unexplained 5xx). */
  | {
      readonly kind: 'ambiguous';
      readonly reason: string;
      readonly httpStatus?: number;
    };

export type SendOutcomeKind = SendOutcome['kind'];
