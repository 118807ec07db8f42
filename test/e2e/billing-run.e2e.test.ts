import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { useEndToEndSystem } from '../support/use-end-to-end-system';
import { waitFor } from '../support/wait-for';

/**
 * A monthly run as a billing system posts it: 5,000 notifications in five batches, then posted
 * again (a cron that retried) with and without Idempotency-Keys. Every customer gets one message.
 */
const context = useEndToEndSystem({ tenant: true });

beforeAll(() => {
  context.dispatcher.startWorker();
});

const run = randomUUID().slice(0, 8);
const batches = Array.from({ length: 5 }, (_, batch) =>
  Array.from({ length: 1000 }, (_, item) => {
    const customer = batch * 1000 + item;
    return {
      phone_number: `2547${String(10_000_000 + customer)}`,
      customer_name: `Customer ${customer}`,
      amount: 1500 + customer,
      currency: 'KES',
      invoice_id: `${run}-${customer}`,
      due_date: '2030-02-15',
      message_type: 'invoice',
    };
  }),
);

function post(notifications: unknown[], idempotencyKey?: string) {
  const call = request(context.ingress.app)
    .post(`/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`)
    .set('Authorization', `Bearer ${context.tenant.apiKey}`);
  return (idempotencyKey ? call.set('Idempotency-Key', idempotencyKey) : call).send({ notifications });
}

describe('A 5,000-notification billing run', () => {
  it('When it is posted as five batches and then again, with and without keys, then every customer gets exactly one message', async () => {
    const started = Date.now();
    const first = [];
    for (const notifications of batches) first.push(await post(notifications));
    const acceptedInMs = Date.now() - started;
    expect(first.map((response) => response.body.accepted)).toEqual([1000, 1000, 1000, 1000, 1000]);
    process.stdout.write(`5,000 notifications accepted in ${acceptedInMs} ms\n`);

    // The cron retries: without keys (natural dedupe), then with keys, then the same keys again.
    const keys = batches.map(() => randomUUID());
    for (const [index, notifications] of batches.entries()) {
      for (const response of [
        await post(notifications),
        await post(notifications, keys[index]),
        await post(notifications, keys[index]),
      ]) {
        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(1000);
        expect(response.body.results.every((result: { replayed?: boolean }) => result.replayed)).toBe(true);
      }
    }

    const count: { n: number }[] = await context.db.dataSource.query(
      `SELECT count(*)::int AS n FROM messages WHERE invoice_id LIKE $1`,
      [`${run}-%`],
    );
    expect(count[0]!.n).toBe(5000);

    await waitFor(
      () =>
        context.dispatcher.sandbox.deliveryCount({
          instance: context.tenant.instance.evolutionInstanceName,
        }) >= 5000
          ? true
          : undefined,
      'all 5,000 to reach WhatsApp',
      // A deadline, not a speed claim: a loaded machine sends the run slowly, and that is no failure.
      480_000,
    );
    await waitFor(async () => {
      const sent: { n: number }[] = await context.db.dataSource.query(
        `SELECT count(*)::int AS n FROM messages WHERE invoice_id LIKE $1 AND status = 'sent'`,
        [`${run}-%`],
      );
      return sent[0]!.n === 5000 || undefined;
    }, 'all 5,000 to be recorded as sent');
    const texts = context.dispatcher.sandbox
      .deliveries({ instance: context.tenant.instance.evolutionInstanceName })
      .map((d) => d.text);
    expect(texts).toHaveLength(5000);
    expect(new Set(texts).size).toBe(5000);
  }, 600_000);
});
