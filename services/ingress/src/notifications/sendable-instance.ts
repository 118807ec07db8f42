import { DomainError, type Instance, type Principal } from '@telenexus/core';

export interface InstanceFinder {
  findForAccount(accountId: string, id: string): Promise<Instance | null>;
  /** Drops what a cache holds of the instance (see `CachedInstanceFinder`). */
  forget?(id: string): void;
}

export const INSTANCE_NOT_FOUND = 'Instance not found';
export const INSTANCE_NOT_CONNECTED = 'Instance is not connected';

/** The caller's instance, if it exists and its WhatsApp is not known to be disconnected. */
export async function sendableInstance(
  instances: InstanceFinder,
  principal: Principal,
  instanceId: string,
): Promise<Instance> {
  const instance = await instances.findForAccount(principal.accountId, instanceId);
  if (!instance) throw new DomainError('not_found', INSTANCE_NOT_FOUND);
  if (instance.connectionState === 'close')
    throw new DomainError('instance_not_connected', INSTANCE_NOT_CONNECTED);
  return instance;
}
