import { DateTime } from 'luxon';
import request from 'supertest';
import { sendingWindows } from '@telenexus/core';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { notificationFactory } from '../../../test/support/notification-factory';
import { createIngressHarness } from '../../../test/support/ingress-harness';
import { useIngress } from '../../../test/support/use-ingress';

const NAIROBI = 'Africa/Nairobi';
/** A paced instance without jitter: its planned spacing is the gap plus the pacer's 300 ms margin. */
const PACE = { pacingMinGapMs: 3000, pacingJitterMs: 0, dailyCap: null };
const SPACING_MS = 3000 + 300;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

const paced: string[] = [];

// Declared before useIngress: afterAll hooks run in order, and this one needs the harness's Redis open.
afterAll(async () => {
  // The pacer keys these tests reserved (they would expire on their own in a few days).
  for (const instanceId of paced) {
    const keys = await context.ingress.redis.keys(`*:pace:{${instanceId}}:*`);
    if (keys.length > 0) await context.ingress.redis.del(...keys);
  }
});

const context = useIngress();

const notification = notificationFactory('EST');

const single = (tenant: Tenant, body: unknown) =>
  request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
    .set('Authorization', `Bearer ${tenant.apiKey}`)
    .send(body as object);

const batch = (tenant: Tenant, notifications: unknown[]) =>
  request(context.ingress.app)
    .post(`/api/v1/billing/send-notifications?instance_id=${tenant.instance.id}`)
    .set('Authorization', `Bearer ${tenant.apiKey}`)
    .send({ notifications });

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Stands in for a dispatcher that has planned the instance's sends up to `atMs`: one reservation
 * there, so the next free slot is a spacing after it. A time well ahead of now keeps the estimates
 * independent of the clock.
 */
async function pacerBusyUntil(tenant: Tenant, atMs: number): Promise<void> {
  paced.push(tenant.instance.id);
  await context.ingress.pacer.reserveSlot(
    tenant.instance.id,
    { minGapMs: PACE.pacingMinGapMs, jitterMs: PACE.pacingJitterMs, dailyCap: null },
    sendingWindows(atMs, NAIROBI, null, 8),
    atMs,
  );
}

/** When the message is stored to be sent (`next_attempt_at`), or null. */
async function scheduledAt(messageId: string): Promise<number | null> {
  const [row] = await context.db.dataSource.query('SELECT next_attempt_at FROM messages WHERE id = $1', [
    messageId,
  ]);
  return row?.next_attempt_at ? new Date(row.next_attempt_at).getTime() : null;
}

/** Messages queued for the instance holding no send slot, stored directly (no job, no reservation). */
async function waitingWithoutSlot(tenant: Tenant, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await context.db.messages.acceptance.insertOutgoing({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      phoneNumber: '254712345678',
      customerName: `Waiting ${index}`,
      amount: '100',
      currency: 'KES',
      invoiceId: `EST-WAITING-${tenant.instance.id}-${index}`,
      dueDate: null,
      messageType: 'invoice',
    });
  }
}

/** A time a whole number of seconds ahead, so its ISO form is exact. */
function ahead(ms: number): number {
  return Math.ceil((Date.now() + ms) / 1000) * 1000;
}

async function statusOf(messageId: string): Promise<string | undefined> {
  return (await context.db.messages.queries.findById(messageId))?.status;
}

