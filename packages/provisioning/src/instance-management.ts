import {
  canonicalLanguage,
  clockTimeProblem,
  LANGUAGE_TAG_PROBLEM,
  DomainError,
  validationError,
  type FieldError,
  type Instance,
  type QuietHours,
} from '@telenexus/core';
import type { AccountRepository, InstancePatch, InstanceRepository } from '@telenexus/db';
import type { EvolutionWebhookConfigurator } from './evolution-webhook-configurator';
import type { InstanceActor } from './instance-actor';
import { EVOLUTION_TOKEN_NOT_CLEARABLE, type InstanceOwnership } from './instance-ownership';
import { countryProblem, evolutionInstanceNameProblem, timezoneProblem } from './instance-settings';

/** How an instance spaces its sends and when it keeps quiet; absent fields keep their value. */
export interface SendingSettingsInput {
  readonly pacingMinGapMs?: number;
  readonly pacingJitterMs?: number;
  /** null: no daily cap. */
  readonly dailyCap?: number | null;
  /** null: no quiet hours. */
  readonly quietHours?: QuietHours | null;
}

export interface CreateInstanceInput extends SendingSettingsInput {
  readonly accountId: string;
  readonly name: string;
  readonly evolutionInstanceName: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string | null;
  /** BCP 47; null or empty: none. */
  readonly defaultLanguage?: string | null;
}

export interface UpdateInstanceInput extends SendingSettingsInput {
  readonly name?: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string;
  readonly defaultLanguage?: string | null;
}

/** Bounds on the sending settings: generous, but no typo can stall an instance for days. */
export const SENDING_LIMITS = { maxGapMs: 3_600_000, maxJitterMs: 600_000, maxDailyCap: 1_000_000 } as const;

/** Unique-violation SQLSTATE. */
const UNIQUE_VIOLATION = '23505';

export const INSTANCE_NOT_FOUND = 'Instance not found';

/**
 * An account's WhatsApp instances: each links one Evolution instance (one number). Creating one also
 * points that Evolution instance's webhook at us, so receipts and replies come back. Who may link
 * which number is {@link InstanceOwnership}'s to decide; each call says who asks.
 */
