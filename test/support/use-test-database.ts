import { createIsolatedTestDatabase } from './isolated-test-database';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
  type TenantOptions,
} from './test-context';
import { TEST_DATABASE_URL } from './test-database';

/** Where a test file's system keeps its data, and the account it acts as. */
export interface DatabaseChoice {
  /**
   * A database of the file's own rather than the run's: for workers that take whatever work the
   * database holds (the sweeper, the webhook worker), which would take other files' rows.
   */
  readonly isolated?: boolean;
  /** A tenant (account, key, instance) created before the tests, as `createTenant` makes one. */
  readonly tenant?: TenantOptions | true;
  /**
   * The URL to connect by, given the database's own: e.g. a fault proxy's in front of it, to cut
   * the file's connections. Called when the database is opened, so it may read what an earlier
   * `beforeAll` set up (the proxy's port).
   */
  readonly databaseVia?: (databaseUrl: string) => string;
}

/** A database opened for a file, with its tenant if one was asked for, and how to close it. */
export interface OpenedDatabase {
  /** The database's own URL, not `databaseVia`'s. */
  readonly url: string;
  readonly db: DatabaseContext;
  readonly tenant: Tenant | undefined;
  close(): Promise<void>;
}

export async function openDatabaseFor(choice: DatabaseChoice): Promise<OpenedDatabase> {
  const isolated = choice.isolated ? await createIsolatedTestDatabase() : undefined;
  const url = isolated?.url ?? TEST_DATABASE_URL;
  const db = await openTestDatabase(choice.databaseVia ? choice.databaseVia(url) : url);
  const tenant = choice.tenant
    ? await createTenant(db, choice.tenant === true ? {} : choice.tenant)
    : undefined;
  return {
    url,
    db,
    tenant,
    async close() {
      await db.close();
      await isolated?.drop();
    },
  };
}

/** What a file that wires its own systems over the test database works with. */
export interface TestDatabaseContext {
  /**
   * The database's own URL (not `databaseVia`'s): for a process a test starts over the same data,
   * such as the CLI.
   */
  readonly url: string;
  readonly db: DatabaseContext;
  /** Only when `tenant` was asked for. */
  readonly tenant: Tenant;
}

/**
 * Opens the test database (its own, with `isolated`) and creates the `tenant` asked for before the
 * file's (or describe's) tests, and closes it after them: for a file that wires its systems itself,
 * or that needs connections apart from the app's (which a fault between the app and Postgres does
 * not cut). Read its fields inside hooks and tests.
 */
export function useTestDatabase(choice: DatabaseChoice = {}): TestDatabaseContext {
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    opened = await openDatabaseFor(choice);
  });
  afterAll(async () => {
    await opened?.close();
  });
  return {
    get url() {
      return setBy('useTestDatabase', 'url', opened?.url);
    },
    get db() {
      return setBy('useTestDatabase', 'db', opened?.db);
    },
    get tenant() {
      return setBy('useTestDatabase', 'tenant', opened?.tenant);
    },
  };
}

/** A field a hook sets in `beforeAll`: reading it earlier, or one never asked for, throws naming it. */
export function setBy<T>(hook: string, name: string, value: T | undefined): T {
  if (value === undefined)
    throw new Error(`${hook}: ${name} is set in beforeAll (when asked for); read it inside a test or hook`);
  return value;
}
