import {
  AccountRepository,
  ApiKeyRepository,
  AuditEventRepository,
  InstanceRepository,
  openDataSource,
  SecretBox,
  type DataSource,
} from '@telenexus/db';
import { ConfigError } from '@telenexus/config';
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
  /** The audit log, where management commands record themselves (actor `cli`). */
  readonly auditEvents: AuditEventRepository;
  /** Encrypts and decrypts the stored secrets with SECRETS_KEY. */
  readonly secrets: SecretBox;
}

/** Which Evolution new instances are configured against; defaults to the configured one. */
export interface EvolutionTarget {
  readonly url: string;
  readonly apiKey: string;
}

/** Opens the database for one command and always closes it afterwards; needs no SECRETS_KEY (migrations). */
export async function withConnection<T>(
  config: CliConfig,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  await checkPostgres(config.database.url);
  const dataSource = await openDataSource({
    url: config.database.url,
    poolSize: 2,
    connectTimeoutMs: config.database.connectTimeoutMs,
    applicationName: 'telenexus-cli',
  });
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Opens the database with the repositories and provisioning rules over it, for one command. */
export async function withDatabase<T>(
  config: CliConfig,
  work: (session: DatabaseSession) => Promise<T>,
  evolutionTarget?: EvolutionTarget,
): Promise<T> {
  // Before anything else: a command must neither write a secret nobody can read nor fail half-way.
  const secrets = new SecretBox(requireSecretsKey(config));
  return withConnection(config, async (dataSource) => {
    const target =
      evolutionTarget ??
      (config.evolutionUrl ? { url: config.evolutionUrl, apiKey: config.evolutionApiKey } : undefined);
    const evolution = target
      ? new EvolutionHttpClient({ baseUrl: target.url, globalApiKey: target.apiKey, timeoutMs: 10_000 })
      : undefined;
    try {
      const accounts = new AccountRepository(dataSource);
      const apiKeys = new ApiKeyRepository(dataSource);
      const instances = new InstanceRepository(dataSource, secrets);
      const provisioning = createProvisioning({
        accounts,
        apiKeys,
        instances,
        evolution,
        webhookBaseUrl: config.evolutionWebhookBaseUrl,
      });
      return await work({
        dataSource,
        provisioning,
        accounts,
        apiKeys,
        instances,
        auditEvents: new AuditEventRepository(dataSource),
        secrets,
      });
    } finally {
      evolution?.close();
    }
  });
}

/** The key ring of SECRETS_KEY, which every command that opens the database needs. */
export function requireSecretsKey(config: CliConfig): NonNullable<CliConfig['secretsKey']> {
  if (!config.secretsKey) {
    throw new ConfigError([
      '"SECRETS_KEY" is required: one or more comma-separated <keyId>:<base64 of 32 bytes> (`npx telenexus secrets new-key` prints one; `npm start` writes one to .env)',
    ]);
  }
  return config.secretsKey;
}
