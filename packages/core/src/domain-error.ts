/**
 * Stable error codes. The HTTP layer maps each to a status; nothing below it knows about HTTP.
 * Never rename a code: billing systems and dashboards may key on them.
 */
export const ERROR_CODES = [
  'unauthenticated',
  'forbidden',
  'not_found',
  'validation_failed',
  'instance_not_connected',
  'conflict',
  'idempotency_mismatch',
  'in_flight',
  'payload_too_large',
  'rate_limited',
  /** The account already has as many messages waiting to be sent as it may. */
  'queue_limit_reached',
  /** The notification could only go out after its `expires_at`, so it is not accepted. */
  'would_expire',
  'dependency_unavailable',
  'evolution_unavailable',
  'evolution_rejected',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one input field, named the way the client sent it. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface DomainErrorOptions {
  /** Field-level problems for `validation_failed`. */
  readonly fieldErrors?: readonly FieldError[];
  /**
   * Seconds after which a retry may succeed (`dependency_unavailable`, `rate_limited`, `in_flight`,
   * `queue_limit_reached`).
   */
  readonly retryAfterSeconds?: number;
  /** Extra machine-readable facts to return beside `detail` (e.g. an existing `message_id`). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** An expected failure with a stable code and a message fit to show to the API client. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: readonly FieldError[];
  readonly retryAfterSeconds: number | undefined;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.fieldErrors = options.fieldErrors ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extra = options.extra ?? {};
  }
}

/** Builds the `validation_failed` error whose message names the first failing field. */
export function validationError(fieldErrors: readonly FieldError[]): DomainError {
  const first = fieldErrors[0];
  const message = first ? `${first.field}: ${first.message}` : 'Invalid request';
  return new DomainError('validation_failed', message, { fieldErrors });
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
