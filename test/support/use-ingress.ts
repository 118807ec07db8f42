import { createIngressHarness, type IngressHarness, type IngressHarnessOptions } from './ingress-harness';
import { openTestDatabase, type DatabaseContext } from './test-context';

/** What a test file of ingress works with: the test database and the wired app over it. */
export interface IngressContext {
  readonly db: DatabaseContext;
  readonly ingress: IngressHarness;
}

/**
 * Opens the test database and wires ingress over it before the file's tests, and closes both
 * after them. Call it at the top of a test file; read its fields inside hooks and tests, where they
 * are set (reading one earlier throws, naming it).
 */
export function useIngress(options: IngressHarnessOptions = {}): IngressContext {
  let db: DatabaseContext | undefined;
  let ingress: IngressHarness | undefined;
  beforeAll(async () => {
    db = await openTestDatabase();
    ingress = createIngressHarness(db, options);
  });
  afterAll(async () => {
    await ingress?.close();
    await db?.close();
  });
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined)
      throw new Error(`useIngress: ${name} is set in beforeAll; read it inside a test`);
    return value;
  };
  return {
    get db() {
      return ready(db, 'db');
    },
    get ingress() {
      return ready(ingress, 'ingress');
    },
  };
}
