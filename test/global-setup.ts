import { prepareTestDatabase } from './support/test-database';

/**
 * Runs once before all test files: a fresh database for this run with the real migrations applied.
 * Workers start after this and inherit the environment, so they all use it.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_DATABASE_URL = await prepareTestDatabase();
}
