import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { DEFAULT_WEBHOOK_EVENT_TYPES, type HostResolver, type WebhookDelivery } from '@telenexus/core';
import { WebhookDeliveryRepository } from '@telenexus/db';
import { sentMessage } from '../../../test/support/sent-message';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { issueWebhookCredentials } from '../../../test/support/webhook-credentials';
import { undocumentedIn } from './documented-webhook-payload';
import { useIngress } from '../../../test/support/use-ingress';
import { notificationFactory } from '../../../test/support/notification-factory';

/*
 * The events billing systems hear besides status changes: a customer's reply (`message.received`,
 * with the invoice it most likely answers) and, for endpoints that opt in, every accepted
 * notification (`message.queued`). Both are written in the statement that stores the message.
 */

const resolveHost: HostResolver = () => Promise.resolve(['93.184.216.34']);
const CUSTOMER = '254712345678';

const context = useIngress({ resolveHost });
let deliveries: WebhookDeliveryRepository;

beforeAll(() => {
  deliveries = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets);
});

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

async function tenantWithAdmin(): Promise<Tenant> {
  return createTenant(context.db, { permissions: ['admin', 'send_message', 'receive_message'] });
}

/** Registers an endpoint through the API; `events` undefined: the body names none. */
async function endpointOf(
  tenant: Tenant,
  events?: readonly string[],
): Promise<{ id: string; events: string[] }> {
  const response = await request(context.ingress.app)
    .post('/api/v1/webhook-endpoints')
    .set(as(tenant))
    .send({ url: `https://billing.example.com/${randomUUID()}`, ...(events ? { events } : {}) });
  expect(response.status).toBe(201);
  return response.body as { id: string; events: string[] };
}

async function deliveriesTo(tenant: Tenant, endpointId: string): Promise<WebhookDelivery[]> {
  const page = await deliveries.listForEndpoint({ accountId: tenant.accountId, endpointId, limit: 200 });
  return page.deliveries.reverse();
}

/** Plays Evolution posting a customer's message (`messages.upsert`) to the instance's webhook. */
async function customerWrites(
  tenant: Tenant,
  text: string,
  options: { readonly id?: string; readonly from?: string } = {},
): Promise<string> {
  const { token, jwtKey } = await issueWebhookCredentials(context.db, tenant.instance.id);
  const iat = Math.floor(Date.now() / 1000);
  const bearer = jwt.sign({ iat, exp: iat + 600, app: 'evolution', action: 'webhook' }, jwtKey, {
    algorithm: 'HS256',
  });
  const response = await request(context.ingress.app)
    .post(`/api/v1/webhooks/evolution/${tenant.instance.id}/${token}`)
    .set('Authorization', `Bearer ${bearer}`)
    .send({
      event: 'messages.upsert',
      instance: tenant.instance.evolutionInstanceName,
      data: {
        key: {
          remoteJid: `${options.from ?? CUSTOMER}@s.whatsapp.net`,
          fromMe: false,
          id: options.id ?? randomUUID(),
        },
        pushName: 'John Doe',
        message: { conversation: text },
        messageType: 'conversation',
        messageTimestamp: iat,
      },
    });
  expect(response.status).toBe(200);
  return String(response.body.outcomes[0].result);
}

