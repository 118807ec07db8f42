import { DomainError, validationError, type FieldError, type Instance } from '@telenexus/core';
import type { AccountRepository, InstancePatch, InstanceRepository } from '@telenexus/db';
import type { EvolutionWebhookConfigurator } from './evolution-webhook-configurator';
import { countryProblem, evolutionInstanceNameProblem, timezoneProblem } from './instance-settings';

export interface CreateInstanceInput {
  readonly accountId: string;
  readonly name: string;
  readonly evolutionInstanceName: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string | null;
}

export interface UpdateInstanceInput {
  readonly name?: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string;
}

/** Unique-violation SQLSTATE. */
const UNIQUE_VIOLATION = '23505';

export const INSTANCE_NOT_FOUND = 'Instance not found';

/**
 * An account's WhatsApp instances: each links one Evolution instance (one number). Creating one also
 * points that Evolution instance's webhook at us, so receipts and replies come back.
 */
export class InstanceManagement {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly instances: InstanceRepository,
    private readonly webhooks: EvolutionWebhookConfigurator,
  ) {}

  async create(input: CreateInstanceInput): Promise<Instance> {
    const problems: FieldError[] = [];
    const name = checkName(input.name, problems);
    const evolutionProblem = evolutionInstanceNameProblem(input.evolutionInstanceName);
    if (evolutionProblem) problems.push({ field: 'evolution_instance_name', message: evolutionProblem });
    const country = checkCountry(input.country, problems);
    const timezone = checkTimezone(input.timezone?.trim() || 'UTC', problems);
    if (problems.length > 0) throw validationError(problems);
    if (!(await this.accounts.findById(input.accountId)))
      throw new DomainError('not_found', 'Account not found');
    let instance: Instance;
    try {
      instance = await this.instances.create({
        accountId: input.accountId,
        name,
        evolutionInstanceName: input.evolutionInstanceName,
        evolutionToken: input.evolutionToken || null,
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
    return this.webhooks.apply(instance);
  }

  list(accountId: string): Promise<Instance[]> {
    return this.instances.listForAccount(accountId);
  }

  async get(accountId: string, id: string): Promise<Instance> {
    const instance = isUuid(id) ? await this.instances.findForAccount(accountId, id) : null;
    if (!instance) throw new DomainError('not_found', INSTANCE_NOT_FOUND);
    return instance;
  }

  async update(accountId: string, id: string, input: UpdateInstanceInput): Promise<Instance> {
    await this.get(accountId, id);
    const problems: FieldError[] = [];
    const patch: { -readonly [K in keyof InstancePatch]: InstancePatch[K] } = {};
    if (input.name !== undefined) patch.name = checkName(input.name, problems);
    if (input.country !== undefined) patch.country = checkCountry(input.country, problems);
    if (input.timezone !== undefined) patch.timezone = checkTimezone(input.timezone.trim(), problems);
    if (input.evolutionToken !== undefined) patch.evolutionToken = input.evolutionToken || null;
    if (problems.length > 0) throw validationError(problems);
    const updated = await this.instances.update(accountId, id, patch);
    if (!updated) throw new DomainError('not_found', INSTANCE_NOT_FOUND);
    return updated;
  }

  /** Removes the instance from use; its messages stay in the history. */
  async delete(accountId: string, id: string): Promise<void> {
    const deleted = isUuid(id) ? await this.instances.softDelete(accountId, id) : null;
    if (!deleted) throw new DomainError('not_found', INSTANCE_NOT_FOUND);
  }

  /** Points Evolution's webhook at us again (after Evolution was reinstalled, say). */
  async reapplyWebhook(accountId: string, id: string): Promise<Instance> {
    return this.webhooks.apply(await this.get(accountId, id));
  }
}

function checkName(raw: string, problems: FieldError[]): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > 200)
    problems.push({ field: 'name', message: 'must be 1–200 characters' });
  return name;
}

function checkCountry(raw: string | null | undefined, problems: FieldError[]): string | null {
  const country = raw ? raw.trim().toUpperCase() : null;
  const problem = country ? countryProblem(country) : undefined;
  if (problem) problems.push({ field: 'country', message: problem });
  return country;
}

function checkTimezone(timezone: string, problems: FieldError[]): string {
  const problem = timezoneProblem(timezone);
  if (problem) problems.push({ field: 'timezone', message: problem });
  return timezone;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
