import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WebhookDeliveryRepository } from '@telenexus/db';
import { waitFor } from '../support/wait-for';
import { officiallyVerifies } from '../support/standard-webhook-verifier';
import { createTenant, type Tenant } from '../support/test-context';
import type { WebhookDeliveryRunner } from '../../services/dispatcher/src/status-webhooks/create-webhook-delivery-worker';
import { startTestWebhookDeliveryWorker } from '../../services/dispatcher/test/test-webhook-delivery-worker';
import { WebhookReceiver } from '../../services/dispatcher/test/webhook-receiver';
import { undocumentedIn } from '../../services/ingress/test/documented-webhook-payload';
import { problem } from '../support/expected-problem';
import { createIngressHarness, type IngressHarness } from '../support/ingress-harness';
import { useIngress } from '../support/use-ingress';

/*
 * `POST /api/v1/webhook-endpoints/:id/test`: ingress writes an `endpoint.test` delivery and waits
 * for a dispatcher's first POST of it. Here the real delivery worker of the dispatcher runs beside
 * ingress (in its own database: it claims every due delivery), or does not, for the 202.
 */

const context = useIngress({
  isolated: true,
  webhookAllowPrivateUrls: true,
  tenant: { permissions: ['admin'] },
});
/** The same app, but giving up the wait at once: what a request finds with no dispatcher running. */
let impatient: IngressHarness;
let receiver: WebhookReceiver;
let deliveries: WebhookDeliveryRepository;
let dispatcher: WebhookDeliveryRunner | undefined;

beforeAll(async () => {
  impatient = createIngressHarness(context.db, { webhookAllowPrivateUrls: true, webhookTestWaitMs: 0 });
  receiver = await WebhookReceiver.start();
  deliveries = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets);
});

afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
});

afterAll(async () => {
  await receiver.close();
  await impatient.close();
});

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

function startDispatcher(): void {
  dispatcher = startTestWebhookDeliveryWorker({ deliveries, concurrency: 2 });
}

/** An endpoint of the tenant on the receiver, subscribed to one event only: the test needs none. */
async function endpointOnReceiver(
  tenant: Tenant = context.tenant,
): Promise<{ id: string; secret: string; path: string }> {
  const path = `/hooks/${randomUUID()}`;
  const response = await request(context.ingress.app)
    .post('/api/v1/webhook-endpoints')
    .set(as(tenant))
    .send({ url: receiver.url(path), events: ['message.failed'] });
  expect(response.status).toBe(201);
  return { id: response.body.id as string, secret: response.body.secret as string, path };
}

const test = (app: IngressHarness, id: string, tenant: Tenant = context.tenant) =>
  request(app.app).post(`/api/v1/webhook-endpoints/${id}/test`).set(as(tenant));

describe('POST /api/v1/webhook-endpoints/:id/test', () => {
  it('When a dispatcher runs and the receiver answers 2xx, then the answer says delivered with its status and time, and the POST verifies with the official library', async () => {
    startDispatcher();
    const endpoint = await endpointOnReceiver();

    const response = await test(context.ingress, endpoint.id);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      delivery_id: expect.any(String),
      event_id: expect.any(String),
      delivered: true,
      status_code: 200,
      duration_ms: expect.any(Number),
      error: null,
      attempted_at: expect.any(String),
    });
    const posted = receiver.received.filter((post) => post.path === endpoint.path);
    expect(posted).toHaveLength(1);
    expect(JSON.parse(posted[0]!.rawBody)).toEqual({
      id: response.body.event_id,
      type: 'endpoint.test',
      created_at: expect.any(String),
      data: { endpoint_id: endpoint.id, url: receiver.url(endpoint.path), message: expect.any(String) },
    });
    expect(posted[0]!.headers['webhook-id']).toBe(response.body.event_id);
    expect(officiallyVerifies(endpoint.secret, posted[0]!)).toBe(true);
    expect(undocumentedIn(posted[0]!.rawBody)).toEqual([]);
    const delivery = await deliveries.findById(response.body.delivery_id as string);
    expect(delivery).toMatchObject({ endpointId: endpoint.id, eventType: 'endpoint.test', messageId: null });
    const audit = await context.db.dataSource.query(
      `SELECT action, outcome, target_id FROM audit_events WHERE account_id = $1 AND action = 'webhook_endpoint.test'`,
      [context.tenant.accountId],
    );
    expect(audit).toContainEqual({
      action: 'webhook_endpoint.test',
      outcome: 'succeeded',
      target_id: endpoint.id,
    });
  });

  it('When the receiver answers 500, then the answer says not delivered, with the status the receiver gave', async () => {
    startDispatcher();
    const endpoint = await endpointOnReceiver();
    receiver.script(endpoint.path, { status: 500 });

    const response = await test(context.ingress, endpoint.id);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ delivered: false, status_code: 500, error: null });
  });

  it('When no dispatcher sends it within the wait, then 202 says it is queued, and the delivery waits pending', async () => {
    const endpoint = await endpointOnReceiver();

    const response = await test(impatient, endpoint.id);

    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      delivery_id: expect.any(String),
      event_id: expect.any(String),
      detail: expect.stringContaining('queued'),
    });
    const delivery = await deliveries.findById(response.body.delivery_id as string);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0, eventType: 'endpoint.test' });
    // A dispatcher started later still delivers it.
    startDispatcher();
    const delivered = await waitFor(async () => {
      const row = await deliveries.findById(delivery!.id);
      return row?.status === 'delivered' && row;
    }, 'the queued test event to be delivered');
    expect(delivered.attempts).toBe(1);
  });

  it('When the endpoint is disabled, then 409 and nothing is queued', async () => {
    const endpoint = await endpointOnReceiver();
    await request(context.ingress.app)
      .patch(`/api/v1/webhook-endpoints/${endpoint.id}`)
      .set(as(context.tenant))
      .send({ enabled: false })
      .expect(200);

    const response = await test(impatient, endpoint.id);

    expect(response.status).toBe(409);
    expect(response.body).toEqual(
      problem('conflict', 'The webhook endpoint is disabled; enable it before testing it'),
    );
    const page = await deliveries.listForEndpoint({
      accountId: context.tenant.accountId,
      endpointId: endpoint.id,
      limit: 5,
    });
    expect(page.deliveries).toEqual([]);
  });

  it('When the id is not a uuid, or another account’s, then 404', async () => {
    const other = await createTenant(context.db, { permissions: ['admin'] });
    const endpoint = await endpointOnReceiver();

    const responses = [await test(impatient, 'not-a-uuid'), await test(impatient, endpoint.id, other)];

    expect(responses.map((response) => response.status)).toEqual([404, 404]);
  });
});