describe('message.received', () => {
  it('When a customer replies to a sent invoice, then each subscribed endpoint gets one message.received naming that invoice, as documented', async () => {
    const tenant = await tenantWithAdmin();
    const subscribed = await endpointOf(tenant);
    const other = await endpointOf(tenant, ['message.sent']);
    const older = await sentMessage(context.db, tenant, { invoiceId: 'INV-OLD' });
    const answered = await sentMessage(context.db, tenant, {
      invoiceId: 'INV-42',
      messageType: 'payment_reminder',
    });

    expect(await customerWrites(tenant, 'I paid yesterday')).toBe('applied');

    const received = (await deliveriesTo(tenant, subscribed.id)).filter(
      (delivery) => delivery.eventType === 'message.received',
    );
    expect(received).toHaveLength(1);
    const payload = JSON.parse(received[0]!.payload) as Record<string, unknown>;
    const incoming = await context.db.dataSource.query(
      `SELECT id, created_at FROM messages WHERE instance_id = $1 AND direction = 'incoming'`,
      [tenant.instance.id],
    );
    const sent = await context.db.messages.queries.findById(answered.messageId);
    expect(payload).toEqual({
      id: received[0]!.eventId,
      type: 'message.received',
      created_at: incoming[0].created_at.toISOString(),
      data: {
        message_id: incoming[0].id,
        instance_id: tenant.instance.id,
        instance_name: tenant.instance.name,
        phone_number: CUSTOMER,
        customer_name: 'John Doe',
        text: 'I paid yesterday',
        provider_message_id: expect.any(String),
        received_at: incoming[0].created_at.toISOString(),
        in_reply_to: {
          message_id: answered.messageId,
          invoice_id: 'INV-42',
          message_type: 'payment_reminder',
          sent_at: sent!.sentAt!.toISOString(),
          metadata: null,
        },
      },
    });
    expect(received[0]!.messageId).toBe(incoming[0].id);
    expect(older.messageId).not.toBe(answered.messageId);
    expect(undocumentedIn(received[0]!.payload)).toEqual([]);
    expect((await deliveriesTo(tenant, other.id)).map((delivery) => delivery.eventType)).toEqual([
      'message.sent',
      'message.sent',
    ]);
  });

  it('When Evolution posts the same reply again, then the second stores nothing and announces nothing', async () => {
    const tenant = await tenantWithAdmin();
    const endpoint = await endpointOf(tenant, ['message.received']);
    const id = `IN-${randomUUID()}`;

    const results = [
      await customerWrites(tenant, 'Paid', { id }),
      await customerWrites(tenant, 'Paid', { id }),
    ];

    expect(results).toEqual(['applied', 'duplicate']);
    expect((await deliveriesTo(tenant, endpoint.id)).map((delivery) => delivery.eventType)).toEqual([
      'message.received',
    ]);
  });

  it('When a number that was never sent anything writes, then in_reply_to is null', async () => {
    const tenant = await tenantWithAdmin();
    const endpoint = await endpointOf(tenant, ['message.received']);
    await sentMessage(context.db, tenant);

    await customerWrites(tenant, 'Who is this?', { from: '254799999999' });

    const [delivery] = await deliveriesTo(tenant, endpoint.id);
    const payload = JSON.parse(delivery!.payload) as { data: Record<string, unknown> };
    expect(payload.data).toMatchObject({ phone_number: '254799999999', in_reply_to: null });
    expect(undocumentedIn(delivery!.payload)).toEqual([]);
  });

  it('When the account has no endpoint for replies, then the reply is stored and no delivery is written', async () => {
    const tenant = await tenantWithAdmin();
    const endpoint = await endpointOf(tenant, ['message.failed']);

    expect(await customerWrites(tenant, 'Hello')).toBe('applied');

    expect(await deliveriesTo(tenant, endpoint.id)).toEqual([]);
  });
});

describe('message.queued (opt-in)', () => {
  const notification = notificationFactory(`Q-${randomUUID().slice(0, 8)}`);

  it('When notifications are accepted, then only the endpoint that names message.queued gets one event each, as documented', async () => {
    const tenant = await tenantWithAdmin();
    const everything = await endpointOf(tenant);
    const optedIn = await endpointOf(tenant, ['message.queued', 'message.failed']);

    const single = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set(as(tenant))
      .send(notification());
    const batch = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notifications?instance_id=${tenant.instance.id}`)
      .set(as(tenant))
      .send({ notifications: [notification(), notification()] });
    expect([single.status, batch.status]).toEqual([200, 200]);

    expect(everything.events).toEqual([...DEFAULT_WEBHOOK_EVENT_TYPES]);
    expect(everything.events).not.toContain('message.queued');
    expect(await deliveriesTo(tenant, everything.id)).toEqual([]);
    const queued = await deliveriesTo(tenant, optedIn.id);
    expect(queued.map((delivery) => delivery.eventType)).toEqual([
      'message.queued',
      'message.queued',
      'message.queued',
    ]);
    expect(new Set(queued.map((delivery) => delivery.eventId)).size).toBe(3);
    const first = JSON.parse(queued[0]!.payload) as { data: Record<string, unknown> };
    expect(first.data).toMatchObject({
      message_id: single.body.message_id,
      status: 'queued',
      invoice_id: expect.stringMatching(/^Q-/),
      attempts: 0,
      provider_message_id: null,
    });
    for (const delivery of queued) expect(undocumentedIn(delivery.payload)).toEqual([]);
  });

  it('When the same notification is posted again (a dedupe replay), then no second message.queued is written', async () => {
    const tenant = await tenantWithAdmin();
    const optedIn = await endpointOf(tenant, ['message.queued']);
    const body = notification();

    for (let post = 0; post < 2; post += 1) {
      const response = await request(context.ingress.app)
        .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
        .set(as(tenant))
        .send(body);
      expect(response.status).toBe(200);
    }

    expect(await deliveriesTo(tenant, optedIn.id)).toHaveLength(1);
  });
});

describe('Subscribing', () => {
  it('When an endpoint asks for endpoint.test, then it is refused: the test event needs no subscription', async () => {
    const tenant = await tenantWithAdmin();

    const response = await request(context.ingress.app)
      .post('/api/v1/webhook-endpoints')
      .set(as(tenant))
      .send({ url: 'https://billing.example.com/hooks', events: ['endpoint.test'] });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toMatch(/^events/);
  });
});
