import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { HostResolver } from '@telenexus/core';
import { WebhookDeliveryRepository } from '@telenexus/db';
import { waitFor } from '../../../test/support/wait-for';
import type { Tenant } from '../../../test/support/test-context';
import { undocumentedIn } from './documented-webhook-payload';
import { useSandboxedIngress } from './use-sandboxed-ingress';

/*
 * The "done when": a reply sent to the sandbox produces `message.received` with the invoice
 * it answers. The sandbox plays WhatsApp and Evolution, posting `messages.upsert` to this ingress
 * through the webhook provisioning pointed at it, exactly as a real Evolution would.
 */

const resolveHost: HostResolver = () => Promise.resolve(['93.184.216.34']);

const context = useSandboxedIngress('key', {
  resolveHost,
  tenant: { permissions: ['admin', 'send_message'] },
});

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

it('When a customer replies in the sandbox to an invoice sent from the instance, then the endpoint gets message.received naming that invoice', async () => {
  const { ingress, sandbox, sandboxServer } = context;
  const name = `isp-${randomUUID().slice(0, 8)}`;
  const { token } = sandbox.createInstance({
    name,
    state: 'open',
    number: '254700000009',
    profileName: 'ISP',
  });
  const linked = await request(ingress.app)
    .post('/api/v1/instances')
    .set(as(context.tenant))
    .send({ name: 'Billing', evolution_instance_name: name, evolution_token: token, country: 'KE' });
  expect(linked.status).toBe(201);
  const instanceId = linked.body.id as string;
  const endpoint = await request(ingress.app)
    .post('/api/v1/webhook-endpoints')
    .set(as(context.tenant))
    .send({ url: 'https://billing.example.com/replies', events: ['message.received'] });
  expect(endpoint.status).toBe(201);
  // The invoice, as the dispatcher records a send of it.
  const invoice = await context.db.messages.acceptance.insertOutgoing({
    accountId: context.tenant.accountId,
    instanceId,
    phoneNumber: '254712345678',
    customerName: 'John Doe',
    amount: '1500.00',
    currency: 'KES',
    invoiceId: 'INV-SANDBOX-7',
    dueDate: '2026-02-15',
    messageType: 'invoice',
  });
  await context.db.messages.statuses.claimForSending(invoice.id, 'Your invoice INV-SANDBOX-7');
  await context.db.messages.statuses.markSent(invoice.id, `PROV-${randomUUID()}`);

  await request(sandboxServer.url)
    .post(`/__sandbox/instances/${name}/incoming`)
    .send({ number: '+254 712 345 678', text: 'I paid yesterday', pushName: 'John' })
    .expect(201);

  const deliveries = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets);
  const [delivery] = await waitFor(async () => {
    const page = await deliveries.listForEndpoint({
      accountId: context.tenant.accountId,
      endpointId: endpoint.body.id as string,
      limit: 5,
    });
    return page.deliveries.length > 0 && page.deliveries;
  }, 'message.received to be written');
  const payload = JSON.parse(delivery!.payload) as { type: string; data: Record<string, unknown> };
  expect(payload.type).toBe('message.received');
  expect(payload.data).toMatchObject({
    instance_id: instanceId,
    phone_number: '254712345678',
    customer_name: 'John',
    text: 'I paid yesterday',
    in_reply_to: { message_id: invoice.id, invoice_id: 'INV-SANDBOX-7', message_type: 'invoice' },
  });
  expect(undocumentedIn(delivery!.payload)).toEqual([]);
});
