import {
  AccountRepository,
  ApiKeyRepository,
  InstanceRepository,
  openDataSource,
  type DataSource,
} from '@telenexus/db';
import { EvolutionHttpClient } from '@telenexus/evolution';
import { createProvisioning, type Provisioning } from '@telenexus/provisioning';
import type { CliConfig } from './cli-config';
import { checkPostgres } from './dependency-check';

/** What a CLI command works with: the database and the provisioning rules over it. */
export interface DatabaseSession {
  readonly dataSource: DataSource;
  readonly provisioning: Provisioning;
  readonly accounts: AccountRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly instances: InstanceRepository;
}

/** Which Evolution new instances are configured against; defaults to the configured one. */
export interface EvolutionTarget {
  readonly url: string;
  readonly apiKey: string;
}

/** Opens the database for one command and always closes it afterwards. */
export async function withDatabase<T>(
  config: CliConfig,
  work: (session: DatabaseSession) => Promise<T>,
  evolutionTarget?: EvolutionTarget,
): Promise<T> {
  await checkPostgres(config.database.url);
  const dataSource = await openDataSource({
    url: config.database.url,
    poolSize: 2,
    connectTimeoutMs: config.database.connectTimeoutMs,
    applicationName: 'telenexus-cli',
  });
  const target =
    evolutionTarget ??
    (config.evolutionUrl ? { url: config.evolutionUrl, apiKey: config.evolutionApiKey } : undefined);
  const evolution = target
    ? new EvolutionHttpClient({ baseUrl: target.url, globalApiKey: target.apiKey, timeoutMs: 10_000 })
    : undefined;
  try {
    const accounts = new AccountRepository(dataSource);
    const apiKeys = new ApiKeyRepository(dataSource);
    const instances = new InstanceRepository(dataSource);
    const provisioning = createProvisioning({
      accounts,
      apiKeys,
      instances,
      evolution,
      webhookBaseUrl: config.evolutionWebhookBaseUrl,
    });
    return await work({ dataSource, provisioning, accounts, apiKeys, instances });
  } finally {
    evolution?.close();
    await dataSource.destroy();
  }
}
