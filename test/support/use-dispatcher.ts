import {
  createDispatcherHarness,
  type DispatcherHarness,
  type DispatcherHarnessOptions,
} from './dispatcher-harness';
import type { DatabaseContext, Tenant } from './test-context';
import { openDatabaseFor, setBy, type DatabaseChoice, type OpenedDatabase } from './use-test-database';

/** What a test file of the dispatcher works with: the database, the dispatcher over it, its tenant. */
export interface DispatcherContext {
  readonly db: DatabaseContext;
  readonly dispatcher: DispatcherHarness;
  /** Only when `tenant` was asked for; its instance exists in the dispatcher's sandbox. */
  readonly tenant: Tenant;
}

/**
 * Opens the test database (its own, with `isolated`), starts a dispatcher over it sending to its
 * sandbox, and creates the `tenant` asked for, linked in the sandbox, before the file's tests;
 * closes everything after them. Read its fields inside hooks and tests, where they are set.
 */
export function useDispatcher(options: DispatcherHarnessOptions & DatabaseChoice = {}): DispatcherContext {
  let opened: OpenedDatabase | undefined;
  let dispatcher: DispatcherHarness | undefined;
  beforeAll(async () => {
    opened = await openDatabaseFor(options);
    dispatcher = await createDispatcherHarness(opened.db, options);
    if (opened.tenant)
      dispatcher.sandbox.createInstance({ name: opened.tenant.instance.evolutionInstanceName });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await opened?.close();
  });
  return {
    get db() {
      return setBy('useDispatcher', 'db', opened?.db);
    },
    get dispatcher() {
      return setBy('useDispatcher', 'dispatcher', dispatcher);
    },
    get tenant() {
      return setBy('useDispatcher', 'tenant', opened?.tenant);
    },
  };
}
