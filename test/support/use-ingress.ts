import { createIngressHarness, type IngressHarness, type IngressHarnessOptions } from './ingress-harness';
import type { DatabaseContext, Tenant } from './test-context';
import { openDatabaseFor, setBy, type DatabaseChoice, type OpenedDatabase } from './use-test-database';

/** What a test file of ingress works with: the test database, the wired app over it, its tenant. */
export interface IngressContext {
  readonly db: DatabaseContext;
  readonly ingress: IngressHarness;
  /** Only when `tenant` was asked for. */
  readonly tenant: Tenant;
}

/**
 * Opens the test database (its own, with `isolated`), wires ingress over it and creates the
 * `tenant` asked for before the file's tests, and closes everything after them. Call it at the top
 * of a test file; read its fields inside hooks and tests, where they are set.
 */
export function useIngress(options: IngressHarnessOptions & DatabaseChoice = {}): IngressContext {
  let opened: OpenedDatabase | undefined;
  let ingress: IngressHarness | undefined;
  beforeAll(async () => {
    opened = await openDatabaseFor(options);
    ingress = createIngressHarness(opened.db, options);
  });
  afterAll(async () => {
    await ingress?.close();
    await opened?.close();
  });
  return {
    get db() {
      return setBy('useIngress', 'db', opened?.db);
    },
    get ingress() {
      return setBy('useIngress', 'ingress', ingress);
    },
    get tenant() {
      return setBy('useIngress', 'tenant', opened?.tenant);
    },
  };
}