describe('Estimated send times (scheduled_for)', () => {
  it("When a paced instance's next free slot is an hour ahead, then the single answer adds scheduled_for at that slot", async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(HOUR_MS);
    await pacerBusyUntil(tenant, busyUntil);

    const response = await single(tenant, notification({ invoice_id: 'EST-SLOT' }));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      message_id: expect.any(String),
      invoice_id: 'EST-SLOT',
      scheduled_for: iso(busyUntil + SPACING_MS),
    });
    expect(await statusOf(response.body.message_id)).toBe('queued');
  });

  it('When a batch is accepted, then each message follows the previous one at the pace and the run ends with the last', async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(HOUR_MS);
    await pacerBusyUntil(tenant, busyUntil);

    const response = await batch(tenant, [notification(), notification(), notification()]);

    const expected = [1, 2, 3].map((position) => iso(busyUntil + position * SPACING_MS));
    expect(response.status).toBe(200);
    expect(response.body.results.map((result: { scheduled_for: string }) => result.scheduled_for)).toEqual(
      expected,
    );
    expect(response.body.estimated_finish_at).toBe(expected[2]);
  });

  it('When messages accepted earlier still wait without a slot, then a new batch is estimated after them and takes no slot before them', async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(HOUR_MS);
    await pacerBusyUntil(tenant, busyUntil);
    // Queued without a slot (as when Redis was away at accept): the backlog Postgres counts.
    await waitingWithoutSlot(tenant, 3);

    const response = await batch(tenant, [notification(), notification()]);

    expect(response.body.results.map((result: { scheduled_for: string }) => result.scheduled_for)).toEqual([
      iso(busyUntil + 4 * SPACING_MS),
      iso(busyUntil + 5 * SPACING_MS),
    ]);
    // Reserving now would put them ahead of the three: the dispatcher reserves in queue order instead.
    for (const { message_id: id } of response.body.results) {
      expect(await scheduledAt(id)).toBeNull();
      expect(await context.ingress.queue.queue.getJobState(id)).toBe('waiting');
    }
  });

  it("When the instance is idle, then the single answer is the guide's three fields and a batch starts now", async () => {
    const tenant = await createTenant(context.db, { sending: PACE });

    const first = await single(tenant, notification({ invoice_id: 'EST-IDLE' }));
    expect(first.body).toEqual({ success: true, message_id: expect.any(String), invoice_id: 'EST-IDLE' });

    const idle = await createTenant(context.db, { sending: PACE });
    const before = Date.now();
    const response = await batch(idle, [notification(), notification()]);
    const after = Date.now();
    const [start, next] = response.body.results.map((result: { scheduled_for: string }) =>
      Date.parse(result.scheduled_for),
    );
    expect(start).toBeGreaterThanOrEqual(before);
    expect(start).toBeLessThanOrEqual(after);
    expect(next - start).toBe(SPACING_MS);
  });

  it('When an unpaced instance is in its quiet hours, then the messages are estimated at their end', async () => {
    const local = DateTime.now().setZone(NAIROBI);
    const end = local.plus({ hours: 2 }).startOf('minute');
    const quietHours = { start: local.minus({ hours: 1 }).toFormat('HH:mm'), end: end.toFormat('HH:mm') };
    const tenant = await createTenant(context.db, { sending: { quietHours } });

    const response = await single(tenant, notification());
    const run = await batch(tenant, [notification(), notification()]);

    expect(response.body.scheduled_for).toBe(end.toUTC().toISO());
    expect(run.body.results.map((result: { scheduled_for: string }) => result.scheduled_for)).toEqual([
      end.toUTC().toISO(),
      end.toUTC().toISO(),
    ]);
  });
});

describe('Notifications that would expire unsent (would_expire)', () => {
  it('When a single notification could only go out after its expiry, then it answers 422 naming both times and stores nothing', async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(3 * DAY_MS);
    await pacerBusyUntil(tenant, busyUntil);
    const expiresAt = iso(ahead(DAY_MS));

    const response = await single(tenant, notification({ invoice_id: 'EST-LATE', expires_at: expiresAt }));

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'would_expire', status: 422 });
    expect(response.body.detail).toBe(
      `Would expire unsent: this instance could send it at ${iso(busyUntil + SPACING_MS)} at the earliest ` +
        `(estimated from its pace, backlog, quiet hours and daily cap), and it expires at ${expiresAt}`,
    );
    const rows: { n: number }[] = await context.db.dataSource.query(
      'SELECT count(*)::int AS n FROM messages WHERE account_id = $1',
      [tenant.accountId],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('When a notification accepted earlier comes again with an expiry its estimate is now past, then it answers as the earlier one', async () => {
    // Unpaced, in its quiet hours: the estimate is their end; the second request trusts the account
    // count the first one made, so it is placed before it is known to be a replay.
    const local = DateTime.now().setZone(NAIROBI);
    const end = local.plus({ hours: 2 }).startOf('minute');
    const quietHours = { start: local.minus({ hours: 1 }).toFormat('HH:mm'), end: end.toFormat('HH:mm') };
    const tenant = await createTenant(context.db, { sending: { quietHours } });
    const body = notification({ message_type: 'payment_reminder', invoice_id: 'EST-AGAIN' });

    const first = await single(tenant, { ...body, expires_at: iso(ahead(3 * HOUR_MS)) });
    const again = await single(tenant, { ...body, expires_at: iso(ahead(HOUR_MS)) });

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.message_id).toBe(first.body.message_id);
  });

  it('When one notification of a batch would expire, then it alone is refused and the next one takes its place', async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(3 * DAY_MS);
    await pacerBusyUntil(tenant, busyUntil);

    const response = await batch(tenant, [
      notification({ invoice_id: 'EST-B-LATE', expires_at: iso(ahead(DAY_MS)) }),
      notification({ invoice_id: 'EST-B-OK', expires_at: iso(ahead(10 * DAY_MS)) }),
    ]);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(response.body.results).toEqual([
      {
        index: 0,
        success: false,
        code: 'would_expire',
        detail: expect.stringMatching(/^Would expire unsent: this instance could send it at /),
      },
      {
        index: 1,
        success: true,
        message_id: expect.any(String),
        invoice_id: 'EST-B-OK',
        scheduled_for: iso(busyUntil + SPACING_MS),
      },
    ]);
    const summary = await request(context.ingress.app)
      .get(`/api/v1/billing/batches/${response.body.batch_id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`);
    expect(summary.body).toMatchObject({ item_count: 2, accepted: 1, rejected: 1 });
  });

  it('When the confirmation of a batch would expire, then it cancels nothing: the reminder of its invoice queues', async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(3 * DAY_MS);
    await pacerBusyUntil(tenant, busyUntil);

    const response = await batch(tenant, [
      notification({ invoice_id: 'EST-PAID', message_type: 'overdue', expires_at: iso(ahead(10 * DAY_MS)) }),
      notification({ invoice_id: 'EST-PAID', message_type: 'confirmation', expires_at: iso(ahead(DAY_MS)) }),
    ]);

    expect(response.body.results[1]).toMatchObject({ success: false, code: 'would_expire' });
    expect(response.body.results[0]).toEqual({
      index: 0,
      success: true,
      message_id: expect.any(String),
      invoice_id: 'EST-PAID',
      scheduled_for: iso(busyUntil + SPACING_MS),
    });
    expect(await statusOf(response.body.results[0].message_id)).toBe('queued');
  });

  it("When today's cap is used up, then a notification expiring before the next local day is refused and one without waits for it", async () => {
    const tenant = await createTenant(context.db, { sending: { ...PACE, dailyCap: 1 } });
    const now = Date.now();
    paced.push(tenant.instance.id);
    await context.ingress.pacer.reserveSlot(
      tenant.instance.id,
      { minGapMs: PACE.pacingMinGapMs, jitterMs: PACE.pacingJitterMs, dailyCap: 1 },
      sendingWindows(now, NAIROBI, null, 8),
      now,
    );
    const tomorrow = DateTime.fromMillis(now, { zone: NAIROBI }).startOf('day').plus({ days: 1 });

    const late = await single(tenant, notification({ expires_at: tomorrow.toUTC().toISO() }));
    const waiting = await single(tenant, notification({ invoice_id: 'EST-TOMORROW' }));

    expect(late.status).toBe(422);
    expect(late.body.detail).toContain(`could send it at ${tomorrow.toUTC().toISO()} at the earliest`);
    expect(waiting.body).toEqual({
      success: true,
      message_id: expect.any(String),
      invoice_id: 'EST-TOMORROW',
      scheduled_for: tomorrow.toUTC().toISO(),
    });
  });
});

