import type { ApiKeyRecord } from '@telenexus/core';

/** A key as the API Keys page lists it: never the key itself, only what identifies it. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** `tnx_` and the first 8 characters. */
  readonly prefix: string;
  readonly last4: string;
  readonly permissions: readonly string[];
  readonly status: 'active' | 'revoked' | 'expired';
  readonly created_at: string;
  readonly last_used_at: string | null;
  readonly revoked_at: string | null;
  readonly expires_at: string | null;
}

export function toApiKeyView(key: ApiKeyRecord, now = new Date()): ApiKeyView {
  const status = key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt <= now ? 'expired' : 'active';
  return {
    id: key.id,
    name: key.name,
    prefix: key.lookupPrefix,
    last4: key.last4,
    permissions: key.permissions,
    status,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
  };
}
