import { ensureTestTools, MissingTestToolsError } from './support/test-tools';
import { prepareTestDatabase } from './support/test-database';

/** Set once this run has its database: the `component` and `system` projects both ask for one. */
const PREPARED = 'TELENEXUS_TEST_RUN_PREPARED';

/**
 * Runs once before all test files: the programs the suites run (installed here when it can be done),
 * then a fresh database for this run with the real migrations applied. Workers start after this and
 * inherit the environment, so they all use it. Each Jest project that needs it names it; the second
 * finds it done.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env[PREPARED]) return;
  try {
    ensureTestTools((line) => process.stdout.write(`\n${line}\n`));
  } catch (error) {
    if (!(error instanceof MissingTestToolsError)) throw error;
    // One message and no test: a run that skipped the suites needing these would look green.
    process.stderr.write(`\n${error.message}\n`);
    process.exit(1);
  }
  process.env.TEST_DATABASE_URL = await prepareTestDatabase();
  process.env[PREPARED] = '1';
}
