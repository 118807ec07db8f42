import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { EvolutionHttpClient } from '@telenexus/evolution';
import { createProvisioning } from '@telenexus/provisioning';
import { NotificationQueue } from '@telenexus/queue';
import { SANDBOX_KEY } from '../support/dispatcher-harness';
import { createIngressHarness, type IngressHarness } from '../support/ingress-harness';
import { mintWebhookSecret } from '@telenexus/core';
import { WebhookDeliveryRepository } from '@telenexus/db';
import {
  createWebhookDeliveryWorker,
  type WebhookDeliveryRunner,
} from '../../services/dispatcher/src/status-webhooks/create-webhook-delivery-worker';
import { WebhookReceiver } from '../../services/dispatcher/test/webhook-receiver';
import { createCapturedLogger } from '../support/captured-logger';
import { phpVerifies } from '../support/php-webhook-verifier';
import { officiallyVerifies } from '../support/standard-webhook-verifier';
import { useDispatcher } from '../support/use-dispatcher';
import { waitFor } from '../support/wait-for';

/**
 * The lifecycle support staff and billing systems watch: an instance created through the API points
 * Evolution's webhook at ingress, the receipts Evolution (the sandbox) posts over HTTP move the
 * message to read, and the billing system's own endpoint is told of each step, signed. Runs in its
 * own database: the webhook worker takes every due delivery it finds.
 */
let ingress: IngressHarness;
let server: Server;
let evolution: EvolutionHttpClient;
let receiver: WebhookReceiver;
let webhooks: WebhookDeliveryRunner;

// Registered before useDispatcher's, so it runs first: the workers stop before the database closes.
afterAll(async () => {
  await webhooks.stop();
  await receiver.close();
  await new Promise((resolve) => server.close(resolve));
  await ingress.close();
  evolution.close();
});

const context = useDispatcher({
  isolated: true,
  tenant: { permissions: ['admin'] },
  // The read receipt is sent by the test once the message is delivered: two receipts posted on a
  // timer may reach ingress in either order, and a READ first makes a later DELIVERY_ACK a no-op.
  sandbox: { serverAckMs: 20, deliveryAckMs: 60, readMs: null },
});

beforeAll(async () => {
  const { db, dispatcher } = context;
  receiver = await WebhookReceiver.start();
  webhooks = createWebhookDeliveryWorker({
    deliveries: new WebhookDeliveryRepository(db.dataSource, db.secrets),
    logger: createCapturedLogger('dispatcher').logger,
    allowPrivateUrls: true,
    timeoutMs: 2000,
    leaseMs: 5000,
    pollIntervalMs: 50,
    concurrency: 4,
    backoff: { baseMs: 100, capMs: 500 },
    retryWindowMs: 60_000,
  });
  webhooks.start();
  evolution = new EvolutionHttpClient({ baseUrl: dispatcher.sandboxUrl, globalApiKey: SANDBOX_KEY });
  // Listen first: the webhook URL given to Evolution needs the port.
  server = createServer((request, response) => ingress.app(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ingress = createIngressHarness(db, {
    webhookAllowPrivateUrls: true,
    queue: (redis) =>
      new NotificationQueue({ connection: redis, namespace: dispatcher.namespace, retry: { attempts: 3 } }),
    provisioning: createProvisioning({
      accounts: db.accounts,
      apiKeys: db.apiKeys,
      instances: db.instances,
      evolution,
      webhookBaseUrl: baseUrl,
    }),
  });
});

describe('Delivery receipts end to end', () => {
  it("When a key and an instance are created through the API and the guide's example is sent, then the message becomes delivered and then read", async () => {
    const { token } = context.dispatcher.sandbox.createInstance({ name: 'receipts-e2e' });
    const instance = await request(server)
      .post('/api/v1/instances')
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send({
        name: 'Billing',
        evolution_instance_name: 'receipts-e2e',
        evolution_token: token,
        country: 'KE',
      });
    expect(instance.status).toBe(201);
    expect(instance.body.evolution_webhook.error).toBeNull();
    const endpoint = await request(server)
      .post('/api/v1/webhook-endpoints')
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send({ url: receiver.url('/telenexus/webhooks'), description: 'WISPMAN' });
    expect(endpoint.status).toBe(201);
    const key = await request(server)
      .post('/api/v1/api-keys')
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send({ name: 'WISPMAN', permissions: ['send_message'] });

    const accepted = await request(server)
      .post(`/api/v1/billing/send-notification?instance_id=${instance.body.id}`)
      .set('Authorization', `Bearer ${key.body.key}`)
      .send({
        phone_number: '254712345678',
        customer_name: 'Test Customer',
        amount: 100.0,
        currency: 'KES',
        invoice_id: 'TEST-001',
        message_type: 'payment_reminder',
        metadata: { customer_ref: 'C-1042', plan: 'Home 10 Mbps' },
      });
    expect(accepted.status).toBe(200);

    const reached = await context.dispatcher.waitForStatus(accepted.body.message_id, ['delivered']);
    context.dispatcher.sandbox.emitReceipt({
      instance: 'receipts-e2e',
      keyId: reached.providerMessageId!,
      status: 'READ',
    });
    const read = await context.dispatcher.waitForStatus(accepted.body.message_id, ['read']);
    expect(read.deliveredAt!.getTime()).toBeLessThanOrEqual(read.readAt!.getTime());

    const shown = await request(server)
      .get(`/api/v1/messages/${accepted.body.message_id}`)
      .set('Authorization', `Bearer ${key.body.key}`);
    expect(shown.body.status).toBe('read');
    expect(shown.body.metadata).toEqual({ customer_ref: 'C-1042', plan: 'Home 10 Mbps' });
    expect(
      shown.body.events.map((event: { type: string; status: string }) => `${event.type}:${event.status}`),
    ).toEqual(['accepted:queued', 'claimed:sending', 'sent:sent', 'receipt:delivered', 'receipt:read']);

    // The billing system was told of each step, each POST signed with its endpoint's secret.
    const posts = await waitFor(
      () => (receiver.received.length >= 3 ? receiver.received : undefined),
      'three status webhooks',
    );
    const events = posts.map(
      (post) => JSON.parse(post.rawBody) as { type: string; data: Record<string, unknown> },
    );
    expect(events.map((event) => event.type).sort()).toEqual([
      'message.delivered',
      'message.read',
      'message.sent',
    ]);
    for (const [index, post] of posts.entries()) {
      // The official Standard Webhooks verifier, given the secret the API showed once.
      expect(officiallyVerifies(endpoint.body.secret, post)).toBe(true);
      // The billing system's own reference comes back in every event of its message.
      expect(events[index]!.data).toMatchObject({
        message_id: accepted.body.message_id,
        invoice_id: 'TEST-001',
        metadata: { customer_ref: 'C-1042', plan: 'Home 10 Mbps' },
      });
    }
    expect(officiallyVerifies(mintWebhookSecret(), posts[0]!)).toBe(false);
    // A PHP receiver that cannot install a package: the README's example on PHP's standard library.
    const delivered = posts[events.findIndex((event) => event.type === 'message.delivered')]!;
    expect(await phpVerifies(endpoint.body.secret, delivered)).toBe(true);
    expect(await phpVerifies(mintWebhookSecret(), delivered)).toBe(false);
    expect(
      await phpVerifies(endpoint.body.secret, {
        ...delivered,
        rawBody: delivered.rawBody.replace('delivered', 'read'),
      }),
    ).toBe(false);
  });
});
