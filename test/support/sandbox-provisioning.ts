import { EvolutionHttpClient } from '@telenexus/evolution';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type EvolutionSandboxOptions,
} from '@telenexus/evolution-sandbox';
import { createProvisioning, type Provisioning } from '@telenexus/provisioning';
import type { DatabaseContext } from './test-context';

/** Where provisioning tells Evolution to send an instance's webhooks: a reserved name nothing answers at. */
export const TEST_EVOLUTION_WEBHOOK_BASE_URL = 'https://hooks.example.test';

/** Provisioning that links instances in a listening Evolution sandbox, and how to stop both. */
export interface SandboxProvisioning {
  readonly sandbox: EvolutionSandbox;
  readonly provisioning: Provisioning;
  close(): Promise<void>;
}

/**
 * Starts a sandbox (sending no receipts unless `options` ask for them) and provisioning over the
 * test database that calls it with the sandbox's global key.
 */
export async function createSandboxProvisioning(
  db: DatabaseContext,
  options: EvolutionSandboxOptions = {},
): Promise<SandboxProvisioning> {
  const sandbox = createEvolutionSandbox({
    serverAckMs: null,
    deliveryAckMs: null,
    readMs: null,
    ...options,
  });
  const server = await sandbox.listen(0);
  const evolution = new EvolutionHttpClient({ baseUrl: server.url, globalApiKey: sandbox.globalApiKey });
  return {
    sandbox,
    provisioning: createProvisioning({
      accounts: db.accounts,
      apiKeys: db.apiKeys,
      instances: db.instances,
      evolution,
      webhookBaseUrl: TEST_EVOLUTION_WEBHOOK_BASE_URL,
    }),
    async close() {
      evolution.close();
      await sandbox.close();
    },
  };
}
