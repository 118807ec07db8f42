import { randomUUID } from 'node:crypto';
import {
  DEFAULT_WEBHOOK_CIRCUIT_POLICY,
  mintWebhookSecret,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
} from '@telenexus/core';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@telenexus/db';
import { createCapturedLogger } from '../../../test/support/captured-logger';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { sentMessage } from '../../../test/support/sent-message';
import { officiallyVerifies } from '../../../test/support/standard-webhook-verifier';
import { waitFor } from '../../../test/support/wait-for';
import type {
  WebhookDeliveryDependencies,
  WebhookDeliveryRunner,
} from '../src/status-webhooks/create-webhook-delivery-worker';
import { DeliverWebhook } from '../src/status-webhooks/deliver-webhook.use-case';
import type { AllAddressesLookup } from '../src/status-webhooks/guarded-lookup';
import { HttpWebhookPoster } from '../src/status-webhooks/http-webhook-poster';
import { WebhookDeliveryWorker } from '../src/status-webhooks/webhook-delivery-worker';
import type { WebhookPostResult } from '../src/status-webhooks/webhook-poster';
import { startTestWebhookDeliveryWorker } from './test-webhook-delivery-worker';
import { WebhookReceiver } from './webhook-receiver';

// The worker claims every due delivery in its database; other test files' rows must not be among them.
const context = useTestDatabase({ isolated: true, tenant: { permissions: ['admin'] } });
let endpoints: WebhookEndpointRepository;
let deliveries: WebhookDeliveryRepository;
let receiver: WebhookReceiver;
const logs = createCapturedLogger('dispatcher');
const running: WebhookDeliveryRunner[] = [];

beforeAll(async () => {
  endpoints = new WebhookEndpointRepository(context.db.dataSource, context.db.secrets);
  deliveries = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets);
  receiver = await WebhookReceiver.start();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop()));
  // Each test starts with no endpoint and nothing pending: its worker must find only its own work.
  await context.db.dataSource.query(
    'UPDATE webhook_endpoints SET deleted_at = now() WHERE deleted_at IS NULL',
  );
  await context.db.dataSource.query(
    "UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'",
  );
});

afterAll(async () => {
  await receiver.close();
});

function startWorker(overrides: Partial<WebhookDeliveryDependencies> = {}): WebhookDeliveryRunner {
  const worker = startTestWebhookDeliveryWorker({ deliveries, logger: logs.logger, ...overrides });
  running.push(worker);
  return worker;
}

/** An endpoint of the tenant on the receiver, at a path of its own. */
async function endpointAt(
  options: { scheme?: string; host?: string; events?: WebhookEndpoint['events'] } = {},
): Promise<{ endpoint: WebhookEndpoint; path: string }> {
  const path = `/hooks/${randomUUID()}`;
  const endpoint = await endpoints.create({
    accountId: context.tenant.accountId,
    url: receiver.url(path, options.scheme, options.host),
    description: null,
    secret: mintWebhookSecret(),
    events: options.events ?? ['message.sent', 'message.delivered', 'message.read', 'message.failed'],
  });
  return { endpoint, path };
}

let invoiceCounter = 0;

/** A billing notification taken from queued to sent, the way the dispatcher records a send. */
async function sendMessage(): Promise<{ messageId: string; invoiceId: string }> {
  invoiceCounter += 1;
  const invoiceId = `HOOK-${invoiceCounter}`;
  const { messageId } = await sentMessage(context.db, context.tenant, {
    invoiceId,
    dueDate: '2026-02-15',
    messageType: 'payment_reminder',
    text: 'text as sent',
  });
  return { messageId, invoiceId };
}

async function deliveryOf(messageId: string, endpointId: string): Promise<WebhookDelivery> {
  const found = (await deliveries.listForMessage(messageId)).find((row) => row.endpointId === endpointId);
  if (!found) throw new Error(`no delivery of message ${messageId} to endpoint ${endpointId}`);
  return found;
}

