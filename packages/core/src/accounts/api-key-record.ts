import type { Permission } from './permission';

/** An API key as stored: never the key itself, only what identifies and checks it. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** `tnx_` and the first 8 characters, shown in lists and used to find the row. */
  readonly lookupPrefix: string;
  readonly last4: string;
  readonly hash: Buffer;
  readonly permissions: readonly Permission[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  /** Set on a rotated key that keeps working for a grace period. */
  readonly expiresAt: Date | null;
}

/** Who is calling, once a key has been checked. */
export interface Principal {
  readonly accountId: string;
  readonly apiKeyId: string;
  /** The key's name when it was checked: the audit log records who acted by id and name. */
  readonly apiKeyName: string;
  readonly permissions: readonly Permission[];
}
