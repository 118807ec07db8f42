import request from 'supertest';
import type { HostResolver } from '@telenexus/core';
import { sentMessage } from '../../../test/support/sent-message';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const resolveHost: HostResolver = (hostname) =>
  hostname.endsWith('.example.com')
    ? Promise.resolve(['93.184.216.34'])
    : Promise.reject(new Error(`ENOTFOUND ${hostname}`));

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

const context = useIngress({ resolveHost });

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

async function createEndpoint(tenant: Tenant, host: string): Promise<string> {
  const response = await request(context.ingress.app)
    .post('/api/v1/webhook-endpoints')
    .set(as(tenant))
    .send({ url: `https://${host}/telenexus` });
  expect(response.status).toBe(201);
  return String(response.body.id);
}

/** A message taken through sent and delivered: a `message.sent` and a `message.delivered` event for every endpoint. */
async function deliveredMessage(tenant: Tenant): Promise<void> {
  const { providerMessageId } = await sentMessage(context.db, tenant);
  await context.db.messages.statuses.applyReceipt(
    tenant.instance.id,
    providerMessageId,
    'delivered',
    'DELIVERY_ACK',
  );
}

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  payload: string;
  created_at: Date;
}

async function deliveriesOf(endpointId: string): Promise<DeliveryRow[]> {
  return context.db.dataSource.query(
    `SELECT id, event_id, event_type, status, attempts, payload::text AS payload, created_at
       FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at, id`,
    [endpointId],
  );
}

/**
 * Gives a delivery the history a real outage leaves behind: when it was created, and what became of
 * it (delivered before the outage, failed after the retries ran out, still pending).
 */
async function setHistory(
  id: string,
  createdAt: Date,
  outcome: 'delivered' | 'failed' | 'pending',
): Promise<void> {
  await context.db.dataSource.query(
    `UPDATE webhook_deliveries
        SET created_at = $2::timestamptz, status = $3::text,
            attempts = CASE $3::text WHEN 'delivered' THEN 1 WHEN 'failed' THEN 14 ELSE 3 END,
            delivered_at = CASE WHEN $3::text = 'delivered' THEN $2::timestamptz END,
            failed_at = CASE WHEN $3::text = 'failed' THEN $2::timestamptz + interval '24 hours' END,
            last_status_code = CASE WHEN $3::text = 'delivered' THEN 200 ELSE 503 END,
            last_error = CASE WHEN $3::text = 'delivered' THEN NULL ELSE 'HTTP 503' END
      WHERE id = $1`,
    [id, createdAt, outcome],
  );
}

function replay(tenant: Tenant, endpointId: string, body: object) {
  return request(context.ingress.app)
    .post(`/api/v1/webhook-endpoints/${endpointId}/replay`)
    .set(as(tenant))
    .send(body);
}

/**
 * An account with a receiver that went down (A) and one that stayed up (B), seven messages two
 * hours apart: two before the outage (delivered at A), three during it (failed after the retries,
 * or still pending, at A), two after it (delivered again). The outage is [start, end).
 */
async function outage() {
  const tenant = await createTenant(context.db, { permissions: ['admin'] });
  const down = await createEndpoint(tenant, 'down.example.com');
  const healthy = await createEndpoint(tenant, 'healthy.example.com');
  for (let index = 0; index < 7; index += 1) await deliveredMessage(tenant);
  const start = new Date(Date.now() - 12 * HOUR_MS);
  const end = new Date(start.getTime() + 5 * HOUR_MS);
  const rows = await deliveriesOf(down);
  expect(rows).toHaveLength(14);
  // Each message's sent and delivered events, a minute apart; message m at start + (m - 2) * 2 h.
  for (const [index, row] of rows.entries()) {
    const message = Math.floor(index / 2);
    const createdAt = new Date(start.getTime() + (message - 2) * 2 * HOUR_MS + (index % 2) * 60_000);
    const during = createdAt >= start && createdAt < end;
    await setHistory(row.id, createdAt, !during ? 'delivered' : message === 4 ? 'pending' : 'failed');
  }
  const missed = (await deliveriesOf(down)).filter((row) => row.created_at >= start && row.created_at < end);
  expect(missed).toHaveLength(6);
  return { tenant, down, healthy, start, end, missed };
}

