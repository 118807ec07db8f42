import type { DispatcherHarness } from './dispatcher-harness';
import {
  listeningOnLoopback,
  wireEndToEndSystem,
  type EndToEndSystem,
  type EndToEndSystemOptions,
  type ListeningEndToEndSystem,
} from './end-to-end-system';
import type { IngressHarness } from './ingress-harness';
import type { DatabaseContext, Tenant } from './test-context';
import { openDatabaseFor, setBy, type DatabaseChoice, type OpenedDatabase } from './use-test-database';

/** What an end-to-end test file works with: ingress and a dispatcher on one queue, and its tenant. */
export interface EndToEndContext {
  readonly db: DatabaseContext;
  readonly ingress: IngressHarness;
  readonly dispatcher: DispatcherHarness;
  /** Only when `tenant` was asked for; its instance exists in the dispatcher's sandbox. */
  readonly tenant: Tenant;
  /** Only when `listening` was asked for: where ingress answers. */
  readonly baseUrl: string;
}

export interface EndToEndChoice extends EndToEndSystemOptions {
  /** Ingress listening on a free loopback port, for clients that need a URL (curl, php, python). */
  readonly listening?: boolean;
}

/**
 * Opens the test database (its own, with `isolated`), wires ingress and a dispatcher on one queue
 * over it as {@link wireEndToEndSystem} does, and creates the `tenant` asked for, linked in the
 * dispatcher's sandbox, before the file's (or describe's) tests; closes everything after them. Read
 * its fields inside hooks and tests, where they are set.
 */
export function useEndToEndSystem(options: EndToEndChoice & DatabaseChoice = {}): EndToEndContext {
  let opened: OpenedDatabase | undefined;
  let system: EndToEndSystem | ListeningEndToEndSystem | undefined;
  beforeAll(async () => {
    opened = await openDatabaseFor(options);
    system = await wireEndToEndSystem(opened.db, options);
    if (options.listening) system = await listeningOnLoopback(system);
    if (opened.tenant)
      system.dispatcher.sandbox.createInstance({ name: opened.tenant.instance.evolutionInstanceName });
  });
  afterAll(async () => {
    await system?.close();
    await opened?.close();
  });
  return {
    get db() {
      return setBy('useEndToEndSystem', 'db', opened?.db);
    },
    get ingress() {
      return setBy('useEndToEndSystem', 'ingress', system?.ingress);
    },
    get dispatcher() {
      return setBy('useEndToEndSystem', 'dispatcher', system?.dispatcher);
    },
    get tenant() {
      return setBy('useEndToEndSystem', 'tenant', opened?.tenant);
    },
    get baseUrl() {
      return setBy(
        'useEndToEndSystem',
        'baseUrl',
        system && 'baseUrl' in system ? system.baseUrl : undefined,
      );
    },
  };
}
