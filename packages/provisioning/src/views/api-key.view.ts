import type { ApiKey } from '@telenexus/api-contract';
import type { ApiKeyRecord } from '@telenexus/core';

/** A key as the API Keys page lists it (the contract's `ApiKey`): never the key itself. */
export function toApiKeyView(key: ApiKeyRecord, now = new Date()): ApiKey {
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
