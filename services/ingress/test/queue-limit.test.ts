import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { notificationFactory } from '../../../test/support/notification-factory';
import { useIngress } from '../../../test/support/use-ingress';

/** A small limit, so a test reaches it with a handful of messages. */
const LIMIT = 4;

const context = useIngress({ queueLimitPerAccount: LIMIT });

const notification = notificationFactory('LIMIT');

const single = (tenant: Tenant, body: unknown, idempotencyKey?: string) => {
  const call = request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
    .set('Authorization', `Bearer ${tenant.apiKey}`);
  return (idempotencyKey ? call.set('Idempotency-Key', idempotencyKey) : call).send(body as object);
};

const batch = (tenant: Tenant, notifications: unknown[]) =>
  request(context.ingress.app)
    .post(`/api/v1/billing/send-notifications?instance_id=${tenant.instance.id}`)
    .set('Authorization', `Bearer ${tenant.apiKey}`)
    .send({ notifications });

async function stored(tenant: Tenant): Promise<number> {
  const rows: { n: number }[] = await context.db.dataSource.query(
    'SELECT count(*)::int AS n FROM messages WHERE account_id = $1',
    [tenant.accountId],
  );
  return rows[0]!.n;
}

/** What a dispatcher would do: the account's queued messages go out. */
async function drain(tenant: Tenant): Promise<void> {
  await context.db.dataSource.query(
    `UPDATE messages SET status = 'sent' WHERE account_id = $1 AND status = 'queued'`,
    [tenant.accountId],
  );
}

describe('Queue limit per account', () => {
  it('When the account has as many messages queued as it may, then a send answers 429 naming the limit, with Retry-After, and stores nothing', async () => {
    const tenant = await createTenant(context.db);
    expect(
      (await batch(tenant, [notification(), notification(), notification(), notification()])).status,
    ).toBe(200);

    const response = await single(tenant, notification());

    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({
      code: 'queue_limit_reached',
      status: 429,
      detail: `Queue limit reached: an account may have at most ${LIMIT} messages queued; this one has 4 or more and this request would add 1`,
    });
    // An unpaced instance sends its excess at once: the shortest wait.
    expect(response.headers['retry-after']).toBe('5');
    expect(await stored(tenant)).toBe(4);
  });

  it('When messages are scheduled for later, then they count against the limit as queued ones do', async () => {
    const tenant = await createTenant(context.db);
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const scheduled = [1, 2, 3].map(() => notification({ send_at: tomorrow }));
    expect((await batch(tenant, [...scheduled, notification()])).status).toBe(200);

    const response = await single(tenant, notification({ send_at: tomorrow }));

    expect(response.status).toBe(429);
    expect(response.body.code).toBe('queue_limit_reached');
    expect(await stored(tenant)).toBe(4);
  });

  it('When a batch would take the account over the limit, then the whole batch is refused; one that fits is accepted', async () => {
    const tenant = await createTenant(context.db);
    await single(tenant, notification());

    const over = await batch(tenant, [notification(), notification(), notification(), notification()]);
    expect(over.status).toBe(429);
    expect(over.body.detail).toBe(
      `Queue limit reached: an account may have at most ${LIMIT} messages queued; this one has 1 and this request would add 4`,
    );
    expect(await stored(tenant)).toBe(1);

    const fits = await batch(tenant, [notification(), notification(), notification()]);
    expect(fits.status).toBe(200);
    expect(fits.body.accepted).toBe(3);
  });

  it('When queued messages have gone out, then the account has room again', async () => {
    const tenant = await createTenant(context.db);
    await batch(tenant, [notification(), notification(), notification(), notification()]);
    expect((await single(tenant, notification())).status).toBe(429);

    await drain(tenant);

    expect((await single(tenant, notification())).status).toBe(200);
  });

  it('When a notification already accepted comes again at the limit, then it is replayed, not refused', async () => {
    const tenant = await createTenant(context.db);
    const first = notification();
    const original = await single(tenant, first);
    await batch(tenant, [notification(), notification(), notification()]);

    const again = await single(tenant, first);

    expect(again.status).toBe(200);
    expect(again.body.message_id).toBe(original.body.message_id);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it("When one account is at its limit, then another account's sends are accepted", async () => {
    const full = await createTenant(context.db);
    await batch(full, [notification(), notification(), notification(), notification()]);
    const other = await createTenant(context.db);

    expect((await single(full, notification())).status).toBe(429);
    expect((await single(other, notification())).status).toBe(200);
  });

  it('When a request refused at the limit is retried with its Idempotency-Key once there is room, then it runs', async () => {
    const tenant = await createTenant(context.db);
    await batch(tenant, [notification(), notification(), notification(), notification()]);
    const key = randomUUID();
    const body = notification();
    expect((await single(tenant, body, key)).status).toBe(429);

    await drain(tenant);
    const retried = await single(tenant, body, key);

    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await stored(tenant)).toBe(5);
  });

  it('When a paced instance refuses a send for the limit, then the slot reserved for it goes back: the next send takes it', async () => {
    const tenant = await createTenant(context.db, {
      sending: { pacingMinGapMs: 3000, pacingJitterMs: 0, dailyCap: null },
    });
    const full = await batch(
      tenant,
      Array.from({ length: LIMIT }, (_, index) =>
        notification({ invoice_id: `PACED-${index}-${randomUUID()}` }),
      ),
    );
    expect(full.body).toMatchObject({ accepted: LIMIT });
    const slots = (full.body as { results: { scheduled_for?: string }[] }).results.map((result) =>
      Date.parse(result.scheduled_for ?? ''),
    );
    const spacing = slots[LIMIT - 1]! - slots[LIMIT - 2]!;
    expect(spacing).toBeGreaterThan(0);

    expect((await single(tenant, notification({ invoice_id: `PACED-OVER-${randomUUID()}` }))).status).toBe(
      429,
    );
    await drain(tenant);
    const next = await single(tenant, notification({ invoice_id: `PACED-NEXT-${randomUUID()}` }));

    expect(next.status).toBe(200);
    // The slot after the batch's last, not the one after that.
    expect(Date.parse((next.body as { scheduled_for: string }).scheduled_for)).toBe(
      slots[LIMIT - 1]! + spacing,
    );
  });
});