describe('Send slots reserved as messages are accepted', () => {
  it('When a paced instance accepts a batch, then each message holds its slot: stored scheduled for it, its job delayed to it', async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(HOUR_MS);
    await pacerBusyUntil(tenant, busyUntil);

    const response = await batch(tenant, [notification(), notification()]);

    expect(response.status).toBe(200);
    for (const [position, result] of response.body.results.entries()) {
      const slotMs = busyUntil + (position + 1) * SPACING_MS;
      expect(result.scheduled_for).toBe(iso(slotMs));
      expect(await statusOf(result.message_id)).toBe('queued');
      expect(await scheduledAt(result.message_id)).toBe(slotMs);
      // The dispatcher takes the job once, at its slot, holding the slot its first attempt owns.
      const job = await context.ingress.queue.queue.getJob(result.message_id);
      expect(await job?.getState()).toBe('delayed');
      expect(job?.data).toEqual({ messageId: result.message_id, paceSlotMs: slotMs, paceAttempt: 0 });
      // Delayed from when it was added (BullMQ stamps that itself, a moment after the reservation).
      expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThanOrEqual(slotMs);
      const events = await context.db.messages.queries.listEvents(result.message_id);
      expect(events.map((event) => [event.type, event.detail])).toEqual([
        ['accepted', null],
        ['scheduled', `paced for the instance; sends at ${iso(slotMs)}`],
      ]);
    }
  });

  it('When a notification is sent again, then the replay keeps no slot: the next new message follows the first without a hole', async () => {
    const tenant = await createTenant(context.db, { sending: PACE });
    const busyUntil = ahead(HOUR_MS);
    await pacerBusyUntil(tenant, busyUntil);
    const repeated = notification({ invoice_id: 'EST-REPLAYED' });

    const first = await single(tenant, repeated);
    const replay = await single(tenant, repeated);
    const next = await single(tenant, notification({ invoice_id: 'EST-AFTER-REPLAY' }));

    expect(replay.body.message_id).toBe(first.body.message_id);
    expect(first.body.scheduled_for).toBe(iso(busyUntil + SPACING_MS));
    expect(next.body.scheduled_for).toBe(iso(busyUntil + 2 * SPACING_MS));
  });
});

describe('Estimates while Redis is away', () => {
  it("When the pacer cannot be read, then a paced instance still accepts, estimated from Postgres's backlog alone", async () => {
    const unreachable = createIngressHarness(context.db, { redisUrl: 'redis://127.0.0.1:1' });
    try {
      const tenant = await createTenant(context.db, { sending: PACE });
      const response = await request(unreachable.app)
        .post(`/api/v1/billing/send-notifications?instance_id=${tenant.instance.id}`)
        .set('Authorization', `Bearer ${tenant.apiKey}`)
        .send({ notifications: [notification(), notification()] });

      expect(response.status).toBe(200);
      const [first, second] = response.body.results.map((result: { scheduled_for: string }) =>
        Date.parse(result.scheduled_for),
      );
      // Without the pacer's reading the spacing is the gap and half the jitter, without the margin.
      expect(second - first).toBe(PACE.pacingMinGapMs);
      expect(unreachable.logs.lines().map((line) => line.message)).toContain(
        'could not read the instance pacer; send times estimated without it',
      );
    } finally {
      await unreachable.close();
    }
  });
});
