import type { EvolutionSandbox, EvolutionSandboxOptions } from '@telenexus/evolution-sandbox';
import { createIngressHarness, type IngressHarness, type IngressHarnessOptions } from './ingress-harness';
import { createSandboxProvisioning, type SandboxProvisioning } from './sandbox-provisioning';
import { createTenant, type DatabaseContext, type Tenant, type TenantOptions } from './test-context';
import { openDatabaseFor, setBy, type DatabaseChoice, type OpenedDatabase } from './use-test-database';

/** What a test file of ingress works with: the test database, the wired app over it, its tenant. */
export interface IngressContext {
  readonly db: DatabaseContext;
  /** The database's own URL (not `databaseVia`'s), for a tool a test runs over it, such as pg_dump. */
  readonly url: string;
  readonly ingress: IngressHarness;
  /** Only when `tenant` was asked for. */
  readonly tenant: Tenant;
  /** Only when `operator` was asked for. */
  readonly operator: Tenant;
  /** Only when `evolution` was asked for: the sandbox the app links instances in. */
  readonly sandbox: EvolutionSandbox;
}

/** What the app is wired to beyond the harness's options. */
export interface IngressChoice {
  /**
   * An account created before the app and made the operator's (`operatorAccountId`), as
   * `createTenant` makes one; its key is an admin key unless `permissions` say otherwise.
   */
  readonly operator?: TenantOptions | true;
  /**
   * An Evolution sandbox (sending no receipts unless these options ask for them) that the app's
   * provisioning links instances in, in place of the test database's, which has no Evolution.
   * Evolution is told to send webhooks to `TEST_EVOLUTION_WEBHOOK_BASE_URL`, where nothing answers.
   */
  readonly evolution?: EvolutionSandboxOptions | true;
}

/**
 * Opens the test database (its own, with `isolated`), creates the `tenant` and `operator` and
 * starts the Evolution sandbox asked for, and wires ingress over them before the file's tests;
 * closes everything after them. Call it at the top of a test file (or of a describe that needs its
 * own app); read its fields inside hooks and tests, where they are set.
 */
export function useIngress(
  options: IngressHarnessOptions & DatabaseChoice & IngressChoice = {},
): IngressContext {
  if (options.operator && options.operatorAccountId !== undefined)
    throw new Error('useIngress: ask for an operator or give operatorAccountId, not both');
  if (options.evolution && options.provisioning)
    throw new Error('useIngress: ask for evolution or give provisioning, not both');
  let opened: OpenedDatabase | undefined;
  let operator: Tenant | undefined;
  let evolution: SandboxProvisioning | undefined;
  let ingress: IngressHarness | undefined;
  beforeAll(async () => {
    opened = await openDatabaseFor(options);
    if (options.operator)
      operator = await createTenant(opened.db, {
        permissions: ['admin'],
        ...(options.operator === true ? {} : options.operator),
      });
    if (options.evolution)
      evolution = await createSandboxProvisioning(
        opened.db,
        options.evolution === true ? {} : options.evolution,
      );
    ingress = createIngressHarness(opened.db, {
      ...options,
      ...(operator ? { operatorAccountId: operator.accountId } : {}),
      ...(evolution ? { provisioning: evolution.provisioning } : {}),
    });
  });
  afterAll(async () => {
    await ingress?.close();
    await evolution?.close();
    await opened?.close();
  });
  return {
    get db() {
      return setBy('useIngress', 'db', opened?.db);
    },
    get url() {
      return setBy('useIngress', 'url', opened?.url);
    },
    get ingress() {
      return setBy('useIngress', 'ingress', ingress);
    },
    get tenant() {
      return setBy('useIngress', 'tenant', opened?.tenant);
    },
    get operator() {
      return setBy('useIngress', 'operator', operator);
    },
    get sandbox() {
      return setBy('useIngress', 'sandbox', evolution?.sandbox);
    },
  };
}
