import type { ApiKeyRecord, MintedApiKey, Permission } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import { toApiKey } from './row-mappers';

export interface NewApiKey {
  readonly accountId: string;
  readonly name: string;
  readonly permissions: readonly Permission[];
  readonly minted: MintedApiKey;
}

export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the hash, prefix and last 4 characters of a freshly minted key — never the key. */
  async create(key: NewApiKey): Promise<ApiKeyRecord> {
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO api_keys (account_id, name, lookup_prefix, key_hash, last4, permissions)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [key.accountId, key.name, key.minted.lookupPrefix, key.minted.hash, key.minted.last4, key.permissions],
    );
    return toApiKey(rows[0]!);
  }

  /** Keys still in force whose clear prefix matches; the caller compares hashes in constant time. */
  async findActiveByLookupPrefix(lookupPrefix: string): Promise<ApiKeyRecord[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM api_keys
       WHERE lookup_prefix = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [lookupPrefix],
    );
    return rows.map(toApiKey);
  }

  /** Every key of the account, newest first, revoked ones included (their history matters). */
  async listForAccount(accountId: string): Promise<ApiKeyRecord[]> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM api_keys WHERE account_id = $1 ORDER BY created_at DESC, id DESC',
      [accountId],
    );
    return rows.map(toApiKey);
  }

  /** Any account's key: for the operator's CLI, which is not confined to one account. */
  async findById(id: string): Promise<ApiKeyRecord | null> {
    const rows = await queryRows(this.dataSource, 'SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async findForAccount(accountId: string, id: string): Promise<ApiKeyRecord | null> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM api_keys WHERE id = $1 AND account_id = $2',
      [id, accountId],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  /** Revokes a key at once; a key already revoked keeps its original revocation time. */
  async revoke(accountId: string, id: string): Promise<ApiKeyRecord | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
       WHERE id = $1 AND account_id = $2 RETURNING *`,
      [id, accountId],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  /** Lets a key keep working until `at` (a rotated key's grace period). */
  async expireAt(accountId: string, id: string, at: Date): Promise<ApiKeyRecord | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE api_keys SET expires_at = least(coalesce(expires_at, $3), $3)
       WHERE id = $1 AND account_id = $2 RETURNING *`,
      [id, accountId, at],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  /** Admin keys of the account still in force, other than `exceptId`. */
  async countActiveAdmins(accountId: string, exceptId: string): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT count(*)::int AS count FROM api_keys
       WHERE account_id = $1 AND id <> $2 AND 'admin' = ANY(permissions)
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [accountId, exceptId],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Records use; skipped when recorded within the last minute to keep writes off the hot path. */
  async touchLastUsed(id: string): Promise<void> {
    await queryRows(
      this.dataSource,
      `UPDATE api_keys SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