export class InstanceManagement {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly instances: InstanceRepository,
    private readonly webhooks: EvolutionWebhookConfigurator,
    private readonly ownership: InstanceOwnership,
  ) {}

  /**
   * Links an Evolution instance. A tenant's token is proven with Evolution before the name is
   * looked at, so a refused name answers exactly like a wrong token.
   */
  async create(input: CreateInstanceInput, actor: InstanceActor): Promise<Instance> {
    const problems: FieldError[] = [];
    const name = checkName(input.name, problems);
    const evolutionProblem = evolutionInstanceNameProblem(input.evolutionInstanceName);
    if (evolutionProblem) problems.push({ field: 'evolution_instance_name', message: evolutionProblem });
    const tokenProblem = this.ownership.tokenProblem(actor, input.evolutionToken);
    if (tokenProblem) problems.push(tokenProblem);
    const country = checkCountry(input.country, problems);
    const timezone = checkTimezone(input.timezone?.trim() || 'UTC', problems);
    const defaultLanguage = checkLanguage(input.defaultLanguage, problems);
    const sending = checkSendingSettings(input, problems);
    if (problems.length > 0) throw validationError(problems);
    if (!(await this.accounts.findById(input.accountId))) {
      throw new DomainError('not_found', 'Account not found');
    }
    await this.ownership.requireProof(actor, input.evolutionInstanceName, input.evolutionToken);
    await this.ownership.requireAvailable(actor, input.accountId, input.evolutionInstanceName);
    let instance: Instance;
    try {
      instance = await this.instances.create({
        accountId: input.accountId,
        name,
        evolutionInstanceName: input.evolutionInstanceName,
        evolutionToken: input.evolutionToken || null,
        country,
        timezone,
        defaultLanguage,
        ...sending,
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
        // Linked by someone else since the check: answer as the check now would.
        await this.ownership.requireAvailable(actor, input.accountId, input.evolutionInstanceName);
        throw new DomainError(
          'conflict',
          'The Evolution instance was being linked at the same time; try again',
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

  /** Changes settings; a tenant's new Evolution token must be proven for the instance's name. */
  async update(
    accountId: string,
    id: string,
    input: UpdateInstanceInput,
    actor: InstanceActor,
  ): Promise<Instance> {
    const current = await this.get(accountId, id);
    const problems: FieldError[] = [];
    const patch: { -readonly [K in keyof InstancePatch]: InstancePatch[K] } = {};
    if (input.name !== undefined) patch.name = checkName(input.name, problems);
    if (input.country !== undefined) patch.country = checkCountry(input.country, problems);
    if (input.timezone !== undefined) patch.timezone = checkTimezone(input.timezone.trim(), problems);
    if (input.defaultLanguage !== undefined)
      patch.defaultLanguage = checkLanguage(input.defaultLanguage, problems);
    if (input.evolutionToken !== undefined) {
      patch.evolutionToken = input.evolutionToken || null;
      if (patch.evolutionToken === null && !actor.operator) {
        problems.push({ field: 'evolution_token', message: EVOLUTION_TOKEN_NOT_CLEARABLE });
      }
    }
    const sending = checkSendingSettings(input, problems);
    if (problems.length > 0) throw validationError(problems);
    if (patch.evolutionToken) {
      await this.ownership.requireProof(actor, current.evolutionInstanceName, patch.evolutionToken);
    }
    const updated = await this.instances.update(accountId, id, { ...patch, ...sending });
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

function checkLanguage(raw: string | null | undefined, problems: FieldError[]): string | null {
  const tag = raw?.trim();
  if (!tag) return null;
  const canonical = canonicalLanguage(tag);
  if (!canonical) problems.push({ field: 'default_language', message: LANGUAGE_TAG_PROBLEM });
  return canonical ?? null;
}

function checkTimezone(timezone: string, problems: FieldError[]): string {
  const problem = timezoneProblem(timezone);
  if (problem) problems.push({ field: 'timezone', message: problem });
  return timezone;
}

type SendingPatch = Pick<
  InstancePatch,
  'pacingMinGapMs' | 'pacingJitterMs' | 'dailyCap' | 'quietHoursStart' | 'quietHoursEnd'
>;

function checkSendingSettings(input: SendingSettingsInput, problems: FieldError[]): SendingPatch {
  const patch: { -readonly [K in keyof SendingPatch]: SendingPatch[K] } = {};
  const whole = (field: string, value: number | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({ field, message: `must be a whole number from ${min} to ${max}` });
    }
    return value;
  };
  patch.pacingMinGapMs = whole('pacing.min_gap_ms', input.pacingMinGapMs, 0, SENDING_LIMITS.maxGapMs);
  patch.pacingJitterMs = whole('pacing.jitter_ms', input.pacingJitterMs, 0, SENDING_LIMITS.maxJitterMs);
  if (input.dailyCap !== undefined) {
    patch.dailyCap =
      input.dailyCap === null
        ? null
        : whole('pacing.daily_cap', input.dailyCap, 1, SENDING_LIMITS.maxDailyCap);
  }
  if (input.quietHours === null) {
    patch.quietHoursStart = null;
    patch.quietHoursEnd = null;
  } else if (input.quietHours !== undefined) {
    for (const side of ['start', 'end'] as const) {
      const problem = clockTimeProblem(input.quietHours[side]);
      if (problem) problems.push({ field: `quiet_hours.${side}`, message: problem });
    }
    if (input.quietHours.start === input.quietHours.end) {
      problems.push({ field: 'quiet_hours', message: 'must end at a different time than it starts' });
    }
    patch.quietHoursStart = input.quietHours.start;
    patch.quietHoursEnd = input.quietHours.end;
  }
  for (const key of Object.keys(patch) as (keyof SendingPatch)[]) {
    if (patch[key] === undefined) delete patch[key];
  }
  return patch;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
