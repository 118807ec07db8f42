import { DomainError, type FieldError } from '@telenexus/core';
import type { InstanceRepository } from '@telenexus/db';
import { isEvolutionRequestError, type EvolutionTokenVerifier } from '@telenexus/evolution';
import type { InstanceActor } from './instance-actor';

/**
 * The one answer for every name a tenant cannot have: not proven, taken by or deleted by another
 * account, or unknown to Evolution. Always these words, so the answer tells nothing about which.
 */
export const EVOLUTION_INSTANCE_NOT_PROVEN =
  "Evolution instance not found, or the token is not that instance's own token";

/** Why a tenant must send a token, where it is found, and why clearing one is refused. */
export const EVOLUTION_TOKEN_REQUIRED =
  "is required: the Evolution instance's own token (Evolution Manager shows it on the instance) proves the number is yours";
export const EVOLUTION_TOKEN_NOT_CLEARABLE =
  "cannot be cleared: without it the instance would use Evolution's global key, which only the operator may do";

type NameHolders = Pick<InstanceRepository, 'findEvolutionNameHolder'>;

/**
 * Decides who may link an Evolution instance name. A tenant proves the token with Evolution first,
 * then the name must be free of other accounts, live or deleted; the operator skips the proof and
 * may take back names other accounts deleted. Names of live instances stay unique (the database's
 * partial unique index), whoever asks.
 */
export class InstanceOwnership {
  constructor(
    private readonly holders: NameHolders,
    private readonly evolution: EvolutionTokenVerifier | undefined,
  ) {}

  /** The token's problem for a tenant's create (none for the operator, who may go without). */
  tokenProblem(actor: InstanceActor, token: string | null | undefined): FieldError | undefined {
    return actor.operator || token
      ? undefined
      : { field: 'evolution_token', message: EVOLUTION_TOKEN_REQUIRED };
  }

  /** Refuses a tenant whose token is not `instanceName`'s own; 503 when Evolution cannot tell. */
  async requireProof(
    actor: InstanceActor,
    instanceName: string,
    token: string | null | undefined,
  ): Promise<void> {
    if (actor.operator) return;
    if (!this.evolution) {
      throw new DomainError('evolution_unavailable', 'Evolution API is not configured (EVOLUTION_API_URL)');
    }
    let proof;
    try {
      proof = token ? await this.evolution.proveInstanceToken(instanceName, token) : 'not-proven';
    } catch (error) {
      throw unavailable(error);
    }
    if (proof !== 'proven') throw notProven();
  }

  /**
   * Refuses a name the account may not link: live anywhere (409 when it is the caller's own, which
   * it can list anyway, or for the operator), or last deleted by another account (tenants only).
   */
  async requireAvailable(actor: InstanceActor, accountId: string, instanceName: string): Promise<void> {
    const holder = await this.holders.findEvolutionNameHolder(instanceName);
    if (!holder) return;
    if (holder.live && (actor.operator || holder.accountId === accountId)) {
      throw new DomainError(
        'conflict',
        `Evolution instance ${instanceName} is already linked to an instance`,
      );
    }
    if (holder.live || (!actor.operator && holder.accountId !== accountId)) throw notProven();
  }
}

function notProven(): DomainError {
  return new DomainError('not_found', EVOLUTION_INSTANCE_NOT_PROVEN);
}

/** An outage is never read as a refusal: the client may retry, and nothing was linked. */
function unavailable(error: unknown): Error {
  if (!isEvolutionRequestError(error)) return error instanceof Error ? error : new Error(String(error));
  const why =
    error.httpStatus !== undefined
      ? `answered HTTP ${error.httpStatus}`
      : error.code === 'ETIMEDOUT'
        ? 'did not answer in time'
        : 'could not be reached';
  return new DomainError('evolution_unavailable', `Evolution API ${why}; try again shortly`, {
    cause: error,
  });
}
