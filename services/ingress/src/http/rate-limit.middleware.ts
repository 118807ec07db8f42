import { DomainError } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisConnection } from '@telenexus/queue';
import { principalOf } from '../auth/authenticate.middleware';

export interface RateLimitOptions {
  readonly redis: RedisConnection;
  readonly namespace: string;
  /** Points (notifications, webhook calls) per subject per window; 0 turns limiting off. */
  readonly points: number;
  readonly windowSeconds: number;
  readonly logger: Logger;
}

/** What one request costs: a batch counts each of its notifications. */
export type RequestCost = (request: Request) => number;

/** Whose budget a request spends; runs after the middleware that authenticated it. */
export type RateLimitSubject = (response: Response) => string;

/** The default subject: the authenticated API key. */
const apiKeySubject: RateLimitSubject = (response) => principalOf(response).apiKeyId;

export const RATE_LIMIT_DETAIL = 'Rate limit exceeded';

function setHeaders(response: Response, limit: number, result: RateLimiterRes): void {
  response.setHeader('RateLimit-Limit', String(limit));
  response.setHeader('RateLimit-Remaining', String(Math.max(0, result.remainingPoints)));
  response.setHeader('RateLimit-Reset', String(Math.ceil(result.msBeforeNext / 1000)));
}

/**
 * Limits each subject (an API key by default; the Evolution webhook passes its instance) to a number
 * of points per window, counted in Redis so every ingress replica shares the count. Over the limit:
 * 429 `Rate limit exceeded` with Retry-After and the `RateLimit-*` headers. If Redis is unreachable,
 * an in-process limiter stands in, so an outage degrades limiting rather than refusing callers.
 * Each `namespace` is its own set of counters.
 */
export function rateLimit(
  options: RateLimitOptions,
  cost: RequestCost,
  subjectOf: RateLimitSubject = apiKeySubject,
): RequestHandler {
  if (options.points <= 0) return (_request, _response, next) => next();
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.namespace}:rate`,
    points: options.points,
    duration: options.windowSeconds,
    insuranceLimiter: new RateLimiterMemory({ points: options.points, duration: options.windowSeconds }),
  });
  return async (request, response, next) => {
    try {
      setHeaders(
        response,
        options.points,
        await limiter.consume(subjectOf(response), Math.max(1, cost(request))),
      );
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      setHeaders(response, options.points, rejection);
      throw new DomainError('rate_limited', RATE_LIMIT_DETAIL, {
        retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
      });
    }
    next();
  };
}
