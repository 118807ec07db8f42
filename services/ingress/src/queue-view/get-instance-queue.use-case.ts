import {
  DomainError,
  isUuid,
  queueWaitReason,
  type Instance,
  type InstanceQueue,
  type InstanceQueueCounts,
  type Principal,
  type WaitingMessage,
} from '@telenexus/core';

export interface InstanceQueueStore {
  counts(instanceId: string, now: Date): Promise<InstanceQueueCounts>;
  oldestWaiting(instanceId: string): Promise<WaitingMessage | null>;
}

export interface InstanceLookup {
  findForAccount(accountId: string, id: string): Promise<Instance | null>;
}

/**
 * One instance's queue, derived from its messages in Postgres (not from Redis, whose jobs carry
 * no tenant and whose delays say nothing of why): counts by where messages wait, and the message
 * that has waited longest with its reason. Another account's instance is not found.
 */
export class GetInstanceQueue {
  constructor(
    private readonly instances: InstanceLookup,
    private readonly queue: InstanceQueueStore,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(
    principal: Principal,
    instanceId: string,
  ): Promise<InstanceQueue & { readonly instanceId: string; readonly asOf: Date }> {
    const instance = isUuid(instanceId)
      ? await this.instances.findForAccount(principal.accountId, instanceId)
      : null;
    if (!instance) throw new DomainError('not_found', 'Instance not found');
    const nowMs = this.now();
    const asOf = new Date(nowMs);
    const [counts, oldest] = await Promise.all([
      this.queue.counts(instance.id, asOf),
      this.queue.oldestWaiting(instance.id),
    ]);
    return {
      instanceId: instance.id,
      counts,
      oldestWaiting: oldest && { ...oldest, reason: queueWaitReason(oldest, instance, nowMs) },
      asOf,
    };
  }
}
