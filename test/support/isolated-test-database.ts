import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '@telenexus/db';
import { TEST_DATABASE_URL } from './test-database';

/** A database of one test file's own, with the real migrations, dropped when the file is done. */
export interface IsolatedTestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function onMaintenanceDatabase(work: (client: Client) => Promise<unknown>): Promise<void> {
  const maintenance = new URL(TEST_DATABASE_URL);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * For tests of a worker that takes whatever work the database holds (the webhook delivery worker
 * claims every due delivery): in the shared test database it would take other files' rows, and
 * they its.
 */
export async function createIsolatedTestDatabase(): Promise<IsolatedTestDatabase> {
  const name = `telenexus_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await onMaintenanceDatabase((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), poolSize: 2 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return {
    url: url.toString(),
    drop: () =>
      onMaintenanceDatabase((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}
