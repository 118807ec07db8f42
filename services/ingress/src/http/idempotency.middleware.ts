import { createHash } from 'node:crypto';
import { DomainError, validationError } from '@telenexus/core';
import type { IdempotencyRecord } from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import type { Request, RequestHandler, Response } from 'express';
import { principalOf } from '../auth/authenticate.middleware';
import { canonicalJson } from './canonical-json';

export interface IdempotencyStore {
  claim(
    accountId: string,
    key: string,
    requestHash: string,
    options: { lockMs: number; ttlMs: number },
  ): Promise<IdempotencyRecord | null>;
  complete(accountId: string, key: string, status: number, body: unknown): Promise<void>;
  release(accountId: string, key: string): Promise<void>;
}

export interface IdempotencyOptions {
  readonly store: IdempotencyStore;
  /** How long the stored answer is replayed (at least 24 h). */
  readonly ttlMs: number;
  /** After this a claim whose request never finished (a crash) may be taken over. */
  readonly lockMs: number;
  readonly logger: Logger;
}

const KEY_SHAPE = /^[A-Za-z0-9_-]{1,255}$/;

/** Sent on every answer that repeats an earlier one. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** What makes two requests "the same" for a key: method, path, query and body, key order aside. */
export function idempotencyRequestHash(
  request: Pick<Request, 'method' | 'baseUrl' | 'path' | 'query' | 'body'>,
): string {
  return createHash('sha256')
    .update(
      canonicalJson([request.method, request.baseUrl + request.path, request.query, request.body ?? null]),
    )
    .digest('hex');
}

/**
 * `Idempotency-Key`, Stripe's semantics: the first request with a key runs and its successful answer
 * is stored; the same key again replays that answer (`Idempotent-Replayed: true`), with a different
 * request answers 422, and while the first is still running answers 409 with Retry-After. Failures
 * are not stored, so a corrected request may reuse its key.
 */
export function idempotency(options: IdempotencyOptions): RequestHandler {
  return async (request, response, next) => {
    const key = request.header('idempotency-key');
    if (key === undefined) {
      next();
      return;
    }
    if (!KEY_SHAPE.test(key)) {
      throw validationError([
        { field: 'Idempotency-Key', message: 'must be 1–255 letters, digits, dashes or underscores' },
      ]);
    }
    const { accountId } = principalOf(response);
    const hash = idempotencyRequestHash(request);
    const earlier = await options.store.claim(accountId, key, hash, {
      lockMs: options.lockMs,
      ttlMs: options.ttlMs,
    });
    if (earlier) {
      replayOrRefuse(response, earlier, hash);
      return;
    }
    recordAnswer(response, options, accountId, key);
    next();
  };
}

function replayOrRefuse(response: Response, earlier: IdempotencyRecord, hash: string): void {
  if (earlier.requestHash !== hash) {
    throw new DomainError(
      'idempotency_mismatch',
      'This Idempotency-Key was already used with a different request',
    );
  }
  if (earlier.status === 'in_flight' || earlier.responseStatus === null) {
    throw new DomainError('in_flight', 'A request with this Idempotency-Key is still being processed', {
      retryAfterSeconds: 1,
    });
  }
  response.setHeader(REPLAYED_HEADER, 'true');
  response.status(earlier.responseStatus).json(earlier.responseBody);
}

/**
 * Stores a successful answer before it is sent (so a retry the instant after sees it), and frees the
 * key when the answer is an error.
 */
function recordAnswer(response: Response, options: IdempotencyOptions, accountId: string, key: string): void {
  const send = response.json.bind(response);
  response.json = (body: unknown) => {
    const status = response.statusCode;
    const write =
      status >= 200 && status < 300
        ? options.store.complete(accountId, key, status, body)
        : options.store.release(accountId, key);
    write
      .catch((error: unknown) =>
        options.logger.warn('could not record the Idempotency-Key outcome', { error }),
      )
      .finally(() => send(body));
    return response;
  };
}
