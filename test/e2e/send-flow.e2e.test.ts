import { buildNotification } from '../support/notification-factory';
import request from 'supertest';
import { useEndToEndSystem } from '../support/use-end-to-end-system';

/**
 * The whole path a billing system's call takes: ingress accepts and enqueues, the dispatcher sends
 * through Evolution (the sandbox, over HTTP), and the Messages API shows the result — on one queue.
 */
const context = useEndToEndSystem({ tenant: true });

describe('A billing notification end to end', () => {
  it("When the guide's cURL example is sent, then WhatsApp gets the exact text, the message shows sent, and no key or phone number is logged", async () => {
    const accepted = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .set('Content-Type', 'application/json')
      .send(buildNotification({ invoice_id: 'INV-E2E-001' }));
    expect(accepted.status).toBe(200);
    const messageId = accepted.body.message_id as string;

    await context.dispatcher.waitForStatus(messageId, ['sent']);

    const [delivery] = context.dispatcher.sandbox.deliveries({
      instance: context.tenant.instance.evolutionInstanceName,
    });
    expect(delivery).toMatchObject({
      number: '254712345678',
      text:
        'Payment Due Reminder\n\nDear John Doe,\n\nThis is a reminder that your payment of KES 1,500.00 is due.\n\n' +
        'Invoice: #INV-E2E-001\nDue Date: 2026-02-15\n\nPlease ignore if already paid.',
    });
    const shown = await request(context.ingress.app)
      .get(`/api/v1/messages/${messageId}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`);
    expect(shown.body).toMatchObject({ status: 'sent', provider_message_id: delivery!.id, attempts: 1 });

    const logs = `${context.ingress.logs.text()}\n${context.dispatcher.logs.text()}`;
    expect(logs).toContain(messageId);
    expect(logs).not.toContain(context.tenant.apiKey);
    expect(logs).not.toContain(context.tenant.apiKey.slice(4, 20));
    expect(logs).not.toContain('254712345678');
    const dispatcherLine = context.dispatcher.logs
      .lines()
      .find((line) => line.message === 'send attempt finished');
    expect(dispatcherLine).toMatchObject({
      messageId,
      jobId: messageId,
      result: 'sent',
      service: 'dispatcher',
    });
  });
});
