import { DateTime } from 'luxon';
import request from 'supertest';
import { useEndToEndSystem } from '../support/use-end-to-end-system';
import { waitFor } from '../support/wait-for';

/**
 * A reminder for the morning its invoice falls due, as a billing system schedules it the day before.
 * The dispatcher's clock is the test's: it stands a second before 08:00 Nairobi time, then at it,
 * and the send job is promoted at each moment, rather than the test waiting a day.
 */
describe('A reminder scheduled for tomorrow at 08:00 in Nairobi', () => {
  let clockMs = Date.now();
  const context = useEndToEndSystem({ tenant: true, dispatcher: { now: () => clockMs } });

  /** Runs the message's send job now, at the dispatcher's clock, and waits until it is settled. */
  async function runJobAt(messageId: string, atMs: number): Promise<void> {
    clockMs = atMs;
    const job = await context.dispatcher.queue.queue.getJob(messageId);
    await job!.promote();
  }

  it('When it is accepted with send_at tomorrow 08:00 +03:00, then it waits scheduled, is not sent a second before, and goes out at 08:00', async () => {
    const eight = DateTime.now()
      .setZone('Africa/Nairobi')
      .plus({ days: 1 })
      .set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
    const sendAt = eight.toISO({ suppressMilliseconds: true })!;
    expect(sendAt).toMatch(/T08:00:00\+03:00$/);

    const accepted = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send({
        phone_number: '254712345678',
        customer_name: 'Amina Njeri',
        amount: 1500,
        currency: 'KES',
        invoice_id: `DUE-${eight.toISODate()}`,
        due_date: eight.toISODate(),
        message_type: 'payment_reminder',
        send_at: sendAt,
      });
    expect(accepted.status).toBe(200);
    expect(accepted.body.scheduled_for).toBe(eight.toUTC().toISO());
    const id: string = accepted.body.message_id;

    // 07:59:59: the job runs, finds it not due, and goes back to wait; nothing reaches WhatsApp.
    await runJobAt(id, eight.toMillis() - 1000);
    const job = await context.dispatcher.queue.queue.getJob(id);
    await waitFor(async () => (await job!.getState()) === 'delayed', 'the job to wait again');
    expect((await context.db.messages.queries.findById(id))?.status).toBe('scheduled');
    expect(
      context.dispatcher.sandbox.deliveries({ instance: context.tenant.instance.evolutionInstanceName }),
    ).toEqual([]);

    // 08:00:00: it queues and is sent.
    await runJobAt(id, eight.toMillis());
    const sent = await context.dispatcher.waitForStatus(id, ['sent']);
    expect(sent.sendAt).toEqual(eight.toJSDate());
    const deliveries = context.dispatcher.sandbox.deliveries({
      instance: context.tenant.instance.evolutionInstanceName,
    });
    expect(deliveries.map(({ number, text }) => ({ number, text }))).toEqual([
      { number: '254712345678', text: sent.body },
    ]);
    expect(sent.body).toContain('Dear Amina Njeri,');

    const timeline = await request(context.ingress.app)
      .get(`/api/v1/messages/${id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`);
    expect(
      timeline.body.events.map((event: { type: string; status: string }) => [event.type, event.status]),
    ).toEqual([
      ['accepted', 'scheduled'],
      ['due', 'queued'],
      ['claimed', 'sending'],
      ['sent', 'sent'],
    ]);
  });
});
