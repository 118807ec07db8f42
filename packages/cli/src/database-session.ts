import {
  AccountRepository,
  ApiKeyRepository,
  createDataSource,
  InstanceRepository,
  type DataSource,
} from '@telenexus/db';
import { Provisioning } from '@telenexus/provisioning';
import type { CliConfig } from './cli-config';
import { checkPostgres } from './dependency-check';

/** What a CLI command works with: the database and the provisioning rules over it. */
export interface DatabaseSession {
  readonly dataSource: DataSource;
  readonly provisioning: Provisioning;
  readonly accounts: AccountRepository;
  readonly instances: InstanceRepository;
}

/** Opens the database for one command and always closes it afterwards. */
export async function withDatabase<T>(
  config: CliConfig,
  work: (session: DatabaseSession) => Promise<T>,
): Promise<T> {
  await checkPostgres(config.database.url);
  const dataSource = createDataSource({
    url: config.database.url,
    poolSize: 2,
    connectTimeoutMs: config.database.connectTimeoutMs,
    applicationName: 'telenexus-cli',
  });
  await dataSource.initialize();
  try {
    const accounts = new AccountRepository(dataSource);
    const instances = new InstanceRepository(dataSource);
    const provisioning = new Provisioning(accounts, new ApiKeyRepository(dataSource), instances);
    return await work({ dataSource, provisioning, accounts, instances });
  } finally {
    await dataSource.destroy();
  }
}
