import { DateTime } from 'luxon';
import request from 'supertest';
import { startEndToEndSystem, type EndToEndSystem } from '../support/end-to-end-system';
import { createTenant, type Tenant } from '../support/test-context';
import { waitFor } from '../support/wait-for';

/**
 * A reminder for the morning its invoice falls due, as a billing system schedules it the day before.
 * The dispatcher's clock is the test's: it stands a second before 08:00 Nairobi time, then at it,
 * and the send job is promoted at each moment, rather than the test waiting a day.
 */
describe('A reminder scheduled for tomorrow at 08:00 in Nairobi', () => {
  let system: EndToEndSystem;
  let tenant: Tenant;
  let clockMs = Date.now();

  beforeAll(async () => {
    system = await startEndToEndSystem({ dispatcher: { now: () => clockMs } });
    tenant = await createTenant(system.db);
    system.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
  });

  afterAll(async () => {
    await system.close();
  });

  /** Runs the message's send job now, at the dispatcher's clock, and waits until it is settled. */
  async function runJobAt(messageId: string, atMs: number): Promise<void> {
    clockMs = atMs;
    const job = await system.dispatcher.queue.queue.getJob(messageId);
    await job!.promote();
  }

  it('When it is accepted with send_at tomorrow 08:00 +03:00, then it waits scheduled, is not sent a second before, and goes out at 08:00', async () => {
    const eight = DateTime.now()
      .setZone('Africa/Nairobi')
      .plus({ days: 1 })
      .set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
    const sendAt = eight.toISO({ suppressMilliseconds: true })!;
    expect(sendAt).toMatch(/T08:00:00\+03:00$/);

    const accepted = await request(system.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`)
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
    const job = await system.dispatcher.queue.queue.getJob(id);
    await waitFor(async () => (await job!.getState()) === 'delayed', 'the job to wait again');
    expect((await system.db.messages.queries.findById(id))?.status).toBe('scheduled');
    expect(system.dispatcher.sandbox.deliveries({ instance: tenant.instance.evolutionInstanceName })).toEqual(
      [],
    );

    // 08:00:00: it queues and is sent.
    await runJobAt(id, eight.toMillis());
    const sent = await system.dispatcher.waitForStatus(id, ['sent']);
    expect(sent.sendAt).toEqual(eight.toJSDate());
    const deliveries = system.dispatcher.sandbox.deliveries({
      instance: tenant.instance.evolutionInstanceName,
    });
    expect(deliveries.map(({ number, text }) => ({ number, text }))).toEqual([
      { number: '254712345678', text: sent.body },
    ]);
    expect(sent.body).toContain('Dear Amina Njeri,');

    const timeline = await request(system.ingress.app)
      .get(`/api/v1/messages/${id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`);
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
