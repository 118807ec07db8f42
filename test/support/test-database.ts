import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '@telenexus/db';

const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The test run's own database. Global setup creates a fresh one per run (so two runs on one machine
 * never clobber each other) and passes its URL to the test workers through the environment.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? databaseUrl('telenexus_test');

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates this run's database with the same migrations production runs; returns its URL. */
export async function prepareTestDatabase(): Promise<string> {
  const name = `telenexus_test_${randomBytes(6).toString('hex')}`;
  await onServer(async (client) => {
    // Databases of runs that died before their teardown, more than a day ago.
    const stale = await client
      .query<{ datname: string }>(
        `SELECT datname FROM pg_database d WHERE datname LIKE 'telenexus_test_%'
         AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '1 day'`,
      )
      .catch(() => ({ rows: [] as { datname: string }[] }));
    for (const { datname } of stale.rows)
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = databaseUrl(name);
  const dataSource = createDataSource({ url, poolSize: 2 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return url;
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
