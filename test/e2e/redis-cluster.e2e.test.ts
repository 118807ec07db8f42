import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
} from '@telenexus/evolution-sandbox';
import { startLocalRedisCluster, type LocalRedisCluster } from '../support/local-redis-cluster';
import { startService, stopServices, type ServiceProcess } from '../support/service-process';
import { createTenant } from '../support/test-context';
import { TEST_DATABASE_URL } from '../support/test-database';
import { useTestDatabase } from '../support/use-test-database';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);
const SANDBOX_KEY = 'cluster-key';

/**
 * Ingress and dispatcher on a three-master Redis Cluster: the hash-tagged queue prefix keeps every
 * BullMQ key of a queue in one slot, and the pacer's and rate limiter's keys are single-slot too.
 */
const context = useTestDatabase();
let cluster: LocalRedisCluster;
let sandbox: EvolutionSandbox;
let sandboxServer: SandboxServer;
const services: ServiceProcess[] = [];

beforeAll(async () => {
  cluster = await startLocalRedisCluster();
  sandbox = createEvolutionSandbox({
    globalApiKey: SANDBOX_KEY,
    serverAckMs: null,
    deliveryAckMs: null,
    readMs: null,
  });
  sandboxServer = await sandbox.listen(0);
  const environment = {
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: cluster.url,
    REDIS_CLUSTER: 'true',
    QUEUE_PREFIX: 'tnx',
    EVOLUTION_API_URL: sandboxServer.url,
    EVOLUTION_API_KEY: SANDBOX_KEY,
    CONNECTION_POLL_INTERVAL_MS: '0',
    RATE_LIMIT_PER_MINUTE: '1000',
  };
  // Each kept as it starts: should the second fail, afterAll stops the first.
  services.push(await startService('ingress', environment));
  services.push(await startService('dispatcher', environment));
}, 60_000);

afterAll(async () => {
  await stopServices(services);
  await sandbox.close();
  await cluster.stop();
});

describe('Redis Cluster', () => {
  it('When the services run on a three-master cluster, then paced sends go end to end and the queue lives in one slot', async () => {
    const tenant = await createTenant(context.db, { sending: { pacingMinGapMs: 50, pacingJitterMs: 10 } });
    sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
    const [ingress] = services;

    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await fetch(
        `${ingress!.baseUrl}/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tenant.apiKey}` },
          body: JSON.stringify({
            phone_number: '254712345678',
            customer_name: 'Cluster Customer',
            amount: 100 + index,
            currency: 'KES',
            invoice_id: `CLUSTER-${index}-${tenant.instance.id}`,
            message_type: 'invoice',
          }),
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('1000');
      ids.push(((await response.json()) as { message_id: string }).message_id);
    }

    for (const id of ids) {
      await waitFor(
        async () => (await context.db.messages.queries.findById(id))?.status === 'sent' || undefined,
        `message ${id} sent`,
        20_000,
      );
    }
    expect(sandbox.deliveries({ instance: tenant.instance.evolutionInstanceName })).toHaveLength(3);

    // Every key of the notifications queue hashes to the same slot, whichever node holds it.
    const slots = new Set<string>();
    for (const port of cluster.ports) {
      const { stdout } = await run('redis-cli', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '--scan',
        '--pattern',
        '{tnx}:notifications:*',
      ]);
      for (const key of stdout.split('\n').filter(Boolean)) {
        const { stdout: slot } = await run('redis-cli', [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          'cluster',
          'keyslot',
          key,
        ]);
        slots.add(slot.trim());
      }
    }
    expect(slots.size).toBe(1);
  }, 60_000);
});