describe('Replaying a window of events to an endpoint that was down', () => {
  it('When the window is replayed, then each event of it is queued again once, with a new delivery id and its own event id, type and payload, and the other endpoint is untouched', async () => {
    const { tenant, down, healthy, start, end, missed } = await outage();
    expect(new Set(missed.map((row) => row.status))).toEqual(new Set(['failed', 'pending']));
    const before = await deliveriesOf(down);
    const healthyBefore = await deliveriesOf(healthy);

    const response = await replay(tenant, down, {
      since: start.toISOString(),
      until: end.toISOString(),
    });

    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      replayed: missed.length,
      since: start.toISOString(),
      until: end.toISOString(),
      types: null,
    });
    const after = await deliveriesOf(down);
    const beforeIds = new Set(before.map((row) => row.id));
    const copies = after.filter((row) => !beforeIds.has(row.id));
    expect(copies).toHaveLength(missed.length);
    expect(copies.map((row) => ({ ...row, id: undefined, created_at: undefined })).sort(byEvent)).toEqual(
      missed
        .map((row) => ({
          ...row,
          id: undefined,
          created_at: undefined,
          status: 'pending',
          attempts: 0,
        }))
        .sort(byEvent),
    );
    // The history is kept as it was: the replay adds deliveries, it does not reopen old ones.
    expect(after.filter((row) => beforeIds.has(row.id))).toEqual(before);
    expect(await deliveriesOf(healthy)).toEqual(healthyBefore);

    const audit = await context.db.dataSource.query(
      `SELECT action, outcome, target_type, target_id, detail, changes FROM audit_events
        WHERE account_id = $1 AND action = 'webhook_endpoint.replay'`,
      [tenant.accountId],
    );
    expect(audit).toEqual([
      {
        action: 'webhook_endpoint.replay',
        outcome: 'succeeded',
        target_type: 'webhook_endpoint',
        target_id: down,
        detail: `${missed.length} event(s) from ${start.toISOString()} to ${end.toISOString()} queued for redelivery`,
        changes: { before: null, after: response.body },
      },
    ]);
  });

  it('When types are named, then only events of those types in the window are queued again', async () => {
    const { tenant, down, start, end, missed } = await outage();

    const response = await replay(tenant, down, {
      since: start.toISOString(),
      until: end.toISOString(),
      types: ['message.delivered'],
    });

    expect(response.status).toBe(202);
    const expected = missed.filter((row) => row.event_type === 'message.delivered');
    expect(expected.length).toBeGreaterThan(0);
    expect(response.body).toMatchObject({ replayed: expected.length, types: ['message.delivered'] });
    const pendingNew = (await deliveriesOf(down)).filter((row) => row.attempts === 0);
    expect(pendingNew.map((row) => row.event_id).sort()).toEqual(expected.map((row) => row.event_id).sort());
  });

  it('When the window holds an earlier replay of the same events, then each event is queued once more, not twice', async () => {
    const { tenant, down, start, missed } = await outage();
    expect((await replay(tenant, down, { since: start.toISOString() })).body.replayed).toBe(
      // Without until, the window runs to now: the two messages after the outage are in it too.
      missed.length + 4,
    );

    // The window now holds every event twice: its original delivery and the first replay's.
    const again = await replay(tenant, down, { since: start.toISOString() });

    expect(again.status).toBe(202);
    expect(again.body.replayed).toBe(missed.length + 4);
    const perEvent = new Map<string, number>();
    for (const row of await deliveriesOf(down)) {
      if (row.created_at >= start) perEvent.set(row.event_id, (perEvent.get(row.event_id) ?? 0) + 1);
    }
    expect(new Set(perEvent.values())).toEqual(new Set([3]));
  });

  it('When until is left out or later than now, then the window ends now', async () => {
    const tenant = await createTenant(context.db, { permissions: ['admin'] });
    const endpoint = await createEndpoint(tenant, 'now.example.com');
    const asked = Date.now();

    const response = await replay(tenant, endpoint, {
      since: new Date(asked - HOUR_MS).toISOString(),
      until: new Date(asked + DAY_MS).toISOString(),
    });

    expect(response.status).toBe(202);
    expect(response.body.replayed).toBe(0);
    const until = Date.parse(String(response.body.until));
    expect(until).toBeGreaterThanOrEqual(asked);
    expect(until).toBeLessThanOrEqual(Date.now());
  });
});

