import { dropTestDatabase } from './support/test-database';

/** Drops this run's database (once, whichever project's teardown comes first). */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url || !process.env.TELENEXUS_TEST_RUN_PREPARED) return;
  delete process.env.TELENEXUS_TEST_RUN_PREPARED;
  await dropTestDatabase(url);
}
