import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';

/** What an Idempotency-Key already stands for. */
export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly status: 'in_flight' | 'completed';
  readonly responseStatus: number | null;
  readonly responseBody: unknown;
}

export interface ClaimOptions {
  /** How long a claim holds before a crashed request's key may be taken over. */
  readonly lockMs: number;
  /** How long the stored answer is kept. */
  readonly ttlMs: number;
}

/**
 * Idempotency-Key records, scoped to the account. Claiming is one upsert, so of two requests with
 * the same key exactly one goes ahead; a key whose record expired, or whose request crashed (lock
 * passed, same request), can be claimed again.
 */
export class IdempotencyKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** @returns null when claimed now, else the record in the way. */
  async claim(
    accountId: string,
    key: string,
    requestHash: string,
    options: ClaimOptions,
  ): Promise<IdempotencyRecord | null> {
    const claimed = await queryRows(
      this.dataSource,
      `INSERT INTO idempotency_keys (account_id, key, request_hash, status, locked_until, expires_at)
       VALUES ($1, $2, $3, 'in_flight', now() + $4 * interval '1 millisecond', now() + $5 * interval '1 millisecond')
       ON CONFLICT (account_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = 'in_flight',
         response_status = NULL, response_body = NULL, created_at = now(),
         locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
       WHERE idempotency_keys.expires_at < now()
          OR (idempotency_keys.status = 'in_flight' AND idempotency_keys.locked_until < now()
              AND idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING key`,
      [accountId, key, requestHash, options.lockMs, options.ttlMs],
    );
    if (claimed.length > 0) return null;
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM idempotency_keys WHERE account_id = $1 AND key = $2',
      [accountId, key],
    );
    const row = rows[0];
    // Expired and deleted between our two statements: treat as in flight; the client retries.
    if (!row) return { requestHash, status: 'in_flight', responseStatus: null, responseBody: null };
    return {
      requestHash: String(row.request_hash),
      status: row.status === 'completed' ? 'completed' : 'in_flight',
      responseStatus: row.response_status === null ? null : Number(row.response_status),
      responseBody: row.response_body,
    };
  }

  async complete(accountId: string, key: string, status: number, body: unknown): Promise<void> {
    await queryRows(
      this.dataSource,
      `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4::jsonb
       WHERE account_id = $1 AND key = $2`,
      [accountId, key, status, JSON.stringify(body ?? null)],
    );
  }

  /** Frees the key (the request failed and stored nothing worth replaying). */
  async release(accountId: string, key: string): Promise<void> {
    await queryRows(this.dataSource, 'DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2', [
      accountId,
      key,
    ]);
  }

  async deleteExpired(before: Date): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      'DELETE FROM idempotency_keys WHERE expires_at < $1 RETURNING key',
      [before],
    );
    return rows.length;
  }
}
