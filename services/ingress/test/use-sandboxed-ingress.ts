import type { IngressHarnessOptions } from '../../../test/support/ingress-harness';
import type { DatabaseContext, Tenant } from '../../../test/support/test-context';
import {
  openDatabaseFor,
  setBy,
  type DatabaseChoice,
  type OpenedDatabase,
} from '../../../test/support/use-test-database';
import { createSandboxedIngress, type SandboxedIngress } from './sandboxed-ingress';

/** What a test file of ingress over a sandbox whose webhooks reach it works with. */
export interface SandboxedIngressContext extends Omit<SandboxedIngress, 'close'> {
  readonly db: DatabaseContext;
  /** Only when `tenant` was asked for. */
  readonly tenant: Tenant;
}

/**
 * `useIngress` for ingress listening on a real port over a pairing sandbox that calls it (see
 * createSandboxedIngress): opens the test database, starts both and creates the `tenant` asked for
 * before the file's tests, and closes everything after them. Read its fields inside hooks and tests.
 */
export function useSandboxedIngress(
  globalApiKey: string,
  options: Omit<IngressHarnessOptions, 'provisioning'> & DatabaseChoice = {},
): SandboxedIngressContext {
  let opened: OpenedDatabase | undefined;
  let sandboxed: SandboxedIngress | undefined;
  beforeAll(async () => {
    opened = await openDatabaseFor(options);
    sandboxed = await createSandboxedIngress(opened.db, globalApiKey, options);
  });
  afterAll(async () => {
    await sandboxed?.close();
    await opened?.close();
  });
  const started = () => setBy('useSandboxedIngress', 'ingress', sandboxed);
  return {
    get db() {
      return setBy('useSandboxedIngress', 'db', opened?.db);
    },
    get ingress() {
      return started().ingress;
    },
    get sandbox() {
      return started().sandbox;
    },
    get sandboxServer() {
      return started().sandboxServer;
    },
    get tenant() {
      return setBy('useSandboxedIngress', 'tenant', opened?.tenant);
    },
  };
}
