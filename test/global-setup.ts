import { prepareTestDatabase } from './support/test-database';

/** Runs once before all test files: a fresh test database with the real migrations applied. */
export default async function globalSetup(): Promise<void> {
  await prepareTestDatabase();
}
