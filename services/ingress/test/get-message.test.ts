import { buildNotification } from '../../../test/support/notification-factory';
import { randomUUID } from 'node:crypto';
import { renderNotification } from '@telenexus/core';
import request from 'supertest';
import { createTenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress({ tenant: true });

async function accept(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
    .set('Authorization', `Bearer ${context.tenant.apiKey}`)
    .send(buildNotification({ invoice_id: 'INV-GET', ...overrides }));
  return response.body.message_id as string;
}

describe('GET /api/v1/messages/:id', () => {
  it("When the message is the caller's, then it shows status, attempts, last error, timestamps and timeline", async () => {
    const id = await accept();
    await context.db.messages.statuses.claimForSending(id, 'text');
    await context.db.messages.statuses.scheduleRetry(
      id,
      'Evolution said Connection Closed',
      new Date(Date.now() + 1000),
    );

    const response = await request(context.ingress.app)
      .get(`/api/v1/messages/${id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id,
      instance_id: context.tenant.instance.id,
      direction: 'outgoing',
      status: 'queued',
      message_type: 'payment_reminder',
      amount: 1500,
      currency: 'KES',
      invoice_id: 'INV-GET',
      due_date: '2026-02-15',
      attempts: 1,
      last_error: 'Evolution said Connection Closed',
      sent_at: null,
    });
    expect(Date.parse(response.body.created_at)).not.toBeNaN();
    expect(response.body.events.map((event: { type: string }) => event.type)).toEqual([
      'accepted',
      'claimed',
      'retry_scheduled',
    ]);
  });

  it('When a notification is accepted, then its text is stored for its send but shown only once an attempt took it', async () => {
    const invoiceId = `INV-TEXT-${randomUUID().slice(0, 8)}`;
    const id = await accept({ invoice_id: invoiceId, message_type: 'invoice' });
    // The text itself is the templates' concern (packages/core); here, that it is the one rendered.
    const text = renderNotification({
      messageType: 'invoice',
      customerName: 'John Doe',
      amount: '1500',
      currency: 'KES',
      invoiceId,
      dueDate: '2026-02-15',
    });
    const show = () =>
      request(context.ingress.app)
        .get(`/api/v1/messages/${id}`)
        .set('Authorization', `Bearer ${context.tenant.apiKey}`);

    expect((await context.db.messages.queries.findById(id))?.body).toBe(text);
    expect((await show()).body).toMatchObject({ status: 'queued', text: null });

    expect(await context.db.instances.claimOrFindForSend(id, Date.now())).toMatchObject({ claimed: true });
    expect((await show()).body).toMatchObject({ status: 'sending', attempts: 1, text });
  });

  it('When the message belongs to another account, then it is not found', async () => {
    const id = await accept();
    const other = await createTenant(context.db);
    const response = await request(context.ingress.app)
      .get(`/api/v1/messages/${id}`)
      .set('Authorization', `Bearer ${other.apiKey}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Message not found'));
  });

  it('When the id is not a message id at all, then it is not found', async () => {
    const response = await request(context.ingress.app)
      .get('/api/v1/messages/not-an-id')
      .set('Authorization', `Bearer ${context.tenant.apiKey}`);
    expect(response.status).toBe(404);
  });

  it('When no key is given, then it answers 401', async () => {
    const id = await accept();
    const response = await request(context.ingress.app).get(`/api/v1/messages/${id}`);
    expect(response.status).toBe(401);
  });
});
