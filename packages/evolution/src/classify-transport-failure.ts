import type { SendOutcome } from './send-outcome';

/** What is known about a sendText call that ended without a complete HTTP answer. */
export interface TransportFailure {
  /** Node/axios error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`. */
  readonly code?: string;
  readonly message: string;
  /** The whole request (headers and body) had been handed to the OS before the failure. */
  readonly requestWritten: boolean;
  /** Our own deadline ended the call. */
  readonly timedOut: boolean;
  /** A status line had arrived before the failure (the body was cut off). */
  readonly responseStarted?: boolean;
}

// These fail before a connection exists, so nothing can have reached Evolution.
const NEVER_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);

// Raised by axios before any request exists: retrying cannot fix the settings.
const CONFIGURATION_CODES: ReadonlySet<string> = new Set([
  'ERR_INVALID_URL',
  'ERR_BAD_OPTION',
  'ERR_BAD_OPTION_VALUE',
  'ERR_NOT_SUPPORT',
]);

/**
 * Classifies a sendText call that failed below HTTP. The line that matters is whether the request
 * had been fully written: before that, Evolution cannot have acted on it (transient); after it,
 * the message may have gone out (ambiguous), because Evolution has no idempotency key.
 */
export function classifyTransportFailure(failure: TransportFailure): SendOutcome {
  const code = failure.code ?? 'unknown error';
  if (failure.responseStarted) {
    return { kind: 'ambiguous', reason: `Evolution's response was cut off (${code}): ${failure.message}` };
  }
  if (failure.code !== undefined && NEVER_CONNECTED_CODES.has(failure.code)) {
    return { kind: 'transient', reason: `Evolution is unreachable (${code}): ${failure.message}` };
  }
  if (!failure.requestWritten) {
    if (failure.code !== undefined && CONFIGURATION_CODES.has(failure.code)) {
      return {
        kind: 'permanent',
        configuration: true,
        reason: `Evolution request is misconfigured (${code}): ${failure.message}`,
      };
    }
    return failure.timedOut
      ? { kind: 'transient', reason: 'Timed out before the request reached Evolution' }
      : { kind: 'transient', reason: `Connection failed before the request was sent (${code})` };
  }
  return failure.timedOut
    ? { kind: 'ambiguous', reason: 'Timed out waiting for Evolution after the request was sent' }
    : { kind: 'ambiguous', reason: `Connection lost after the request was sent (${code})` };
}
