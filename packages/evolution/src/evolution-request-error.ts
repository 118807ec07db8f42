export interface EvolutionRequestErrorOptions {
  /** The gateway operation, e.g. `connectionState`. */
  readonly operation: string;
  /** Evolution's HTTP status, when it answered. */
  readonly httpStatus?: number;
  /** The network error code (`ECONNREFUSED`, `ETIMEDOUT`, …) when it did not. */
  readonly code?: string;
  readonly cause?: unknown;
}

/**
 * A failed Evolution call other than sendText (whose failures are classified, never thrown).
 * Carries the HTTP status so callers can tell a bad key (401) or unknown instance (404) from an outage.
 */
export class EvolutionRequestError extends Error {
  readonly operation: string;
  readonly httpStatus: number | undefined;
  readonly code: string | undefined;

  constructor(message: string, options: EvolutionRequestErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvolutionRequestError';
    this.operation = options.operation;
    this.httpStatus = options.httpStatus;
    this.code = options.code;
  }
}

export function isEvolutionRequestError(error: unknown): error is EvolutionRequestError {
  return error instanceof EvolutionRequestError;
}
