import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { localDay, mintWebhookSecret, sendingWindows, type WebhookEventType } from '@telenexus/core';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@telenexus/db';
import { createTenant } from '../../../test/support/test-context';
import { notificationFactory } from '../../../test/support/notification-factory';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress({ tenant: true });

const notification = notificationFactory('RUN', { due_date: '2030-02-15' });

const single = (body: unknown, key = context.tenant.apiKey, instanceId = context.tenant.instance.id) =>
  request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${instanceId}`)
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);

const batch = (
  notifications: unknown[],
  key = context.tenant.apiKey,
  instanceId = context.tenant.instance.id,
) =>
  request(context.ingress.app)
    .post(`/api/v1/billing/send-notifications?instance_id=${instanceId}`)
    .set('Authorization', `Bearer ${key}`)
    .send({ notifications });

async function countMessages(invoicePrefix: string): Promise<number> {
  const rows: { n: number }[] = await context.db.dataSource.query(
    'SELECT count(*)::int AS n FROM messages WHERE account_id = $1 AND invoice_id LIKE $2',
    [context.tenant.accountId, `${invoicePrefix}%`],
  );
  return rows[0]!.n;
}

describe('Batch endpoint', () => {
  it('When a batch mixes valid and invalid notifications, then the valid ones are accepted and each result says why', async () => {
    const items = [
      notification({ invoice_id: 'MIX-1' }),
      notification({ invoice_id: 'MIX-2', phone_number: '12345' }),
      notification({ invoice_id: 'MIX-3' }),
      notification({ invoice_id: 'MIX-4', amount: -5 }),
      notification({ invoice_id: 'MIX-5', message_type: 'payment_reminder' }),
    ];

    const response = await batch(items);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      success: true,
      accepted: 3,
      rejected: 2,
      batch_id: expect.any(String),
    });
    const accepted = (invoiceId: string) => ({
      success: true,
      message_id: expect.any(String),
      invoice_id: invoiceId,
      scheduled_for: expect.any(String),
    });
    expect(response.body.results).toEqual([
      { index: 0, ...accepted('MIX-1') },
      {
        index: 1,
        success: false,
        code: 'validation_failed',
        detail: expect.stringMatching(/^phone_number: is not a valid phone number/),
      },
      { index: 2, ...accepted('MIX-3') },
      { index: 3, success: false, code: 'validation_failed', detail: 'amount: must be greater than 0' },
      { index: 4, ...accepted('MIX-5') },
    ]);
    expect(await countMessages('MIX-')).toBe(3);
    const jobs = await Promise.all(
      [0, 2, 4].map((index) => context.ingress.queue.queue.getJob(response.body.results[index].message_id)),
    );
    expect(jobs.map((job) => job?.data)).toEqual(
      [0, 2, 4].map((index) => ({ messageId: response.body.results[index].message_id })),
    );

    const summary = await request(context.ingress.app)
      .get(`/api/v1/billing/batches/${response.body.batch_id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`);
    expect(summary.body).toMatchObject({ item_count: 5, accepted: 3, rejected: 2, by_status: { queued: 3 } });
  });

  it('When a batch holds more than 1,000 notifications, then it answers 413 and stores nothing', async () => {
    const items = Array.from({ length: 1001 }, (_, index) => notification({ invoice_id: `BIG-${index}` }));
    const response = await batch(items);
    expect(response.status).toBe(413);
    expect(response.body.detail).toBe(
      'notifications: at most 1000 per batch (got 1001); split the run into several batches',
    );
    expect(await countMessages('BIG-')).toBe(0);
  });

  it('When a full batch of 1,000 is posted, then all are accepted', async () => {
    const items = Array.from({ length: 1000 }, (_, index) =>
      notification({ invoice_id: `FULL-${index}`, phone_number: `2547${String(10000000 + index)}` }),
    );
    const response = await batch(items);
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(1000);
    expect(await countMessages('FULL-')).toBe(1000);
  });

  it('When the batch body is not the expected envelope, then it answers 400 saying so', async () => {
    const missing = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send({ items: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toBe('notifications: is required');
    expect((await batch([])).body.detail).toBe('notifications: must contain at least one notification');
  });

  it('When another account asks for a batch, then it is not found', async () => {
    const response = await batch([notification()]);
    const stranger = await createTenant(context.db);
    const summary = await request(context.ingress.app)
      .get(`/api/v1/billing/batches/${response.body.batch_id}`)
      .set('Authorization', `Bearer ${stranger.apiKey}`);
    expect(summary.status).toBe(404);
    expect(summary.body).toEqual(problem('not_found', 'Batch not found'));
  });
});

describe('Natural dedupe (no Idempotency-Key)', () => {
  it('When the same notification is sent again, then nothing new is stored and the original answer comes back marked replayed', async () => {
    const body = notification({ invoice_id: 'DUP-1' });
    const first = await single(body);
    const again = await single(body);

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await countMessages('DUP-1')).toBe(1);
  });

  it('When the local form of the same number is used, then it is still the same notification', async () => {
    const first = await single(notification({ invoice_id: 'DUP-LOCAL', phone_number: '+254 712 345 678' }));
    const again = await single({ ...notification({ invoice_id: 'DUP-LOCAL' }), phone_number: '0712345678' });
    expect(again.body.message_id).toBe(first.body.message_id);
  });

  it('When it comes again with a different amount or due date, then it answers 409 naming the existing message', async () => {
    const body = notification({ invoice_id: 'DUP-2' });
    const first = await single(body);

    const amount = await single({ ...body, amount: 1600 });
    const due = await single({ ...body, due_date: '2030-03-01' });

    expect(amount.status).toBe(409);
    expect(amount.body).toEqual(
      problem(
        'conflict',
        `The invoice notification for invoice DUP-2 to this number was already accepted (message_id ${first.body.message_id}) with a different amount`,
        { message_id: first.body.message_id },
      ),
    );
    expect(due.status).toBe(409);
    expect(due.body.detail).toMatch(/with a different due date$/);
    expect(await countMessages('DUP-2')).toBe(1);
  });

  it('When a different type or number is sent for the same invoice, then it is a new message', async () => {
    const body = notification({ invoice_id: 'DUP-3' });
    await single(body);
    expect(
      (await single({ ...body, message_type: 'overdue' })).headers['idempotent-replayed'],
    ).toBeUndefined();
    expect(
      (await single({ ...body, phone_number: '254722000000' })).headers['idempotent-replayed'],
    ).toBeUndefined();
    expect(await countMessages('DUP-3')).toBe(3);
  });

  it('When ten identical requests arrive at the same moment, then exactly one message is stored', async () => {
    const body = notification({ invoice_id: 'DUP-RACE' });
    const responses = await Promise.all(Array.from({ length: 10 }, () => single(body)));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((response) => response.body.message_id)).size).toBe(1);
    expect(await countMessages('DUP-RACE')).toBe(1);
  });

  it('When different notifications arrive at the same moment (accepted together), then each is answered with its own message', async () => {
    const bodies = Array.from({ length: 12 }, (_, index) => notification({ invoice_id: `MANY-${index}` }));
    const responses = await Promise.all(bodies.map((body) => single(body)));
    expect(responses.map((response) => response.body.invoice_id)).toEqual(
      bodies.map((body) => body.invoice_id),
    );
    expect(new Set(responses.map((response) => response.body.message_id)).size).toBe(12);
    expect(await countMessages('MANY-')).toBe(12);
  });

  it('When one invoice arrives twice at the same moment with two amounts, then one is stored and the other answers 409 naming it', async () => {
    const [first, second] = await Promise.all([
      single(notification({ invoice_id: 'CLASH', amount: 100 })),
      single(notification({ invoice_id: 'CLASH', amount: 200 })),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const stored = [first, second].find((response) => response.status === 200)!;
    const refused = [first, second].find((response) => response.status === 409)!;
    expect(refused.body.message_id).toBe(stored.body.message_id);
    expect(await countMessages('CLASH')).toBe(1);
  });

  it('When the same batch is posted twice, then the second stores nothing and replays every result', async () => {
    const items = Array.from({ length: 20 }, (_, index) => notification({ invoice_id: `TWICE-${index}` }));
    const first = await batch(items);
    const second = await batch(items);

    expect(second.body.accepted).toBe(20);
    expect(second.body.results.every((result: { replayed?: boolean }) => result.replayed === true)).toBe(
      true,
    );
    expect(second.body.results.map((result: { message_id: string }) => result.message_id)).toEqual(
      first.body.results.map((result: { message_id: string }) => result.message_id),
    );
    expect(await countMessages('TWICE-')).toBe(20);
    const summary = await request(context.ingress.app)
      .get(`/api/v1/billing/batches/${second.body.batch_id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`);
    expect(summary.body).toMatchObject({ item_count: 20, accepted: 20, by_status: {} });
  });

  it('When a batch repeats one of its own notifications, then it is stored once', async () => {
    const item = notification({ invoice_id: 'SELF-1' });
    const response = await batch([item, item, { ...item, amount: 99 }]);
    expect(response.body.results[1]).toMatchObject({
      success: true,
      replayed: true,
      message_id: response.body.results[0].message_id,
    });
    expect(response.body.results[2]).toMatchObject({
      success: false,
      message_id: response.body.results[0].message_id,
    });
    expect(await countMessages('SELF-1')).toBe(1);
  });
});

describe('Payment confirmation supersedes reminders', () => {
  it("When a confirmation arrives, then the invoice's queued reminder, invoice and overdue messages are canceled with the reason", async () => {
    const invoiceId = 'PAID-1';
    const reminder = await single(notification({ invoice_id: invoiceId, message_type: 'payment_reminder' }));
    const overdue = await single(notification({ invoice_id: invoiceId, message_type: 'overdue' }));
    const otherInvoice = await single(notification({ invoice_id: 'PAID-OTHER', message_type: 'overdue' }));
    const alreadySent = await single(notification({ invoice_id: invoiceId, message_type: 'invoice' }));
    await context.db.messages.statuses.claimForSending(alreadySent.body.message_id, 'text');
    await context.db.messages.statuses.markSent(
      alreadySent.body.message_id,
      `KEY-${alreadySent.body.message_id}`,
    );

    const confirmation = await single(notification({ invoice_id: invoiceId, message_type: 'confirmation' }));
    expect(confirmation.status).toBe(200);

    for (const canceled of [reminder, overdue]) {
      const message = await context.db.messages.queries.findById(canceled.body.message_id);
      expect(message?.status).toBe('canceled');
      const last = (await context.db.messages.queries.listEvents(canceled.body.message_id)).at(-1);
      expect(last).toMatchObject({
        type: 'canceled',
        detail: `Superseded by payment confirmation ${confirmation.body.message_id}`,
      });
    }
    expect((await context.db.messages.queries.findById(otherInvoice.body.message_id))?.status).toBe('queued');
    expect((await context.db.messages.queries.findById(alreadySent.body.message_id))?.status).toBe('sent');
  });
});

describe('Payment confirmation in the same request', () => {
  async function endpointFor(events: WebhookEventType[]): Promise<string> {
    const endpoint = await new WebhookEndpointRepository(context.db.dataSource, context.db.secrets).create({
      accountId: context.tenant.accountId,
      url: `https://billing.example.com/hooks/${randomUUID()}`,
      description: null,
      secret: mintWebhookSecret(),
      events,
    });
    return endpoint.id;
  }

  async function canceledAnnouncements(messageId: string, endpointId: string) {
    const deliveries = await new WebhookDeliveryRepository(
      context.db.dataSource,
      context.db.secrets,
    ).listForMessage(messageId);
    return deliveries
      .filter((delivery) => delivery.endpointId === endpointId)
      .map((delivery) => ({
        type: delivery.eventType,
        data: (JSON.parse(delivery.payload) as { data: object }).data,
      }));
  }

  it("When a batch holds an invoice's reminder and its confirmation, then the reminder is stored canceled, never queued, and announced", async () => {
    const subscribed = await endpointFor(['message.canceled']);
    const other = await endpointFor(['message.sent']);
    const invoiceId = 'SAME-PAID-1';

    const response = await batch([
      notification({ invoice_id: invoiceId, message_type: 'payment_reminder' }),
      notification({ invoice_id: 'SAME-UNPAID', message_type: 'payment_reminder' }),
      notification({ invoice_id: invoiceId, message_type: 'confirmation' }),
      notification({ invoice_id: invoiceId, message_type: 'overdue' }),
    ]);

    expect(response.status).toBe(200);
    const [reminder, unpaid, confirmation, overdue] = response.body.results as {
      message_id: string;
      scheduled_for?: string;
      superseded_by?: string;
    }[];
    for (const canceled of [reminder!, overdue!]) {
      expect(canceled).toEqual({
        index: expect.any(Number),
        success: true,
        message_id: expect.any(String),
        invoice_id: invoiceId,
        superseded_by: confirmation!.message_id,
      });
      expect((await context.db.messages.queries.findById(canceled.message_id))?.status).toBe('canceled');
      expect(await context.ingress.queue.queue.getJob(canceled.message_id)).toBeUndefined();
      const events = await context.db.messages.queries.listEvents(canceled.message_id);
      expect(events.map((event) => [event.type, event.status, event.detail])).toEqual([
        ['accepted', 'queued', null],
        ['canceled', 'canceled', `Superseded by payment confirmation ${confirmation!.message_id}`],
      ]);
      expect(await canceledAnnouncements(canceled.message_id, subscribed)).toEqual([
        {
          type: 'message.canceled',
          data: expect.objectContaining({
            message_id: canceled.message_id,
            status: 'canceled',
            invoice_id: invoiceId,
          }),
        },
      ]);
      expect(await canceledAnnouncements(canceled.message_id, other)).toEqual([]);
    }
    for (const sending of [unpaid!, confirmation!]) {
      expect(sending.scheduled_for).toEqual(expect.any(String));
      expect((await context.db.messages.queries.findById(sending.message_id))?.status).toBe('queued');
      expect(await context.ingress.queue.queue.getJob(sending.message_id)).toBeDefined();
    }
    expect(response.body).toMatchObject({ accepted: 4, rejected: 0 });
  });

  it('When a confirmation cancels a reminder queued before, then the cancellation is announced to subscribed endpoints too', async () => {
    const subscribed = await endpointFor(['message.canceled', 'message.failed']);
    const reminder = await single(
      notification({ invoice_id: 'EARLIER-PAID', message_type: 'payment_reminder' }),
    );

    await single(notification({ invoice_id: 'EARLIER-PAID', message_type: 'confirmation' }));

    expect(await canceledAnnouncements(reminder.body.message_id, subscribed)).toEqual([
      {
        type: 'message.canceled',
        data: expect.objectContaining({ message_id: reminder.body.message_id, status: 'canceled' }),
      },
    ]);
  });

  it('When a confirmation cancels a reminder that waits for a paced slot, then its job is taken back and the slot goes back for the next message', async () => {
    const reminder = await single(
      notification({ invoice_id: 'SLOT-PAID', message_type: 'payment_reminder' }),
    );
    const reminderId = reminder.body.message_id as string;
    // As a dispatcher would have left it: delayed to a slot it reserved, behind another, both at
    // tomorrow's local noon (one local day, whatever the time the test runs).
    const now = DateTime.now().setZone('Africa/Nairobi').plus({ days: 1 }).set({ hour: 12 }).toMillis();
    const policy = { minGapMs: 3000, jitterMs: 0, dailyCap: 10 };
    const windows = sendingWindows(now, 'Africa/Nairobi', null, 8);
    await context.ingress.pacer.reserveSlot(context.tenant.instance.id, policy, windows, now);
    const slot = (await context.ingress.pacer.reserveSlot(context.tenant.instance.id, policy, windows, now))!;
    await context.ingress.queue.queue.remove(reminderId);
    await context.ingress.queue.queue.add(
      'send',
      { messageId: reminderId, paceSlotMs: slot, paceAttempt: 0 },
      { jobId: reminderId, delay: 3_600_000 },
    );
    const day = localDay(slot, 'Africa/Nairobi');
    expect(await context.ingress.pacer.sentOnDay(context.tenant.instance.id, day)).toBe(2);

    await single(notification({ invoice_id: 'SLOT-PAID', message_type: 'confirmation' }));

    expect((await context.db.messages.queries.findById(reminderId))?.status).toBe('canceled');
    expect(await context.ingress.queue.queue.getJob(reminderId)).toBeUndefined();
    expect(await context.ingress.pacer.sentOnDay(context.tenant.instance.id, day)).toBe(1);
    expect(
      await context.ingress.pacer.reserveSlot(context.tenant.instance.id, policy, windows, now + 1000),
    ).toBe(slot);
  });

  it('When the same batch of reminder and confirmation is posted again, then the confirmation replays and the reminder is canceled again', async () => {
    const items = [
      notification({ invoice_id: 'SAME-PAID-2', message_type: 'payment_reminder' }),
      notification({ invoice_id: 'SAME-PAID-2', message_type: 'confirmation' }),
    ];
    const first = await batch(items);

    const again = await batch(items);

    const [reminder, confirmation] = again.body.results as {
      message_id: string;
      replayed?: boolean;
      superseded_by?: string;
    }[];
    expect(confirmation).toMatchObject({ replayed: true, message_id: first.body.results[1].message_id });
    expect(reminder!.superseded_by).toBe(confirmation!.message_id);
    expect((await context.db.messages.queries.findById(reminder!.message_id))?.status).toBe('canceled');
    expect(await context.ingress.queue.queue.getJob(reminder!.message_id)).toBeUndefined();
  });
});

describe('Expiry', () => {
  it("When a reminder has a due date, then it expires at the end of that day in the instance's zone", async () => {
    const response = await single(
      notification({ invoice_id: 'EXP-1', message_type: 'payment_reminder', due_date: '2030-02-15' }),
    );
    expect(
      (await context.db.messages.queries.findById(response.body.message_id))?.expiresAt?.toISOString(),
    ).toBe('2030-02-15T20:59:59.999Z');
  });

  it('When expires_at is given, then it is kept; in the past or malformed, it is refused', async () => {
    const ok = await single(notification({ invoice_id: 'EXP-2', expires_at: '2030-01-01T08:00:00+03:00' }));
    expect((await context.db.messages.queries.findById(ok.body.message_id))?.expiresAt?.toISOString()).toBe(
      '2030-01-01T05:00:00.000Z',
    );
    expect((await single(notification({ expires_at: '2020-01-01T00:00:00Z' }))).body.detail).toBe(
      'expires_at: must be in the future',
    );
    expect((await single(notification({ expires_at: 'tomorrow' }))).status).toBe(400);
  });
});
