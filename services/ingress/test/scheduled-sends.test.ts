import request from 'supertest';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';
import { notificationFactory } from '../../../test/support/notification-factory';

const context = useIngress();
let tenant: Tenant;

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const notification = notificationFactory('SCHED');

beforeAll(async () => {
  tenant = await createTenant(context.db, { permissions: ['send_message', 'admin'] });
});

/** An instant this far from now, as a billing system writes it: with its offset (Nairobi's). */
function inNairobi(fromNowMs: number): string {
  const instant = new Date(Date.now() + fromNowMs + 3 * HOUR_MS);
  return `${instant.toISOString().slice(0, 19)}+03:00`;
}

function send(body: Record<string, unknown>, who: Tenant = tenant) {
  return request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${who.instance.id}`)
    .set('Authorization', `Bearer ${who.apiKey}`)
    .send(body);
}

async function messageOf(response: request.Response) {
  return (await context.db.messages.queries.findById(response.body.message_id))!;
}

describe('send_at: a message sent later, at the time the billing system asks for', () => {
  it('When a notification has a send_at tomorrow, then it is stored scheduled for then, answered with that time, and its job waits in the delayed set until then', async () => {
    const sendAt = inNairobi(DAY_MS);
    const response = await send(notification({ send_at: sendAt }));

    expect(response.status).toBe(200);
    expect(response.body.scheduled_for).toBe(new Date(sendAt).toISOString());
    const message = await messageOf(response);
    expect(message).toMatchObject({ status: 'scheduled', sendAt: new Date(sendAt) });
    // Its default lifetime (an invoice's week) counts from when it is due, not from now.
    expect(message.expiresAt).toEqual(new Date(new Date(sendAt).getTime() + 168 * HOUR_MS));
    const job = await context.ingress.queue.queue.getJob(message.id);
    expect(await job?.isDelayed()).toBe(true);
    // Due at send_at: the delay is counted from the moment ingress enqueued it, a little before the
    // job's own timestamp, so the sum is send_at give or take that moment (bounded loosely here).
    const dueAt = job!.timestamp + job!.delay;
    expect(Math.abs(dueAt - new Date(sendAt).getTime())).toBeLessThan(60_000);

    const read = await request(context.ingress.app)
      .get(`/api/v1/messages/${message.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`);
    expect(read.body).toMatchObject({ status: 'scheduled', send_at: new Date(sendAt).toISOString() });
  });

  it('When send_at is already past, then the message is sent now, as without one', async () => {
    const response = await send(notification({ send_at: inNairobi(-HOUR_MS) }));
    expect(response.status).toBe(200);
    expect(response.body.scheduled_for).toBeUndefined();
    expect(await messageOf(response)).toMatchObject({ status: 'queued', sendAt: null });
  });

  it.each([
    ['more than 30 days ahead', inNairobi(31 * DAY_MS), 'must be at most 30 days ahead'],
    ['without an offset', '2026-12-24T08:00:00', 'must be an ISO 8601 date-time with offset'],
    ['not a date', 'tomorrow morning', 'must be an ISO 8601 date-time with offset'],
  ])('When send_at is %s, then it answers 400 naming send_at', async (_what, sendAt, message) => {
    const response = await send(notification({ send_at: sendAt }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject(problem('validation_failed', expect.any(String)));
    expect(response.body.errors).toEqual([{ field: 'send_at', message: expect.stringContaining(message) }]);
  });

  it('When expires_at comes before send_at, then it is refused as it would expire before it could be sent', async () => {
    const response = await send(
      notification({ send_at: inNairobi(2 * DAY_MS), expires_at: inNairobi(DAY_MS) }),
    );
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('would_expire');
  });

  it('When a scheduled message is canceled, then it becomes canceled and its job is withdrawn', async () => {
    const accepted = await send(notification({ send_at: inNairobi(DAY_MS) }));
    const canceled = await request(context.ingress.app)
      .delete(`/api/v1/messages/${accepted.body.message_id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`);

    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    expect(await context.ingress.queue.queue.getJob(accepted.body.message_id)).toBeUndefined();
  });

  it('When a payment confirmation of the invoice arrives, then a reminder scheduled for it is superseded', async () => {
    const reminder = notification({
      message_type: 'payment_reminder',
      due_date: null,
      send_at: inNairobi(DAY_MS),
    });
    const scheduled = await send(reminder);
    const confirmed = await send({ ...reminder, message_type: 'confirmation', send_at: null });

    expect(confirmed.status).toBe(200);
    expect((await messageOf(scheduled)).status).toBe('canceled');
  });

  it("When messages are scheduled, then the instance's queue counts them apart from those queued", async () => {
    const own = await createTenant(context.db, { permissions: ['send_message', 'admin'] });
    await send(notification({ send_at: inNairobi(DAY_MS) }), own);
    await send(notification({ send_at: inNairobi(2 * DAY_MS) }), own);

    const queue = await request(context.ingress.app)
      .get(`/api/v1/instances/${own.instance.id}/queue`)
      .set('Authorization', `Bearer ${own.apiKey}`);
    expect(queue.body.counts).toMatchObject({ waiting_for_send_at: 2, ready: 0, scheduled: 0 });
  });

  it('When a batch holds notifications with and without send_at, then each is stored as it asked', async () => {
    const sendAt = inNairobi(DAY_MS);
    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notifications?instance_id=${tenant.instance.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .send({ notifications: [notification({ send_at: sendAt }), notification()] });

    expect(response.status).toBe(200);
    const [later, now] = response.body.results as { message_id: string }[];
    expect((await context.db.messages.queries.findById(later!.message_id))?.status).toBe('scheduled');
    expect((await context.db.messages.queries.findById(now!.message_id))?.status).toBe('queued');
  });

  it('When the URL gateway is given a send_at, then the text is scheduled too', async () => {
    const gatewayKey = await context.db.provisioning.apiKeys.create({
      accountId: tenant.accountId,
      name: 'gateway',
      permissions: ['send_text'],
    });
    const sendAt = inNairobi(DAY_MS);
    const response = await request(context.ingress.app).get('/api/v1/gateway/send').query({
      instance_id: tenant.instance.id,
      token: gatewayKey.secret,
      to: '254712345678',
      text: 'Your invoice is due today',
      send_at: sendAt,
    });

    expect(response.status).toBe(200);
    expect(response.body.scheduled_for).toBe(new Date(sendAt).toISOString());
    expect(await messageOf(response)).toMatchObject({ status: 'scheduled', messageType: 'text' });
  });
});
