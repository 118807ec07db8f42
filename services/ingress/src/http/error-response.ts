import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '@telenexus/db';
import { isDomainError } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import type { ErrorRequestHandler, Response } from 'express';
import { BEARER_CHALLENGE } from '../auth/bearer-challenge';
import { HttpProblem } from './http-problem';
import { PROBLEM_TYPES, problemTypeUri, type ProblemCode } from './problem-types';

/** RFC 9457's media type, which every error answer carries. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Seconds a client is told to wait when Postgres is unreachable. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** One error answer before it is written. */
interface Problem {
  readonly code: ProblemCode;
  /** Words for the client; the guide's clients read this member, so its texts never change. */
  readonly detail: string;
  /** Members beside the standard ones (`errors`, `error_id`, a conflicting `message_id`). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** body-parser's error types, which carry their own status. */
interface BodyParserError {
  readonly type: string;
  readonly limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
  );
}

function bodyParserProblem(error: BodyParserError): Problem | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return { code: 'invalid_json', detail: 'Request body is not valid JSON' };
    case 'entity.too.large':
      return {
        code: 'payload_too_large',
        detail: `Request body is larger than the ${Math.round((error.limit ?? 0) / 1024)} KB limit`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { code: 'unsupported_media_type', detail: 'Request body must be UTF-8 encoded JSON' };
    case 'request.aborted':
      return { code: 'bad_request', detail: 'Request body was not received completely' };
    default:
      return undefined;
  }
}

/**
 * The codes of the bare 4xx statuses of http-errors raised below us: a path whose percent-encoding
 * does not decode (400), a console file that cannot be sent as asked (403, 404, 412, 416).
 */
const CODE_BY_CLIENT_STATUS: Readonly<Partial<Record<number, ProblemCode>>> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
};

/** http-errors raised below us are the client's mistake: a 4xx with a plain reason, never a 500. */
function clientErrorProblem(error: unknown): Problem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const httpStatus = typeof status === 'number' ? status : statusCode;
  if (typeof httpStatus !== 'number' || httpStatus < 400 || httpStatus >= 500) return undefined;
  // Any other client error is still the client's: a 400 rather than a status without a code.
  const code = CODE_BY_CLIENT_STATUS[httpStatus] ?? 'bad_request';
  return { code, detail: STATUS_CODES[PROBLEM_TYPES[code].status] ?? 'Bad Request' };
}

function knownProblem(error: unknown): Problem | undefined {
  if (isDomainError(error)) {
    return {
      code: error.code,
      detail: error.message,
      extra: { ...error.extra, ...(error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {}) },
      headers:
        error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof HttpProblem)
    return { code: error.code, detail: error.message, headers: error.headers };
  return (isBodyParserError(error) ? bodyParserProblem(error) : undefined) ?? clientErrorProblem(error);
}

function sendProblem(response: Response, publicBaseUrl: string, problem: Problem): void {
  const { status, title } = PROBLEM_TYPES[problem.code];
  for (const [name, value] of Object.entries(problem.headers ?? {})) response.setHeader(name, value);
  // Every 401 names the scheme that would succeed; routes with their own (the dashboard's Basic) set it first.
  if (status === 401 && !response.hasHeader('WWW-Authenticate')) {
    response.setHeader('WWW-Authenticate', BEARER_CHALLENGE);
  }
  const body: Record<string, unknown> = {
    type: problemTypeUri(publicBaseUrl, problem.code),
    title,
    status,
    detail: problem.detail,
    code: problem.code,
  };
  for (const [member, value] of Object.entries(problem.extra ?? {})) {
    if (!(member in body)) body[member] = value;
  }
  response.status(status).setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  response.json(body);
}

export interface ErrorResponderOptions {
  readonly logger: Logger;
  /** Problem `type` URIs point here, at `GET /api/problems/:code`. */
  readonly publicBaseUrl: string;
}

/**
 * The one place errors become HTTP answers: RFC 9457 problem details (`application/problem+json`)
 * with `type`, `title`, `status`, `detail` (the words the guide's clients read) and a stable `code`
 * from {@link PROBLEM_TYPES}, plus `errors` for field problems. A stack trace never leaves the
 * process: unexpected errors answer 500 with an error id that is also logged, so support can find
 * the line.
 */
export function errorResponder(options: ErrorResponderOptions): ErrorRequestHandler {
  const { logger, publicBaseUrl } = options;
  return (error: unknown, _request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const known = knownProblem(error);
    if (known) {
      sendProblem(response, publicBaseUrl, known);
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn('database unavailable', { error });
      sendProblem(response, publicBaseUrl, {
        code: 'dependency_unavailable',
        detail: 'Service temporarily unavailable, please retry shortly',
        headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
      });
      return;
    }
    const errorId = randomUUID();
    logger.error('unhandled error', { errorId, error });
    sendProblem(response, publicBaseUrl, {
      code: 'internal_error',
      detail: `Internal server error (error id ${errorId})`,
      extra: { error_id: errorId },
    });
  };
}
