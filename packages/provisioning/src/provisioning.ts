import type { AccountRepository, ApiKeyRepository, InstanceRepository } from '@telenexus/db';
import type { EvolutionGateway, EvolutionPairingGateway, EvolutionTokenVerifier } from '@telenexus/evolution';
import { AccountProvisioning } from './account-provisioning';
import { ApiKeyManagement } from './api-key-management';
import { EvolutionWebhookConfigurator } from './evolution-webhook-configurator';
import { InstanceConnections } from './instance-connections';
import { InstanceManagement } from './instance-management';
import { InstanceOwnership } from './instance-ownership';

export interface ProvisioningDependencies {
  readonly accounts: AccountRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly instances: InstanceRepository;
  /**
   * Evolution, when configured: tenants' instance tokens are proven with it, new instances get their
   * webhook pointed at us, and numbers are paired again (QR codes) and logged out through it.
   */
  readonly evolution?: Pick<EvolutionGateway, 'setWebhook'> &
    EvolutionPairingGateway &
    EvolutionTokenVerifier;
  /** Our base URL as Evolution reaches it. */
  readonly webhookBaseUrl: string;
}

/** Accounts, keys and instances with the same rules wherever they are managed (API or CLI). */
export interface Provisioning {
  readonly accounts: AccountProvisioning;
  readonly apiKeys: ApiKeyManagement;
  readonly instances: InstanceManagement;
  /** The QR Code tab: connection state and timeline, Reconnect, logout. */
  readonly connections: InstanceConnections;
}

export function createProvisioning(deps: ProvisioningDependencies): Provisioning {
  const apiKeys = new ApiKeyManagement(deps.accounts, deps.apiKeys);
  const webhooks = new EvolutionWebhookConfigurator(deps.instances, {
    evolution: deps.evolution,
    webhookBaseUrl: deps.webhookBaseUrl,
  });
  const instances = new InstanceManagement(
    deps.accounts,
    deps.instances,
    webhooks,
    new InstanceOwnership(deps.instances, deps.evolution),
  );
  return {
    accounts: new AccountProvisioning(deps.accounts, apiKeys),
    apiKeys,
    instances,
    connections: new InstanceConnections(instances, deps.instances, deps.evolution),
  };
}
