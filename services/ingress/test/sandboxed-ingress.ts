import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EvolutionHttpClient } from '@telenexus/evolution';
import type { EvolutionSandbox, SandboxServer } from '@telenexus/evolution-sandbox';
import { createPairingSandbox } from '../../../packages/evolution-sandbox/test/support/pairing-sandbox';
import { createProvisioning } from '@telenexus/provisioning';
import type { DatabaseContext } from '../../../test/support/test-context';
import {
  createIngressHarness,
  type IngressHarness,
  type IngressHarnessOptions,
} from '../../../test/support/ingress-harness';

/** Ingress listening on a real port, over an Evolution sandbox whose webhooks reach it. */
export interface SandboxedIngress {
  readonly ingress: IngressHarness;
  readonly sandbox: EvolutionSandbox;
  readonly sandboxServer: SandboxServer;
  close(): Promise<void>;
}

export async function createSandboxedIngress(
  db: DatabaseContext,
  globalApiKey: string,
  options: Omit<IngressHarnessOptions, 'provisioning'> = {},
): Promise<SandboxedIngress> {
  const sandbox = createPairingSandbox(globalApiKey);
  const sandboxServer = await sandbox.listen(0);
  const evolution = new EvolutionHttpClient({ baseUrl: sandboxServer.url, globalApiKey });
  // Listen first: the webhook URL given to Evolution needs the port; requests wait for the harness.
  const built: { ingress?: IngressHarness } = {};
  const server = createServer((incoming, outgoing) => built.ingress!.app(incoming, outgoing));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const provisioning = createProvisioning({
    accounts: db.accounts,
    apiKeys: db.apiKeys,
    instances: db.instances,
    evolution,
    webhookBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  const harness = createIngressHarness(db, { ...options, provisioning });
  built.ingress = harness;
  return {
    ingress: harness,
    sandbox,
    sandboxServer,
    close: async () => {
      await sandboxServer.close();
      evolution.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await harness.close();
    },
  };
}
