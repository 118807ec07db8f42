import { DomainError } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisConnection } from '@telenexus/queue';
import { principalOf } from '../auth/authenticate.middleware';
import { LeasedRateLimiter, type RateDecision } from './leased-rate-limiter';

export interface RateLimitOptions {
  readonly redis: RedisConnection;
  readonly namespace: string;
  /** Points (notifications, webhook calls) per subject per window; 0 turns limiting off. */
  readonly points: number;
  readonly windowSeconds: number;
  readonly logger: Logger;
  /** The clock windows are counted by; tests freeze it inside one window. */
  readonly now?: () => number;
}

/** What one request costs: a batch counts each of its notifications. */
export type RequestCost = (request: Request) => number;

/** Whose budget a request spends; runs after the middleware that authenticated it. */
export type RateLimitSubject = (response: Response) => string;

/** The default subject: the authenticated API key. */
const apiKeySubject: RateLimitSubject = (response) => principalOf(response).apiKeyId;

export const RATE_LIMIT_DETAIL = 'Rate limit exceeded';

function setHeaders(response: Response, limit: number, decision: RateDecision): void {
  response.setHeader('RateLimit-Limit', String(limit));
  response.setHeader('RateLimit-Remaining', String(Math.max(0, decision.remaining)));
  response.setHeader('RateLimit-Reset', String(Math.ceil(decision.msBeforeReset / 1000)));
}

/**
 * Limits each subject (an API key by default; the Evolution webhook passes its instance) to a number
 * of points per window, shared by every ingress replica through Redis a lease at a time (see
 * `LeasedRateLimiter`: about one Redis round trip per 1 % of the limit, never more than the limit
 * across replicas). Over the limit: 429 `Rate limit exceeded` with Retry-After and the `RateLimit-*`
 * headers. If Redis is unreachable, an in-process limiter stands in, so an outage degrades limiting
 * rather than refusing callers. Each `namespace` is its own set of counters.
 */
export function rateLimit(
  options: RateLimitOptions,
  cost: RequestCost,
  subjectOf: RateLimitSubject = apiKeySubject,
): RequestHandler {
  if (options.points <= 0) return (_request, _response, next) => next();
  const limiter = new LeasedRateLimiter(options.redis, {
    keyPrefix: `${options.namespace}:rate`,
    points: options.points,
    windowMs: options.windowSeconds * 1000,
    ...(options.now ? { now: options.now } : {}),
  });
  const insurance = new RateLimiterMemory({ points: options.points, duration: options.windowSeconds });
  // Said once when Redis stops answering, and once when it is back: not on every request.
  let degraded = false;
  const decide = async (subject: string, points: number): Promise<RateDecision> => {
    try {
      const decision = await limiter.consume(subject, points);
      if (degraded) options.logger.info('rate limit shared through Redis again');
      degraded = false;
      return decision;
    } catch (error) {
      if (!degraded)
        options.logger.warn('rate limit counted in this process only: Redis did not answer', { error });
      degraded = true;
      return insurance.consume(subject, points).then(
        (result) => toDecision(result, true),
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          return toDecision(rejection, false);
        },
      );
    }
  };
  return async (request, response, next) => {
    const decision = await decide(subjectOf(response), Math.max(1, cost(request)));
    setHeaders(response, options.points, decision);
    if (!decision.allowed) {
      throw new DomainError('rate_limited', RATE_LIMIT_DETAIL, {
        retryAfterSeconds: Math.max(1, Math.ceil(decision.msBeforeReset / 1000)),
      });
    }
    next();
  };
}

function toDecision(result: RateLimiterRes, allowed: boolean): RateDecision {
  return { allowed, remaining: result.remainingPoints, msBeforeReset: result.msBeforeNext };
}
