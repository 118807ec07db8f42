import { createIsolatedTestDatabase } from './isolated-test-database';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
  type TenantOptions,
} from './test-context';

/** Where a test file's system keeps its data, and the account it acts as. */
export interface DatabaseChoice {
  /**
   * A database of the file's own rather than the run's: for workers that take whatever work the
   * database holds (the sweeper, the webhook worker), which would take other files' rows.
   */
  readonly isolated?: boolean;
  /** A tenant (account, key, instance) created before the tests, as `createTenant` makes one. */
  readonly tenant?: TenantOptions | true;
}

/** A database opened for a file, with its tenant if one was asked for, and how to close it. */
export interface OpenedDatabase {
  readonly db: DatabaseContext;
  readonly tenant: Tenant | undefined;
  close(): Promise<void>;
}

export async function openDatabaseFor(choice: DatabaseChoice): Promise<OpenedDatabase> {
  const isolated = choice.isolated ? await createIsolatedTestDatabase() : undefined;
  const db = await openTestDatabase(isolated?.url);
  const tenant = choice.tenant
    ? await createTenant(db, choice.tenant === true ? {} : choice.tenant)
    : undefined;
  return {
    db,
    tenant,
    async close() {
      await db.close();
      await isolated?.drop();
    },
  };
}

/** A field a hook sets in `beforeAll`: reading it earlier, or one never asked for, throws naming it. */
export function setBy<T>(hook: string, name: string, value: T | undefined): T {
  if (value === undefined)
    throw new Error(`${hook}: ${name} is set in beforeAll (when asked for); read it inside a test or hook`);
  return value;
}
