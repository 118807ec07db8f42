import { validationError, type Account } from '@telenexus/core';
import type { AccountRepository } from '@telenexus/db';
import type { ApiKeyManagement, CreatedApiKey } from './api-key-management';

/** Creating accounts, each with a first admin key so it can manage itself through the API. */
export class AccountProvisioning {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly apiKeys: ApiKeyManagement,
  ) {}

  async createAccount(name: string): Promise<Account> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) {
      throw validationError([{ field: 'name', message: 'must be 1–200 characters' }]);
    }
    return this.accounts.create(trimmed);
  }

  async createAccountWithAdminKey(name: string): Promise<{ account: Account; adminKey: CreatedApiKey }> {
    const account = await this.createAccount(name);
    const adminKey = await this.apiKeys.create({
      accountId: account.id,
      name: 'Admin',
      permissions: ['admin'],
    });
    return { account, adminKey };
  }
}
