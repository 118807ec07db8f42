import { PROBLEM_CONTENT_TYPE } from '../http/error-response';
import { PROBLEM_TYPES, problemTypeUri, type ProblemCode } from '../http/problem-types';
import {
  schemaRef,
  type ExampleObject,
  type HeaderObject,
  type ResponseObject,
  type SchemaObject,
} from './openapi-objects';

/*
 * Error answers, generated from the one table of error codes (PROBLEM_TYPES): each code is a
 * schema of its own (its `type`, `title`, `status` and `code` fixed), and an operation's error
 * response for a status accepts exactly the codes the operation lists for that status.
 */

/** `validation_failed` → `ValidationFailedProblem`. */
export function problemSchemaName(code: ProblemCode): string {
  const words = code.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${words.join('')}Problem`;
}

const retryAfter: HeaderObject = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'integer', minimum: 0 },
};

/** The rate limit's budget, on every answer of the send endpoints while limiting is on. */
export const RATE_LIMIT_HEADERS: Readonly<Record<string, HeaderObject>> = {
  'RateLimit-Limit': {
    description: 'Notifications this key may send per minute.',
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': {
    description: 'Notifications left in the current minute.',
    schema: { type: 'integer' },
  },
  'RateLimit-Reset': { description: 'Seconds until the budget is whole again.', schema: { type: 'integer' } },
};

/** The headers an answer with this code always carries. */
const HEADERS_BY_CODE: Partial<Record<ProblemCode, Readonly<Record<string, HeaderObject>>>> = {
  unauthenticated: {
    'WWW-Authenticate': {
      description: 'The scheme that would succeed: `Bearer` (the dashboard: `Basic`).',
      schema: { type: 'string' },
    },
  },
  method_not_allowed: { Allow: { description: 'The methods the path takes.', schema: { type: 'string' } } },
  in_flight: { 'Retry-After': retryAfter },
  rate_limited: { 'Retry-After': retryAfter, ...RATE_LIMIT_HEADERS },
  queue_limit_reached: { 'Retry-After': retryAfter },
  dependency_unavailable: { 'Retry-After': retryAfter },
};

/** What an answer with the code says, for its example. */
const EXAMPLE_DETAILS: Partial<Record<ProblemCode, string>> = {
  validation_failed: 'phone_number: is not a valid phone number',
  invalid_json: 'Request body is not valid JSON',
  instance_not_connected: 'Instance is not connected',
  unauthenticated: 'Invalid or missing API key',
  forbidden: 'This API key does not have the send_message permission',
  not_found: 'Instance not found',
  payload_too_large: 'Request body is larger than the 64 KB limit',
  rate_limited: 'Rate limit exceeded',
  queue_limit_reached:
    'Queue limit reached: an account may have at most 100000 messages queued; this one has 99800 and this request would add 1000',
  would_expire:
    'Would expire unsent: this instance could send it at 2026-02-16T04:00:00.000Z at the earliest (estimated from ' +
    'its pace, backlog, quiet hours and daily cap), and it expires at 2026-02-15T20:59:59.999Z',
  in_flight: 'A request with this Idempotency-Key is still being processed',
  idempotency_mismatch: 'This Idempotency-Key was already used with a different request',
  dependency_unavailable: 'Service temporarily unavailable, please retry shortly',
  evolution_unavailable: 'Evolution API could not be reached; try again shortly',
  evolution_rejected:
    'Evolution API refused the request: Evolution connect failed with HTTP 401: Unauthorized',
};

const EXAMPLE_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

function exampleProblem(publicBaseUrl: string, code: ProblemCode): Record<string, unknown> {
  const { status, title } = PROBLEM_TYPES[code];
  const detail =
    code === 'internal_error'
      ? `Internal server error (error id ${EXAMPLE_ID})`
      : (EXAMPLE_DETAILS[code] ?? title);
  return {
    type: problemTypeUri(publicBaseUrl, code),
    title,
    status,
    detail,
    code,
    ...(code === 'validation_failed'
      ? { errors: [{ field: 'phone_number', message: 'is not a valid phone number' }] }
      : {}),
    ...(code === 'internal_error' ? { error_id: EXAMPLE_ID } : {}),
  };
}

/** One schema per error code, under {@link problemSchemaName}: a Problem whose fixed members are fixed. */
export function problemSchemas(publicBaseUrl: string): Record<string, SchemaObject> {
  return Object.fromEntries(
    (Object.keys(PROBLEM_TYPES) as ProblemCode[]).map((code) => {
      const { status, title, description } = PROBLEM_TYPES[code];
      return [
        problemSchemaName(code),
        {
          title: `${status} ${code}`,
          description,
          type: 'object',
          allOf: [schemaRef('Problem')],
          properties: {
            type: { const: problemTypeUri(publicBaseUrl, code) },
            title: { const: title },
            status: { const: status },
            code: { const: code },
          },
        },
      ];
    }),
  );
}

export interface ErrorResponseOptions {
  readonly publicBaseUrl: string;
  /** Words of the status for this operation, put first (the guide's, for its endpoint). */
  readonly descriptions?: Readonly<Partial<Record<number, string>>>;
  /** More examples of a status, beside one generated for each code. */
  readonly examples?: Readonly<Partial<Record<number, Readonly<Record<string, ExampleObject>>>>>;
}

/**
 * The error responses of an operation that can answer the given codes, one per status. A header
 * is required when every code of the status carries it.
 */
export function errorResponses(
  codes: readonly ProblemCode[],
  options: ErrorResponseOptions,
): Record<string, ResponseObject> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set(codes)) {
    const { status } = PROBLEM_TYPES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, ResponseObject> = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const lines = statusCodes.map(
      (code) => `- \`${code}\` (${PROBLEM_TYPES[code].title}): ${PROBLEM_TYPES[code].description}`,
    );
    const headers: Record<string, HeaderObject> = {};
    for (const code of statusCodes) {
      for (const [name, header] of Object.entries(HEADERS_BY_CODE[code] ?? {})) {
        const everyCode = statusCodes.every((other) => HEADERS_BY_CODE[other]?.[name] !== undefined);
        headers[name] = { ...header, required: everyCode };
      }
    }
    const refs = statusCodes.map((code) => schemaRef(problemSchemaName(code)));
    const examples: Record<string, ExampleObject> = {
      ...Object.fromEntries(
        statusCodes.map((code) => [
          code,
          { summary: PROBLEM_TYPES[code].title, value: exampleProblem(options.publicBaseUrl, code) },
        ]),
      ),
      ...options.examples?.[status],
    };
    responses[String(status)] = {
      description: [options.descriptions?.[status], lines.join('\n')].filter(Boolean).join('\n\n'),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: refs.length === 1 ? refs[0]! : { oneOf: refs },
          examples,
        },
      },
    };
  }
  return responses;
}
