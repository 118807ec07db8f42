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
      'SELECT * FROM api_keys WHERE lookup_prefix = $1 AND revoked_at IS NULL',
      [lookupPrefix],
    );
    return rows.map(toApiKey);
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
