import type { AccountRepository, ApiKeyRepository, InstanceRepository } from '@telenexus/db';
import type { EvolutionGateway } from '@telenexus/evolution';
import { AccountProvisioning } from './account-provisioning';
import { ApiKeyManagement } from './api-key-management';
import { EvolutionWebhookConfigurator } from './evolution-webhook-configurator';
import { InstanceManagement } from './instance-management';

export interface ProvisioningDependencies {
  readonly accounts: AccountRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly instances: InstanceRepository;
  /** Evolution, when configured: new instances get their webhook pointed at us. */
  readonly evolution?: Pick<EvolutionGateway, 'setWebhook'>;
  /** Our base URL as Evolution reaches it. */
  readonly webhookBaseUrl: string;
}

/** Accounts, keys and instances with the same rules wherever they are managed (API or CLI). */
export interface Provisioning {
  readonly accounts: AccountProvisioning;
  readonly apiKeys: ApiKeyManagement;
  readonly instances: InstanceManagement;
}

export function createProvisioning(deps: ProvisioningDependencies): Provisioning {
  const apiKeys = new ApiKeyManagement(deps.accounts, deps.apiKeys);
  const webhooks = new EvolutionWebhookConfigurator(deps.instances, {
    evolution: deps.evolution,
    webhookBaseUrl: deps.webhookBaseUrl,
  });
  return {
    accounts: new AccountProvisioning(deps.accounts, apiKeys),
    apiKeys,
    instances: new InstanceManagement(deps.accounts, deps.instances, webhooks),
  };
}
