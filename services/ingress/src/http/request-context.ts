import { randomUUID } from 'node:crypto';
import { withLogContext, type Logger } from '@telenexus/logger';
import type { RequestHandler } from 'express';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id — the caller's `x-request-id` when it is sane, else a new one — echoes it
 * back, puts it on every log line written while handling the request, and logs the request once
 * when it finishes.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const offered = request.header('x-request-id');
    const requestId = offered && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
    response.setHeader('x-request-id', requestId);
    const startedAt = process.hrtime.bigint();
    withLogContext({ requestId }, () => {
      // Below the level (LOG_LEVEL=warn) the line would only be dropped: no listener, no line.
      if (logger.isLevelEnabled('info')) logWhenFinished();
      next();
    });

    function logWhenFinished(): void {
      response.on('finish', () => {
        const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
        logger.info('request', {
          method: request.method,
          // The route pattern, never the raw path: paths carry secrets (Evolution's webhook token).
          path: request.route
            ? `${request.baseUrl}${String((request.route as { path: string }).path)}`
            : 'unmatched',
          status: response.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        });
      });
    }
  };
}