describe('What a replay refuses', () => {
  let tenant: Tenant;
  let endpoint: string;
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS).toISOString();

  beforeAll(async () => {
    tenant = await createTenant(context.db, { permissions: ['admin'] });
    endpoint = await createEndpoint(tenant, 'refusals.example.com');
  });

  it.each([
    ['no since', {}, 'since: is required'],
    [
      'a since without an offset',
      { since: '2026-02-01T08:00:00' },
      'since: must be an ISO 8601 date-time with offset, e.g. 2026-02-01T08:00:00+03:00',
    ],
    [
      'a date for until',
      { since: hoursAgo(5), until: '2026-02-01' },
      'until: must be an ISO 8601 date-time with offset, e.g. 2026-02-01T08:00:00+03:00',
    ],
    ['until before since', { since: hoursAgo(1), until: hoursAgo(2) }, 'since: must be before until'],
    [
      'since in the future',
      { since: new Date(Date.now() + HOUR_MS).toISOString() },
      'since: must be in the past',
    ],
    [
      'a window over 30 days',
      { since: hoursAgo(31 * 24), until: hoursAgo(1) },
      'since: must be at most 30 days before until; replay a longer outage in parts',
    ],
    [
      'an unknown event type',
      { since: hoursAgo(5), types: ['message.sent', 'invoice.paid'] },
      expect.stringMatching(/^types\.1: must be one of: /),
    ],
    [
      'no event type',
      { since: hoursAgo(5), types: [] },
      'types: must name at least one event type, or be left out for every type',
    ],
    ['an unknown field', { since: hoursAgo(5), endpoint_id: 'x' }, 'endpoint_id: is not a recognised field'],
  ])('When the body has %s, then it answers 400 naming the field', async (_case, body, detail) => {
    const response = await replay(tenant, endpoint, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed', detail });
  });

  it('When a window of exactly 30 days is asked for, then it is accepted', async () => {
    const until = new Date();
    const response = await replay(tenant, endpoint, {
      since: new Date(until.getTime() - 30 * DAY_MS).toISOString(),
      until: until.toISOString(),
    });
    expect(response.status).toBe(202);
  });

  it('When the endpoint is disabled, then it answers 409 in words and queues nothing', async () => {
    const disabled = await createEndpoint(tenant, 'disabled.example.com');
    await deliveredMessage(tenant);
    expect(
      (
        await request(context.ingress.app)
          .patch(`/api/v1/webhook-endpoints/${disabled}`)
          .set(as(tenant))
          .send({ enabled: false })
      ).status,
    ).toBe(200);
    const before = await deliveriesOf(disabled);

    const response = await replay(tenant, disabled, { since: hoursAgo(1) });

    expect(response.status).toBe(409);
    expect(response.body).toEqual(
      problem(
        'conflict',
        'The webhook endpoint is disabled, so it would receive nothing; enable it before replaying',
      ),
    );
    expect(await deliveriesOf(disabled)).toEqual(before);
  });

  it('When the endpoint is failing (circuit open, or disabled by the breaker), then the replay is accepted and its deliveries wait', async () => {
    for (const circuit of [
      `consecutive_failures = 5, failing_since = now() - interval '1 hour', next_probe_at = now() + interval '1 hour'`,
      `consecutive_failures = 40, failing_since = now() - interval '4 days', disabled_at = now()`,
    ]) {
      const failing = await createEndpoint(tenant, 'failing.example.com');
      await deliveredMessage(tenant);
      await context.db.dataSource.query(`UPDATE webhook_endpoints SET ${circuit} WHERE id = $1`, [failing]);

      const response = await replay(tenant, failing, { since: hoursAgo(1) });

      expect(response.status).toBe(202);
      expect(response.body.replayed).toBe(2);
      expect((await deliveriesOf(failing)).map((row) => row.status)).toEqual([
        'pending',
        'pending',
        'pending',
        'pending',
      ]);
    }
  });

  it('When the endpoint was deleted or the id is not a uuid, then it answers 404', async () => {
    const deleted = await createEndpoint(tenant, 'deleted.example.com');
    await request(context.ingress.app).delete(`/api/v1/webhook-endpoints/${deleted}`).set(as(tenant));

    for (const id of [deleted, 'not-a-uuid']) {
      const response = await replay(tenant, id, { since: hoursAgo(1) });
      expect({ status: response.status, body: response.body }).toEqual({
        status: 404,
        body: problem('not_found', 'Webhook endpoint not found'),
      });
    }
  });

  it('When the window holds more than 10,000 deliveries, then nothing is queued and the answer says to narrow it', async () => {
    const busy = await createEndpoint(tenant, 'busy.example.com');
    const since = new Date(Date.now() - 3 * HOUR_MS);
    // 10,001 events of an earlier outage, a second apart: more than one replay may take.
    await context.db.dataSource.query(
      `INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, payload, status, created_at)
       SELECT $1, $2, gen_random_uuid(), 'message.sent', '{}'::json, 'failed', $3::timestamptz + n * interval '1 second'
         FROM generate_series(0, 10000) AS n`,
      [busy, tenant.accountId, since],
    );

    const tooMany = await replay(tenant, busy, { since: since.toISOString() });

    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toBe(
      'since: the window holds more than 10,000 deliveries to this endpoint; replay it in shorter windows ' +
        '(a later since or an earlier until)',
    );
    expect(await deliveriesOf(busy)).toHaveLength(10_001);

    const part = await replay(tenant, busy, {
      since: since.toISOString(),
      until: new Date(since.getTime() + 10_000 * 1000).toISOString(),
    });
    expect(part.status).toBe(202);
    expect(part.body.replayed).toBe(10_000);
    // No delivery worker runs on this database, but nothing should be left owed to a made-up host.
    await context.db.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed' WHERE endpoint_id = $1 AND status = 'pending'`,
      [busy],
    );
  });
});

function byEvent(a: { event_id: string; event_type: string }, b: { event_id: string; event_type: string }) {
  return `${a.event_id}${a.event_type}`.localeCompare(`${b.event_id}${b.event_type}`);
}
