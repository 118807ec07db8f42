import { buildNotification } from '../support/notification-factory';
import request from 'supertest';
import type { DispatcherHarness } from '../support/dispatcher-harness';
import type { IngressHarness } from '../support/ingress-harness';
import { startEndToEndSystem, type EndToEndSystem } from '../support/end-to-end-system';
import { createTenant, type DatabaseContext, type Tenant } from '../support/test-context';

/**
 * The whole path a billing system's call takes: ingress accepts and enqueues, the dispatcher sends
 * through Evolution (the sandbox, over HTTP), and the Messages API shows the result — on one queue.
 */
let system: EndToEndSystem;
let db: DatabaseContext;
let ingress: IngressHarness;
let dispatcher: DispatcherHarness;
let tenant: Tenant;

beforeAll(async () => {
  system = await startEndToEndSystem();
  ({ db, ingress, dispatcher } = system);
  tenant = await createTenant(db);
  dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
});

afterAll(() => system.close());

describe('A billing notification end to end', () => {
  it("When the guide's cURL example is sent, then WhatsApp gets the exact text, the message shows sent, and no key or phone number is logged", async () => {
    const accepted = await request(ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(buildNotification({ invoice_id: 'INV-E2E-001' }));
    expect(accepted.status).toBe(200);
    const messageId = accepted.body.message_id as string;

    await dispatcher.waitForStatus(messageId, ['sent']);

    const [delivery] = dispatcher.sandbox.deliveries({ instance: tenant.instance.evolutionInstanceName });
    expect(delivery).toMatchObject({
      number: '254712345678',
      text:
        'Payment Due Reminder\n\nDear John Doe,\n\nThis is a reminder that your payment of KES 1,500.00 is due.\n\n' +
        'Invoice: #INV-E2E-001\nDue Date: 2026-02-15\n\nPlease ignore if already paid.',
    });
    const shown = await request(ingress.app)
      .get(`/api/v1/messages/${messageId}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`);
    expect(shown.body).toMatchObject({ status: 'sent', provider_message_id: delivery!.id, attempts: 1 });

    const logs = `${ingress.logs.text()}\n${dispatcher.logs.text()}`;
    expect(logs).toContain(messageId);
    expect(logs).not.toContain(tenant.apiKey);
    expect(logs).not.toContain(tenant.apiKey.slice(4, 20));
    expect(logs).not.toContain('254712345678');
    const dispatcherLine = dispatcher.logs.lines().find((line) => line.message === 'send attempt finished');
    expect(dispatcherLine).toMatchObject({
      messageId,
      jobId: messageId,
      result: 'sent',
      service: 'dispatcher',
    });
  });
});
