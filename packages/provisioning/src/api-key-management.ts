import {
  DomainError,
  isPermission,
  mintApiKey,
  PERMISSIONS,
  validationError,
  type ApiKeyRecord,
  type FieldError,
  type Permission,
} from '@telenexus/core';
import type { AccountRepository, ApiKeyRepository } from '@telenexus/db';

export interface CreateApiKeyInput {
  readonly accountId: string;
  readonly name: string;
  readonly permissions: readonly string[];
}

/** A new key: `secret` is the only time the key itself is ever available. */
export interface CreatedApiKey {
  readonly record: ApiKeyRecord;
  readonly secret: string;
}

/** Longest a rotated key may keep working beside its replacement. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

const API_KEY_NOT_FOUND = 'API key not found';

/** Creating, listing, revoking and rotating an account's API keys. */
export class ApiKeyManagement {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly apiKeys: ApiKeyRepository,
  ) {}

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const problems: FieldError[] = [];
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200)
      problems.push({ field: 'name', message: 'must be 1–200 characters' });
    const unknown = input.permissions.filter((permission) => !isPermission(permission));
    if (unknown.length > 0) {
      problems.push({
        field: 'permissions',
        message: `unknown permission ${unknown.join(', ')}; use ${PERMISSIONS.slice(0, -1).join(', ')} or ${PERMISSIONS[PERMISSIONS.length - 1]}`,
      });
    } else if (input.permissions.length === 0) {
      problems.push({ field: 'permissions', message: 'must name at least one permission' });
    }
    if (problems.length > 0) throw validationError(problems);
    if (!(await this.accounts.findById(input.accountId)))
      throw new DomainError('not_found', 'Account not found');
    const permissions = [...new Set(input.permissions)] as Permission[];
    const minted = mintApiKey();
    const record = await this.apiKeys.create({ accountId: input.accountId, name, permissions, minted });
    return { record, secret: minted.secret };
  }

  list(accountId: string): Promise<ApiKeyRecord[]> {
    return this.apiKeys.listForAccount(accountId);
  }

  /** One key of the account (revoked ones too), or null: what the audit log shows as "before". */
  find(accountId: string, keyId: string): Promise<ApiKeyRecord | null> {
    return this.apiKeys.findForAccount(accountId, keyId);
  }

  /**
   * Revokes a key at once. The account's last admin key cannot be revoked this way, so an account
   * can never lock itself out of its own management API.
   */
  async revoke(accountId: string, keyId: string): Promise<ApiKeyRecord> {
    const key = await this.apiKeys.findForAccount(accountId, keyId);
    if (!key) throw new DomainError('not_found', API_KEY_NOT_FOUND);
    if (
      key.permissions.includes('admin') &&
      !key.revokedAt &&
      (await this.apiKeys.countActiveAdmins(accountId, keyId)) === 0
    ) {
      throw new DomainError(
        'conflict',
        "This is the account's last admin key; create another admin key first",
      );
    }
    return (await this.apiKeys.revoke(accountId, keyId))!;
  }

  /**
   * Replaces a key with a new one of the same name and permissions. The old key stops working at
   * once, or after `graceSeconds` so a billing system can be switched over without failed sends.
   */
  async rotate(accountId: string, keyId: string, graceSeconds: number): Promise<CreatedApiKey> {
    const key = await this.apiKeys.findForAccount(accountId, keyId);
    const expired = key?.expiresAt ? key.expiresAt.getTime() <= Date.now() : false;
    if (!key || key.revokedAt || expired) throw new DomainError('not_found', API_KEY_NOT_FOUND);
    const replacement = await this.create({ accountId, name: key.name, permissions: key.permissions });
    if (graceSeconds > 0)
      await this.apiKeys.expireAt(accountId, keyId, new Date(Date.now() + graceSeconds * 1000));
    else await this.apiKeys.revoke(accountId, keyId);
    return replacement;
  }
}
