import { randomUUID } from 'node:crypto';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
} from '@telenexus/evolution-sandbox';
import { createProducerConnection, NotificationQueue, type RedisConnection } from '@telenexus/queue';
import { startService, type ServiceProcess } from '../support/service-process';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/test-database';
import { useTestDatabase } from '../support/use-test-database';
import { waitFor } from '../support/wait-for';

const SANDBOX_KEY = 'shutdown-key';

const context = useTestDatabase({ tenant: true });
let sandbox: EvolutionSandbox;
let sandboxServer: SandboxServer;
let redis: RedisConnection;

beforeAll(async () => {
  sandbox = createEvolutionSandbox({
    globalApiKey: SANDBOX_KEY,
    serverAckMs: null,
    deliveryAckMs: null,
    readMs: null,
  });
  sandboxServer = await sandbox.listen(0);
  redis = createProducerConnection(TEST_REDIS_URL);
  sandbox.createInstance({ name: context.tenant.instance.evolutionInstanceName });
});

afterAll(async () => {
  redis.disconnect();
  await sandbox.close();
});

/** One dispatcher with its own queue namespace, and a message queued for it whose send takes a while. */
async function dispatcherWithSlowSend(shutdownTimeoutMs: number, sendLatencyMs: number) {
  const namespace = `shutdown-${randomUUID().slice(0, 8)}`;
  sandbox.updateSettings({ latencyMs: sendLatencyMs });
  const dispatcher: ServiceProcess = await startService('dispatcher', {
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: namespace,
    EVOLUTION_API_URL: sandboxServer.url,
    EVOLUTION_API_KEY: SANDBOX_KEY,
    EVOLUTION_TIMEOUT_MS: '30000',
    SENDING_STALE_AFTER_MS: '60000',
    CONNECTION_POLL_INTERVAL_MS: '0',
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
  });
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: context.tenant.accountId,
    instanceId: context.tenant.instance.id,
    phoneNumber: '254712345678',
    customerName: 'Shutdown',
    amount: '1',
    currency: 'KES',
    invoiceId: `SHUT-${namespace}`,
    dueDate: null,
    messageType: 'invoice',
  });
  const queue = new NotificationQueue({ connection: redis, namespace, retry: { attempts: 3 } });
  await queue.enqueueSend(message.id);
  await queue.close();
  await waitFor(
    async () => (await context.db.messages.queries.findById(message.id))?.status === 'sending' || undefined,
    'the send to start',
  );
  return { dispatcher, messageId: message.id };
}

describe('Dispatcher shutdown', () => {
  it('When SIGTERM arrives mid-send, then the send finishes and is recorded, and the process exits 0', async () => {
    const { dispatcher, messageId } = await dispatcherWithSlowSend(15_000, 1500);

    dispatcher.signal('SIGTERM');

    expect(await dispatcher.exited).toBe(0);
    expect((await context.db.messages.queries.findById(messageId))?.status).toBe('sent');
    expect(dispatcher.output()).toMatch(/"message":"shutdown complete"/);
  }, 30_000);

  it('When the in-flight work outlasts the shutdown bound, then the process is forced out without waiting for it', async () => {
    const { dispatcher, messageId } = await dispatcherWithSlowSend(1000, 25_000);

    dispatcher.signal('SIGTERM');

    expect(await dispatcher.exited).toBe(1);
    expect(dispatcher.output()).toMatch(/shutdown bound reached; forcing exit/);
    // Gone while Evolution was still holding the send: it neither waited for it nor recorded it.
    const message = await context.db.messages.queries.findById(messageId);
    expect(message?.status).toBe('sending');
    const texts = sandbox.deliveries().map((delivery) => delivery.text);
    expect(texts.filter((text) => text.includes(message!.invoiceId!))).toEqual([]);
  }, 40_000);
});
