import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '@telenexus/db';
import { isDomainError, type ErrorCode } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import type { ErrorRequestHandler } from 'express';

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  validation_failed: 400,
  instance_not_connected: 400,
  conflict: 409,
  idempotency_mismatch: 422,
  in_flight: 409,
  payload_too_large: 413,
  rate_limited: 429,
  dependency_unavailable: 503,
};

/** Seconds a client is told to wait when Postgres is unreachable. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** body-parser's error types, which carry their own status. */
interface BodyParserError {
  readonly type: string;
  readonly status?: number;
  readonly limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
  );
}

function bodyParserDetail(error: BodyParserError): { status: number; detail: string } | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return { status: 400, detail: 'Request body is not valid JSON' };
    case 'entity.too.large':
      return {
        status: 413,
        detail: `Request body is larger than the ${Math.round((error.limit ?? 0) / 1024)} KB limit`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, detail: 'Request body must be UTF-8 encoded JSON' };
    case 'request.aborted':
      return { status: 400, detail: 'Request body was not received completely' };
    default:
      return undefined;
  }
}

function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

/**
 * The one place errors become HTTP answers. Every body is `{"detail": "…"}` (plus `errors` for
 * field problems); a stack trace never leaves the process. Unexpected errors answer 500 with an
 * error id that is also logged, so support can find the line.
 */
export function errorResponder(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (isDomainError(error)) {
      if (error.retryAfterSeconds !== undefined)
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
      const body: Record<string, unknown> = { detail: error.message, ...error.extra };
      if (error.fieldErrors.length > 0) body.errors = error.fieldErrors;
      response.status(STATUS_BY_CODE[error.code]).json(body);
      return;
    }
    if (isBodyParserError(error)) {
      const mapped = bodyParserDetail(error);
      if (mapped) {
        response.status(mapped.status).json({ detail: mapped.detail });
        return;
      }
    }
    const clientStatus = clientErrorStatus(error);
    if (clientStatus !== undefined) {
      // http-errors raised below us (a body that does not decode, a malformed escape in the path):
      // the client's mistake, so its 4xx with a plain reason, never a 500.
      response.status(clientStatus).json({ detail: STATUS_CODES[clientStatus] ?? 'Bad request' });
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn('database unavailable', { error });
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      response.status(503).json({ detail: 'Service temporarily unavailable, please retry shortly' });
      return;
    }
    const errorId = randomUUID();
    logger.error('unhandled error', { errorId, error });
    response.status(500).json({ detail: `Internal server error (error id ${errorId})`, error_id: errorId });
  };
}
