import type { ErrorCode } from '@telenexus/core';

/** Codes for failures only HTTP has (a route, a method, a body's bytes); core's codes are the rest. */
export const HTTP_ERROR_CODES = [
  'invalid_json',
  'unsupported_media_type',
  'method_not_allowed',
  'route_not_found',
  'bad_request',
  'precondition_failed',
  'range_not_satisfiable',
  'internal_error',
] as const;

export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** Every `code` an error answer of ingress can carry. Never rename one: clients branch on them. */
export type ProblemCode = ErrorCode | HttpErrorCode;

/** What one code means on the wire: its HTTP status, its fixed title and when it happens. */
export interface ProblemType {
  readonly status: number;
  /** The same for every answer with this code (RFC 9457 `title`); `detail` says what this time. */
  readonly title: string;
  /** When the code is answered and what the client can do about it, for people. */
  readonly description: string;
}

/**
 * The one table of error codes: each code's HTTP status, title and description. The error
 * responder answers from it, `GET /api/problems/:code` serves it, and the OpenAPI document is
 * generated from it. Keys are in the order they are documented.
 */
export const PROBLEM_TYPES: Readonly<Record<ProblemCode, ProblemType>> = {
  validation_failed: {
    status: 400,
    title: 'Validation failed',
    description:
      'A field, query parameter or header is missing or wrong. `detail` names the first problem as ' +
      '`field: message`; `errors` lists every one as `{field, message}`. Correct the request and send it again.',
  },
  invalid_json: {
    status: 400,
    title: 'Invalid JSON',
    description:
      'The body was sent as JSON but does not parse as JSON. Send one JSON object, as `json_encode` or ' +
      '`JSON.stringify` writes it.',
  },
  instance_not_connected: {
    status: 400,
    title: 'Instance not connected',
    description:
      "The instance's WhatsApp connection is known to be down, so nothing is accepted for it. Reconnect " +
      'it (QR Code tab) and send again.',
  },
  bad_request: {
    status: 400,
    title: 'Bad request',
    description:
      'The request could not be read: a malformed percent-encoding in the path, or a body that did not ' +
      'arrive whole. Send it again, well-formed.',
  },
  unauthenticated: {
    status: 401,
    title: 'Unauthenticated',
    description:
      'The request carries no valid credentials: the Authorization header is missing, is not ' +
      '`Bearer YOUR_API_KEY`, or names a key that is unknown or revoked (for Evolution webhooks: a wrong ' +
      'token or JWT). The answer carries a `WWW-Authenticate` challenge.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description:
      'The API key is valid but lacks the permission this request needs (`send_message`, ' +
      '`receive_message`, `admin` or `support`); `detail` names it. Use a key that has it.',
  },
  not_found: {
    status: 404,
    title: 'Not found',
    description:
      'What the request names (an instance, message, batch, API key, webhook endpoint or delivery) does ' +
      'not exist or belongs to another account; the two cannot be told apart.',
  },
  route_not_found: {
    status: 404,
    title: 'Route not found',
    description:
      'No route has this path, whatever the method. Check the URL, e.g. ' +
      '`/api/v1/billing/send-notification?instance_id=…`.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    description:
      'The path exists but does not take this HTTP method. The `Allow` header lists the methods it takes.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    description:
      'The request conflicts with what is stored: a notification for the same invoice, type and number ' +
      'was already accepted with different details (its `message_id` is given), an Evolution instance is ' +
      'already linked, a limit is reached, or the resource is in a state that does not allow this ' +
      "(the account's last admin key, a delivery already delivered). `detail` says which.",
  },
  in_flight: {
    status: 409,
    title: 'Request still in progress',
    description:
      'A request with this Idempotency-Key is still being processed. Retry after `Retry-After` seconds ' +
      'to get its answer.',
  },
  precondition_failed: {
    status: 412,
    title: 'Precondition failed',
    description:
      "A conditional request's precondition (`If-Match`, `If-Unmodified-Since`) does not hold. Only the " +
      "web console's files answer this.",
  },
  payload_too_large: {
    status: 413,
    title: 'Payload too large',
    description:
      'The body is larger than the limit `detail` names, or a batch holds more than 1,000 notifications. ' +
      'Send less, or split the batch.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    description:
      'The body is not JSON: send it UTF-8 encoded with the header `Content-Type: application/json` ' +
      "(PHP's curl sends `application/x-www-form-urlencoded` unless told otherwise). A body without any " +
      'Content-Type is read as JSON.',
  },
  range_not_satisfiable: {
    status: 416,
    title: 'Range not satisfiable',
    description: "The `Range` asked for lies outside the file. Only the web console's files answer this.",
  },
  idempotency_mismatch: {
    status: 422,
    title: 'Idempotency-Key reused',
    description:
      'This Idempotency-Key was already used with a different request (method, path, query or body). ' +
      'Use a new key for a new request.',
  },
  would_expire: {
    status: 422,
    title: 'Would expire unsent',
    description:
      "The notification could only go out after its `expires_at`: the instance's estimated send time for it " +
      '(from its pace, the messages waiting ahead, quiet hours and the daily cap) is later. `detail` names ' +
      'both. Nothing was stored. Send it with a later `expires_at`, or through a less busy instance.',
  },
  rate_limited: {
    status: 429,
    title: 'Rate limit exceeded',
    description:
      'This API key sent more notifications than its per-minute limit (a batch counts each one), or an ' +
      "instance's Evolution sent more webhook calls than `EVOLUTION_WEBHOOK_RATE_LIMIT_PER_MINUTE` (Evolution " +
      'retries them). Wait `Retry-After` seconds; the `RateLimit-*` headers show the budget.',
  },
  queue_limit_reached: {
    status: 429,
    title: 'Queue limit reached',
    description:
      'The account already has as many messages waiting to be sent as it may (`QUEUE_LIMIT_PER_ACCOUNT`, ' +
      'default 100,000), and this request would take it over: nothing of the request was stored. Retry ' +
      'after `Retry-After` seconds, when the queue has drained, or send smaller batches.',
  },
  internal_error: {
    status: 500,
    title: 'Internal server error',
    description:
      'An unexpected error inside Telenexus. `error_id` finds it in our logs: retry later, and give it ' +
      'to support if it persists.',
  },
  evolution_rejected: {
    status: 502,
    title: 'Evolution API refused',
    description:
      'Evolution API, which links the WhatsApp number, answered but refused the request: its API key or ' +
      'the instance token is wrong, the instance does not exist there, or it failed itself. `detail` gives ' +
      'its words; fix the instance in Evolution (or its `evolution_token`) and try again.',
  },
  dependency_unavailable: {
    status: 503,
    title: 'Service unavailable',
    description:
      'A service Telenexus depends on (its database) is not answering. Nothing was stored; retry after ' +
      '`Retry-After` seconds.',
  },
  evolution_unavailable: {
    status: 503,
    title: 'Evolution API unavailable',
    description:
      'Evolution API, which links the WhatsApp number, could not be reached, did not answer in time or is ' +
      'failing (or no Evolution API is configured). Nothing changed; try again shortly.',
  },
};

/** Where a code's problem type is described: the RFC 9457 `type` of every answer with that code. */
export function problemTypeUri(publicBaseUrl: string, code: ProblemCode): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/problems/${code}`;
}

export function isProblemCode(value: string): value is ProblemCode {
  return Object.hasOwn(PROBLEM_TYPES, value);
}
