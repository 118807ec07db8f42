import { randomUUID } from 'node:crypto';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
} from '@telenexus/evolution-sandbox';
import { createProducerConnection, NotificationQueue, type RedisConnection } from '@telenexus/queue';
import { startService, stopServices, type ServiceProcess } from '../support/service-process';
import { createTenant, type Tenant } from '../support/test-context';
import { TEST_REDIS_URL } from '../support/test-database';
import { useTestDatabase } from '../support/use-test-database';
import { waitFor } from '../support/wait-for';

/**
 * Scale-out proof: three dispatcher processes on one Redis and one Postgres share the work, send
 * every message exactly once, and keep each paced instance's gap between them.
 */
const GAP_MS = 400;
const SANDBOX_KEY = 'scale-out-key';

let sandbox: EvolutionSandbox;
let sandboxServer: SandboxServer;
let redis: RedisConnection;
let queue: NotificationQueue;
const dispatchers: ServiceProcess[] = [];
const namespace = `scale-${randomUUID().slice(0, 8)}`;

// Registered before useTestDatabase's, so it runs first: the dispatchers stop before their database
// is dropped.
afterAll(async () => {
  await stopServices(dispatchers);
  await queue.queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
  await sandbox.close();
});

const context = useTestDatabase({ isolated: true });

beforeAll(async () => {
  sandbox = createEvolutionSandbox({
    globalApiKey: SANDBOX_KEY,
    serverAckMs: null,
    deliveryAckMs: null,
    readMs: null,
  });
  sandboxServer = await sandbox.listen(0);
  redis = createProducerConnection(TEST_REDIS_URL);
  queue = new NotificationQueue({ connection: redis, namespace, retry: { attempts: 3 } });
  const environment = {
    DATABASE_URL: context.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: namespace,
    EVOLUTION_API_URL: sandboxServer.url,
    EVOLUTION_API_KEY: SANDBOX_KEY,
    DISPATCHER_CONCURRENCY: '5',
    CONNECTION_POLL_INTERVAL_MS: '0',
  };
  // One after another, each kept as it starts: should one fail, afterAll stops those already running.
  for (let started = 0; started < 3; started += 1)
    dispatchers.push(await startService('dispatcher', environment));
});

async function queueFor(tenant: Tenant, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      phoneNumber: `2547${String(10_000_000 + index)}`,
      customerName: `${label} ${index}`,
      amount: '100',
      currency: 'KES',
      invoiceId: `${label}-${index}`,
      dueDate: null,
      messageType: 'invoice',
    });
    ids.push(message.id);
  }
  await queue.enqueueSends(ids);
  return ids;
}

describe('Several dispatcher processes', () => {
  it('When three dispatchers share a backlog, then each message is sent exactly once and paced instances keep their gap', async () => {
    const paced = await Promise.all(
      [1, 2].map(() => createTenant(context.db, { sending: { pacingMinGapMs: GAP_MS, pacingJitterMs: 0 } })),
    );
    const unpaced = await Promise.all([1, 2].map(() => createTenant(context.db)));
    for (const tenant of [...paced, ...unpaced])
      sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });

    const ids = [
      ...(await queueFor(paced[0]!, 10, 'P1')),
      ...(await queueFor(paced[1]!, 10, 'P2')),
      ...(await queueFor(unpaced[0]!, 100, 'U1')),
      ...(await queueFor(unpaced[1]!, 100, 'U2')),
    ];

    await waitFor(
      async () => {
        const rows: { n: number }[] = await context.db.dataSource.query(
          "SELECT count(*)::int AS n FROM messages WHERE status = 'sent' AND id = ANY($1::uuid[])",
          [ids],
        );
        return rows[0]!.n === ids.length || undefined;
      },
      `all ${ids.length} messages to be sent`,
      60_000,
    );

    const deliveries = sandbox.deliveries();
    expect(deliveries).toHaveLength(ids.length);
    expect(new Set(deliveries.map((delivery) => delivery.text)).size).toBe(ids.length);

    for (const tenant of paced) {
      const times = sandbox
        .deliveries({ instance: tenant.instance.evolutionInstanceName })
        .map((delivery) => delivery.receivedAt)
        .sort((a, b) => a - b);
      const gaps = times.slice(1).map((at, index) => at - times[index]!);
      // Seen where WhatsApp would see them, on the sandbox's own clock: the gap is counted from
      // Evolution's answer to the previous send, so no delay on the way can bring two closer.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(GAP_MS);
    }

    // The work was shared: every process sent some (counted once they have exited and flushed).
    await stopServices(dispatchers);
    expect(await Promise.all(dispatchers.map((process) => process.exited))).toEqual([0, 0, 0]);
    const sentBy = dispatchers.map((process) => (process.output().match(/"result":"sent"/g) ?? []).length);
    expect(sentBy.every((count) => count > 0)).toBe(true);
    expect(sentBy.reduce((sum, count) => sum + count, 0)).toBe(ids.length);
  }, 90_000);
});