function waitForStatus(
  id: string,
  status: WebhookDeliveryStatus,
  timeoutMs?: number,
): Promise<WebhookDelivery> {
  return waitFor(
    async () => {
      const delivery = await deliveries.findById(id);
      return delivery?.status === status ? delivery : undefined;
    },
    `delivery ${id} to become ${status}`,
    timeoutMs,
  );
}

describe('Status webhook delivery', () => {
  it('When a message fails, then its message.failed event says why, with the reason code a billing system acts on', async () => {
    const { endpoint } = await endpointAt();
    invoiceCounter += 1;
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: context.tenant.accountId,
      instanceId: context.tenant.instance.id,
      phoneNumber: '254700000009',
      customerName: 'John Doe',
      amount: '1500.00',
      currency: 'KES',
      invoiceId: `HOOK-${invoiceCounter}`,
      dueDate: null,
      messageType: 'invoice',
    });
    await context.db.messages.statuses.claimForSending(message.id, 'text as sent');
    await context.db.messages.statuses.markFailed(
      message.id,
      'number 254700000009 is not on WhatsApp',
      'not_on_whatsapp',
    );

    const queued = await deliveryOf(message.id, endpoint.id);

    expect(JSON.parse(queued.payload)).toMatchObject({
      type: 'message.failed',
      data: {
        message_id: message.id,
        status: 'failed',
        error: 'number 254700000009 is not on WhatsApp',
        reason_code: 'not_on_whatsapp',
      },
    });
  });

  it('When a message is sent, then the endpoint gets a POST of the stored payload, signed with its secret the Standard Webhooks way', async () => {
    const { endpoint, path } = await endpointAt();
    const { messageId, invoiceId } = await sendMessage();
    const queued = await deliveryOf(messageId, endpoint.id);
    startWorker();

    const delivered = await waitForStatus(queued.id, 'delivered');

    const [post, ...more] = receiver.to(path);
    expect(more).toEqual([]);
    expect(post!.rawBody).toBe(queued.payload);
    expect(JSON.parse(post!.rawBody)).toEqual({
      id: queued.eventId,
      type: 'message.sent',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      data: expect.objectContaining({ message_id: messageId, invoice_id: invoiceId, status: 'sent' }),
    });
    expect(post!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Telenexus-Webhooks/test',
      'webhook-id': queued.eventId,
      'webhook-timestamp': expect.stringMatching(/^\d+$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'telenexus-event-type': 'message.sent',
      'telenexus-delivery-id': queued.id,
    });
    expect(post!.headers).not.toHaveProperty('telenexus-signature');
    expect(post!.headers).not.toHaveProperty('telenexus-event-id');
    // Checked by the official Standard Webhooks verifier: the right secret, a wrong one, a changed body.
    expect(officiallyVerifies(endpoint.secret, post!)).toBe(true);
    expect(officiallyVerifies(mintWebhookSecret(), post!)).toBe(false);
    expect(
      officiallyVerifies(endpoint.secret, { ...post!, rawBody: post!.rawBody.replace('sent', 'read') }),
    ).toBe(false);

    expect(delivered).toMatchObject({ attempts: 1, lastStatusCode: 200, lastError: null });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
    const attempts = await deliveries.listAttempts(queued.id);
    expect(attempts).toEqual([
      expect.objectContaining({ statusCode: 200, error: null, durationMs: expect.any(Number) }),
    ]);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        message: 'webhook delivered',
        webhookDeliveryId: queued.id,
        webhookEndpointId: endpoint.id,
        eventId: queued.eventId,
        messageId,
        statusCode: 200,
      }),
    );
    expect(logs.text()).not.toContain(endpoint.secret);
  });

  it('When the receiver answers 500 and then 200, then the delivery is retried and both attempts are recorded', async () => {
    const { endpoint, path } = await endpointAt();
    receiver.script(path, { status: 500 });
    const { messageId } = await sendMessage();
    const queued = await deliveryOf(messageId, endpoint.id);
    startWorker();

    const delivered = await waitForStatus(queued.id, 'delivered');

    const posts = receiver.to(path);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.rawBody).toBe(queued.payload);
      expect(post.headers['webhook-id']).toBe(queued.eventId);
      expect(officiallyVerifies(endpoint.secret, post)).toBe(true);
    }
    expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200, lastError: null });
    expect((await deliveries.listAttempts(queued.id)).map((attempt) => attempt.statusCode)).toEqual([
      500, 200,
    ]);
  });

  it('When the receiver answers 429 with Retry-After, then the next attempt waits at least that long', async () => {
    const { endpoint, path } = await endpointAt();
    receiver.script(path, { status: 429, headers: { 'Retry-After': '1' } });
    const { messageId } = await sendMessage();
    const queued = await deliveryOf(messageId, endpoint.id);
    startWorker();

    const waiting = await waitFor(
      async () =>
        (await deliveries.findById(queued.id))?.lastStatusCode === 429
          ? deliveries.findById(queued.id)
          : undefined,
      'the 429 to be recorded',
    );
    expect(waiting).toMatchObject({ status: 'pending', lastError: 'The endpoint answered HTTP 429' });
    await waitForStatus(queued.id, 'delivered');

    const [first, second] = receiver.to(path);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('When failures go on past the retry window while the endpoint accepts other deliveries, then the delivery is given up as failed with every attempt kept', async () => {
    const { endpoint, path } = await endpointAt();
    receiver.answerAlways(path, { status: 503 });
    const { messageId } = await sendMessage();
    const queued = await deliveryOf(messageId, endpoint.id);
    // Another event got through after this one was queued: the endpoint refuses this delivery, it is
    // not down (a down endpoint's deliveries wait for it instead; see fair-webhook-delivery.test.ts).
    await context.db.dataSource.query(
      'UPDATE webhook_endpoints SET last_succeeded_at = now() WHERE id = $1',
      [endpoint.id],
    );
    // The breaker stays out of it: this is about one delivery, not the endpoint.
    const withoutBreaker = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets, {
      circuit: { ...DEFAULT_WEBHOOK_CIRCUIT_POLICY, failureThreshold: 1000 },
    });
    startWorker({ retryWindowMs: 300, deliveries: withoutBreaker });

    const failed = await waitForStatus(queued.id, 'failed');

    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(failed.lastStatusCode).toBe(503);
    expect(failed.lastError).toBe(
      `Gave up after ${failed.attempts} attempts: The endpoint answered HTTP 503`,
    );
    expect(failed.failedAt!.getTime() - failed.createdAt.getTime()).toBeGreaterThanOrEqual(300);
    const attempts = await deliveries.listAttempts(queued.id);
    expect(attempts).toHaveLength(failed.attempts);
    expect(receiver.to(path)).toHaveLength(failed.attempts);
  });

  it('When a worker dies mid-POST, then another claims the delivery once its lease ends and delivers it again', async () => {
    const { endpoint, path } = await endpointAt();
    const { messageId } = await sendMessage();
    const queued = await deliveryOf(messageId, endpoint.id);

    // A worker whose POST reaches the receiver but which then never records it, as if killed.
    let revive: (result: WebhookPostResult) => void = () => undefined;
    const realPoster = new HttpWebhookPoster({ timeoutMs: 1000, allowPrivateUrls: true });
    const dying = new WebhookDeliveryWorker(
      deliveries,
      new DeliverWebhook(
        deliveries,
        {
          post: async (request) => {
            await realPoster.post(request);
            return new Promise<WebhookPostResult>((resolve) => (revive = resolve));
          },
        },
        logs.logger,
        { backoff: { baseMs: 20, capMs: 50 }, retryWindowMs: 60_000 },
      ),
      logs.logger,
      { concurrency: 1, leaseMs: 300, pollIntervalMs: 20 },
    );
    dying.start();
    await waitFor(() => receiver.to(path).length === 1, 'the first POST');

    startWorker();
    const delivered = await waitForStatus(queued.id, 'delivered');

    const posts = receiver.to(path);
    expect(posts).toHaveLength(2);
    expect(posts.map((post) => post.headers['webhook-id'])).toEqual([queued.eventId, queued.eventId]);
    expect(delivered.attempts).toBe(2);

    // The stale worker comes back with a failure: it is logged, but cannot undo the delivery.
    revive({ kind: 'failed', error: 'socket hang up', durationMs: 300 });
    await dying.stop();
    realPoster.close();
    expect(await deliveries.findById(queued.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await deliveries.listAttempts(queued.id)).map((attempt) => attempt.statusCode)).toEqual([
      200,
      null,
    ]);
  });

  it('When endpoints are disabled or deleted, then status changes queue nothing for them and nothing is sent', async () => {
    const disabled = await endpointAt();
    const deleted = await endpointAt();
    const live = await endpointAt();
    await endpoints.update(context.tenant.accountId, disabled.endpoint.id, { enabled: false });
    await endpoints.softDelete(context.tenant.accountId, deleted.endpoint.id);
    const { messageId } = await sendMessage();
    startWorker();

    await waitForStatus((await deliveryOf(messageId, live.endpoint.id)).id, 'delivered');

    expect((await deliveries.listForMessage(messageId)).map((row) => row.endpointId)).toEqual([
      live.endpoint.id,
    ]);
    expect(receiver.to(disabled.path)).toEqual([]);
    expect(receiver.to(deleted.path)).toEqual([]);
  });

  it('When an endpoint is disabled while its delivery is queued, then the worker gives the delivery up unsent', async () => {
    const { endpoint, path } = await endpointAt();
    const { messageId } = await sendMessage();
    const queued = await deliveryOf(messageId, endpoint.id);
    // A status change that raced the endpoint's disabling: its delivery is queued all the same.
    await context.db.dataSource.query('UPDATE webhook_endpoints SET enabled = false WHERE id = $1', [
      endpoint.id,
    ]);
    startWorker();

    const failed = await waitForStatus(queued.id, 'failed');

    expect(failed).toMatchObject({
      attempts: 0,
      lastError: 'The endpoint was disabled before this event could be delivered',
    });
    expect(receiver.to(path)).toEqual([]);
  });

  it('When private URLs are not allowed, then loopback targets are refused at connect time and nothing reaches them', async () => {
    // A name that resolved to a public address at registration and to loopback now (DNS rebinding).
    const resolve: AllAddressesLookup = (hostname, _options, callback) =>
      hostname === 'hooks.rebind.test'
        ? callback(null, [{ address: '127.0.0.1', family: 4 }])
        : callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    const rebound = await endpointAt({ scheme: 'https', host: 'hooks.rebind.test' });
    const literal = await endpointAt({ scheme: 'https' });
    const plain = await endpointAt({ scheme: 'http', host: 'hooks.rebind.test' });
    const { messageId } = await sendMessage();
    startWorker({ allowPrivateUrls: false, resolve });

    const refused = await Promise.all(
      [rebound, literal, plain].map(async ({ endpoint }) => {
        const { id } = await deliveryOf(messageId, endpoint.id);
        return waitFor(async () => {
          const delivery = await deliveries.findById(id);
          return delivery?.lastError ? delivery : undefined;
        }, `an attempt of delivery ${id}`);
      }),
    );

    expect(refused.map((delivery) => [delivery.status, delivery.lastStatusCode, delivery.lastError])).toEqual(
      [
        [
          'pending',
          null,
          'Refused to connect: host hooks.rebind.test resolves to 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
        ],
        [
          'pending',
          null,
          'Refused to send: url points at 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
        ],
        ['pending', null, 'Refused to send: url must use https'],
      ],
    );
    const [attempt] = await deliveries.listAttempts(refused[0]!.id);
    expect(attempt).toMatchObject({ statusCode: null, error: refused[0]!.lastError });
    expect([...receiver.to(rebound.path), ...receiver.to(literal.path), ...receiver.to(plain.path)]).toEqual(
      [],
    );
  });
});
