import {
  DomainError,
  isPermission,
  mintApiKey,
  validationError,
  type Account,
  type ApiKeyRecord,
  type FieldError,
  type Instance,
  type Permission,
} from '@telenexus/core';
import type { AccountRepository, ApiKeyRepository, InstanceRepository } from '@telenexus/db';
import { countryProblem, evolutionInstanceNameProblem, timezoneProblem } from './instance-settings';

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

export interface CreateInstanceInput {
  readonly accountId: string;
  readonly name: string;
  readonly evolutionInstanceName: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string | null;
}

/** Unique-violation SQLSTATE. */
const UNIQUE_VIOLATION = '23505';

/**
 * Creating accounts, API keys and instances: shared by the CLI and the management API so both
 * apply the same rules.
 */
export class Provisioning {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly apiKeys: ApiKeyRepository,
    private readonly instances: InstanceRepository,
  ) {}

  async createAccount(name: string): Promise<Account> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) {
      throw validationError([{ field: 'name', message: 'must be 1–200 characters' }]);
    }
    return this.accounts.create(trimmed);
  }

  async createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const problems: FieldError[] = [];
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200)
      problems.push({ field: 'name', message: 'must be 1–200 characters' });
    const unknown = input.permissions.filter((permission) => !isPermission(permission));
    if (unknown.length > 0) {
      problems.push({
        field: 'permissions',
        message: `unknown permission ${unknown.join(', ')}; use send_message, receive_message or admin`,
      });
    } else if (input.permissions.length === 0) {
      problems.push({ field: 'permissions', message: 'must name at least one permission' });
    }
    if (problems.length > 0) throw validationError(problems);
    await this.requireAccount(input.accountId);
    const permissions = [...new Set(input.permissions)] as Permission[];
    const minted = mintApiKey();
    const record = await this.apiKeys.create({ accountId: input.accountId, name, permissions, minted });
    return { record, secret: minted.secret };
  }

  async createInstance(input: CreateInstanceInput): Promise<Instance> {
    const problems: FieldError[] = [];
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200)
      problems.push({ field: 'name', message: 'must be 1–200 characters' });
    const evolutionProblem = evolutionInstanceNameProblem(input.evolutionInstanceName);
    if (evolutionProblem) problems.push({ field: 'evolution_instance_name', message: evolutionProblem });
    const country = input.country ? input.country.trim().toUpperCase() : null;
    const badCountry = country ? countryProblem(country) : undefined;
    if (badCountry) problems.push({ field: 'country', message: badCountry });
    const timezone = input.timezone?.trim() || 'UTC';
    const badZone = timezoneProblem(timezone);
    if (badZone) problems.push({ field: 'timezone', message: badZone });
    if (problems.length > 0) throw validationError(problems);
    await this.requireAccount(input.accountId);
    try {
      return await this.instances.create({
        accountId: input.accountId,
        name,
        evolutionInstanceName: input.evolutionInstanceName,
        evolutionToken: input.evolutionToken ?? null,
        country,
        timezone,
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
        throw new DomainError(
          'conflict',
          `Evolution instance ${input.evolutionInstanceName} is already linked to an instance`,
        );
      }
      throw error;
    }
  }

  private async requireAccount(accountId: string): Promise<void> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (!uuid.test(accountId) || !(await this.accounts.findById(accountId))) {
      throw new DomainError('not_found', 'Account not found');
    }
  }
}
