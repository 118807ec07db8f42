import { randomUUID } from 'node:crypto';
import {
  AccountRepository,
  ApiKeyRepository,
  createDataSource,
  IdempotencyKeyRepository,
  InstanceRepository,
  createMessageStores,
  type MessageStores,
  type DataSource,
  type SecretBox,
} from '@telenexus/db';
import type { Instance, Permission } from '@telenexus/core';
import {
  createProvisioning,
  OPERATOR_ACTOR,
  type Provisioning,
  type SendingSettingsInput,
} from '@telenexus/provisioning';
import { TEST_DATABASE_URL } from './test-database';
import { testSecretBox } from './test-secrets';

/** The real Postgres test database with repositories over it. */
export interface DatabaseContext {
  readonly dataSource: DataSource;
  readonly accounts: AccountRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly instances: InstanceRepository;
  readonly messages: MessageStores;
  readonly idempotencyKeys: IdempotencyKeyRepository;
  readonly provisioning: Provisioning;
  /** Encrypts and decrypts stored secrets with the tests' SECRETS_KEY. */
  readonly secrets: SecretBox;
  close(): Promise<void>;
}

export async function openTestDatabase(url = TEST_DATABASE_URL): Promise<DatabaseContext> {
  const dataSource = createDataSource({ url, poolSize: 5, connectTimeoutMs: 1000 });
  await dataSource.initialize();
  const accounts = new AccountRepository(dataSource);
  const apiKeys = new ApiKeyRepository(dataSource);
  const secrets = testSecretBox();
  const instances = new InstanceRepository(dataSource, secrets);
  return {
    dataSource,
    accounts,
    apiKeys,
    instances,
    messages: createMessageStores(dataSource),
    idempotencyKeys: new IdempotencyKeyRepository(dataSource),
    provisioning: createProvisioning({
      accounts,
      apiKeys,
      instances,
      webhookBaseUrl: 'http://127.0.0.1:8080',
    }),
    secrets,
    close: () => dataSource.destroy(),
  };
}

/** One account with a key and an instance, all with unique names so tests never share rows. */
export interface Tenant {
  readonly accountId: string;
  readonly apiKey: string;
  readonly apiKeyId: string;
  readonly instance: Instance;
}

export interface TenantOptions {
  readonly permissions?: readonly Permission[];
  readonly country?: string | null;
  readonly evolutionInstanceName?: string;
  /** Pacing and quiet hours; by default off, so tests are not slowed by the production pace. */
  readonly sending?: SendingSettingsInput;
}

export async function createTenant(db: DatabaseContext, options: TenantOptions = {}): Promise<Tenant> {
  const unique = randomUUID().slice(0, 8);
  const account = await db.provisioning.accounts.createAccount(`Test ISP ${unique}`);
  const key = await db.provisioning.apiKeys.create({
    accountId: account.id,
    name: `key ${unique}`,
    permissions: options.permissions ?? ['send_message', 'receive_message'],
  });
  const instance = await db.provisioning.instances.create(
    {
      accountId: account.id,
      name: `Billing ${unique}`,
      evolutionInstanceName: options.evolutionInstanceName ?? `billing-${unique}`,
      country: options.country === undefined ? 'KE' : options.country,
      timezone: 'Africa/Nairobi',
      pacingMinGapMs: 0,
      pacingJitterMs: 0,
      dailyCap: null,
      ...options.sending,
    },
    // Set up as the operator would, who needs no token; tenants' links are tested through the API.
    OPERATOR_ACTOR,
  );
  return { accountId: account.id, apiKey: key.secret, apiKeyId: key.record.id, instance };
}

/** A queue namespace no other test file uses, so queues never mix. */
export function uniqueQueueNamespace(): string {
  return `test-${randomUUID().slice(0, 12)}`;
}
