import { randomUUID } from 'node:crypto';
import { DEFAULT_WEBHOOK_CIRCUIT_POLICY, mintWebhookSecret, type WebhookEndpoint } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  type ClaimedWebhookDelivery,
} from '../src';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createTenant } from '../../../test/support/test-context';
import { testSecretBox } from '../../../test/support/test-secrets';

/**
 * The capped claim: however many dispatchers claim at once, an endpoint never has more deliveries in
 * flight than its cap, and an endpoint at its cap does not keep others' deliveries from being claimed.
 * An isolated database: a claim takes whatever is due in it.
 */
const context = useTestDatabase({ isolated: true });
const LEASE_MS = 60_000;
/** Two dispatchers, each with a connection pool of its own. */
const dispatchers: { dataSource: DataSource; deliveries: WebhookDeliveryRepository }[] = [];
let endpoints: WebhookEndpointRepository;

beforeAll(async () => {
  endpoints = new WebhookEndpointRepository(context.db.dataSource, context.db.secrets);
  for (let i = 0; i < 2; i += 1) {
    const dataSource = createDataSource({ url: context.url, poolSize: 6 });
    await dataSource.initialize();
    dispatchers.push({
      dataSource,
      deliveries: new WebhookDeliveryRepository(dataSource, testSecretBox(), { maxInFlightPerEndpoint: 2 }),
    });
  }
});

afterEach(async () => {
  // Each test starts with nothing pending: its claims must find only its own deliveries.
  await context.db.dataSource.query(
    "UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'",
  );
});

afterAll(async () => {
  await Promise.all(dispatchers.map(({ dataSource }) => dataSource.destroy()));
});

async function endpointWithDue(count: number, dueAgoMs: number): Promise<WebhookEndpoint> {
  const tenant = await createTenant(context.db, { permissions: ['admin'] });
  const endpoint = await endpoints.create({
    accountId: tenant.accountId,
    url: `https://hooks.example.com/${randomUUID()}`,
    description: null,
    secret: mintWebhookSecret(),
    events: ['message.sent'],
  });
  await context.db.dataSource.query(
    `INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, payload, next_attempt_at)
     SELECT $1, $2, gen_random_uuid(), 'message.sent', '{}'::json, now() - ($3 || ' milliseconds')::interval
       FROM generate_series(1, $4)`,
    [endpoint.id, tenant.accountId, dueAgoMs, count],
  );
  return endpoint;
}

function claimedOf(claims: ClaimedWebhookDelivery[][], endpointId: string): ClaimedWebhookDelivery[] {
  return claims.flat().filter((claimed) => claimed.delivery.endpointId === endpointId);
}

async function leasedCount(endpointId: string): Promise<number> {
  const [row] = await context.db.dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM webhook_deliveries
      WHERE endpoint_id = $1 AND status = 'pending' AND leased_until > now()`,
    [endpointId],
  );
  return row?.n ?? 0;
}

describe('Capped webhook delivery claims', () => {
  it('When two dispatchers claim at once over their own connections, then an endpoint never has more than its cap in flight', async () => {
    const endpoint = await endpointWithDue(40, 1000);

    // Many claims racing from both dispatchers, several rounds, none of them recording a result.
    const claims: ClaimedWebhookDelivery[][] = [];
    for (let round = 0; round < 5; round += 1) {
      const racing = dispatchers.flatMap(({ deliveries }) =>
        Array.from({ length: 5 }, () => deliveries.claimDue(10, new Date(), LEASE_MS)),
      );
      claims.push(...(await Promise.all(racing)));
    }

    expect(claimedOf(claims, endpoint.id)).toHaveLength(2);
    expect(await leasedCount(endpoint.id)).toBe(2);
  });

  it('When an attempt is recorded, then its slot is free for the next claim', async () => {
    const endpoint = await endpointWithDue(5, 1000);
    const [first] = dispatchers;
    const claimed = await first!.deliveries.claimDue(10, new Date(), LEASE_MS);
    expect(claimedOf([claimed], endpoint.id)).toHaveLength(2);

    const done = claimed[0]!;
    await first!.deliveries.recordAttempt({
      deliveryId: done.delivery.id,
      claimedAttempts: done.delivery.attempts,
      attemptedAt: new Date(),
      finishedAt: new Date(),
      durationMs: 3,
      statusCode: 200,
      error: null,
      outcome: { kind: 'delivered' },
    });
    const next = await dispatchers[1]!.deliveries.claimDue(10, new Date(), LEASE_MS);

    expect(claimedOf([next], endpoint.id)).toHaveLength(1);
    expect(await leasedCount(endpoint.id)).toBe(2);
  });

  it('When a dispatcher dies with leases held, then they stop counting once they run out', async () => {
    const endpoint = await endpointWithDue(5, 1000);
    const [first, second] = dispatchers;
    expect(claimedOf([await first!.deliveries.claimDue(10, new Date(), 1)], endpoint.id)).toHaveLength(2);

    // The claim's clock a second on: the 1 ms leases have run out and nothing was recorded.
    const later = new Date(Date.now() + 1000);
    const reclaimed = await second!.deliveries.claimDue(10, later, LEASE_MS);

    expect(claimedOf([reclaimed], endpoint.id)).toHaveLength(2);
  });

  it('When an endpoint with the oldest backlog is at its cap, then the free slots go to other endpoints', async () => {
    const slow = await endpointWithDue(50, 60_000);
    const others = [await endpointWithDue(3, 1000), await endpointWithDue(3, 1000)];
    const [first] = dispatchers;

    const claimed = await first!.deliveries.claimDue(10, new Date(), LEASE_MS);
    const again = await first!.deliveries.claimDue(10, new Date(), LEASE_MS);

    expect(claimedOf([claimed, again], slow.id)).toHaveLength(2);
    for (const other of others) expect(claimedOf([claimed, again], other.id)).toHaveLength(2);
  });

  it('When an endpoint is open, disabled or probed, then the claim follows its circuit', async () => {
    const endpoint = await endpointWithDue(5, 1000);
    const [first] = dispatchers;
    const claimNow = async () =>
      claimedOf([await first!.deliveries.claimDue(10, new Date(), LEASE_MS)], endpoint.id);
    const setCircuit = (sql: string) =>
      context.db.dataSource.query(`UPDATE webhook_endpoints SET ${sql} WHERE id = $1`, [endpoint.id]);

    await setCircuit(`consecutive_failures = 5, next_probe_at = now() + interval '1 minute'`);
    expect(await claimNow()).toHaveLength(0);

    await setCircuit(`next_probe_at = now() - interval '1 second'`);
    expect(await claimNow()).toHaveLength(1);
    // The probe is in flight: no second one, however many claims come.
    expect(await claimNow()).toHaveLength(0);

    await context.db.dataSource.query(
      `UPDATE webhook_deliveries SET leased_until = NULL, next_attempt_at = now() - interval '1 second'
        WHERE endpoint_id = $1 AND status = 'pending'`,
      [endpoint.id],
    );
    await setCircuit(`disabled_at = now()`);
    expect(await claimNow()).toHaveLength(0);
    const [row] = await context.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending'`,
      [endpoint.id],
    );
    expect(row?.n).toBe(5);
  });

  it('When a probe of an open circuit succeeds, then the circuit closes and every waiting delivery is due at once', async () => {
    const endpoint = await endpointWithDue(4, 1000);
    const [first] = dispatchers;
    // Open, its probe due, and the other deliveries backing off far into the future.
    await context.db.dataSource.query(
      `UPDATE webhook_endpoints SET consecutive_failures = 7, failing_since = now() - interval '1 hour',
              next_probe_at = now() - interval '1 second' WHERE id = $1`,
      [endpoint.id],
    );
    const [probe] = claimedOf([await first!.deliveries.claimDue(10, new Date(), LEASE_MS)], endpoint.id);
    await context.db.dataSource.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour'
        WHERE endpoint_id = $1 AND status = 'pending' AND leased_until IS NULL`,
      [endpoint.id],
    );

    const finishedAt = new Date();
    await first!.deliveries.recordAttempt({
      deliveryId: probe!.delivery.id,
      claimedAttempts: probe!.delivery.attempts,
      attemptedAt: finishedAt,
      finishedAt,
      durationMs: 4,
      statusCode: 204,
      error: null,
      outcome: { kind: 'delivered' },
    });

    const closed = await endpoints.findForAccount(endpoint.accountId, endpoint.id);
    expect(closed?.circuit).toMatchObject({ consecutiveFailures: 0, failingSince: null, nextProbeAt: null });
    const resumed = claimedOf([await first!.deliveries.claimDue(10, new Date(), LEASE_MS)], endpoint.id);
    expect(resumed).toHaveLength(2);
  });

  it('When an endpoint keeps failing, then the breaker opens, disables it with an audit record, and an admin enabling it resumes its deliveries', async () => {
    const endpoint = await endpointWithDue(3, 1000);
    const policy = { ...DEFAULT_WEBHOOK_CIRCUIT_POLICY, failureThreshold: 2, disableAfterMs: 60_000 };
    const deliveries = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets, {
      circuit: policy,
    });
    const failAt = async (claimed: ClaimedWebhookDelivery, atMs: number) =>
      deliveries.recordAttempt({
        deliveryId: claimed.delivery.id,
        claimedAttempts: claimed.delivery.attempts,
        attemptedAt: new Date(atMs - 5),
        finishedAt: new Date(atMs),
        durationMs: 5,
        statusCode: 500,
        error: null,
        outcome: {
          kind: 'retry',
          lastError: 'The endpoint answered HTTP 500',
          nextAttemptAt: new Date(atMs),
        },
      });
    const start = Date.now();
    const claimed = claimedOf([await deliveries.claimDue(10, new Date(start), LEASE_MS)], endpoint.id);
    await failAt(claimed[0]!, start);
    await failAt(claimed[1]!, start + 1);
    const open = await endpoints.findForAccount(endpoint.accountId, endpoint.id);
    expect(open?.circuit).toMatchObject({
      consecutiveFailures: 2,
      nextProbeAt: new Date(start + 1 + 30_000),
    });

    const probe = claimedOf([await deliveries.claimDue(10, new Date(start + 31_000), LEASE_MS)], endpoint.id);
    expect(probe).toHaveLength(1);
    await failAt(probe[0]!, start + 61_000);
    const disabled = await endpoints.findForAccount(endpoint.accountId, endpoint.id);
    expect(disabled?.circuit.disabledAt).toEqual(new Date(start + 61_000));
    const audit = await context.db.dataSource.query<
      { action: string; actor_kind: string; outcome: string; detail: string }[]
    >(`SELECT action, actor_kind, outcome, detail FROM audit_events WHERE target_id = $1`, [endpoint.id]);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'webhook_endpoint.auto_disable',
        actor_kind: 'system',
        outcome: 'succeeded',
      }),
    ]);
    expect(await deliveries.claimDue(10, new Date(start + 10 * 3_600_000), LEASE_MS)).toHaveLength(0);

    const enabled = await endpoints.update(endpoint.accountId, endpoint.id, { enabled: true });
    expect(enabled?.circuit).toMatchObject({ consecutiveFailures: 0, nextProbeAt: null, disabledAt: null });
    const resumed = claimedOf([await deliveries.claimDue(10, new Date(), LEASE_MS)], endpoint.id);
    expect(resumed).toHaveLength(2);
  });

  describe('Handing a lease over after a success', () => {
    const succeeded = (claimed: ClaimedWebhookDelivery, at = new Date()) => ({
      deliveryId: claimed.delivery.id,
      claimedAttempts: claimed.delivery.attempts,
      attemptedAt: at,
      finishedAt: at,
      durationMs: 2,
      statusCode: 200,
      error: null,
      outcome: { kind: 'delivered' } as const,
    });
    const handOver = () => ({ now: new Date(), leasedUntil: new Date(Date.now() + LEASE_MS) });

    it("When a success hands its lease over, then the endpoint's next due delivery is claimed in its place and the cap still holds for every dispatcher", async () => {
      const endpoint = await endpointWithDue(6, 1000);
      const [first, second] = dispatchers;
      const claimed = claimedOf([await first!.deliveries.claimDue(10, new Date(), LEASE_MS)], endpoint.id);
      expect(claimed).toHaveLength(2);

      // Both slots succeed at once, each handing its lease over; the other dispatcher claims meanwhile.
      const [a, b, rival] = await Promise.all([
        first!.deliveries.recordAttemptAndTakeNext(succeeded(claimed[0]!), handOver()),
        first!.deliveries.recordAttemptAndTakeNext(succeeded(claimed[1]!), handOver()),
        second!.deliveries.claimDue(10, new Date(), LEASE_MS),
      ]);

      expect(a.delivery?.status).toBe('delivered');
      expect(b.delivery?.status).toBe('delivered');
      const taken = [a.next, b.next, ...claimedOf([rival], endpoint.id)].filter((next) => next !== null);
      expect(taken).toHaveLength(2);
      expect(new Set(taken.map((next) => next.delivery.id)).size).toBe(2);
      for (const next of taken) {
        expect(next).toMatchObject({ url: endpoint.url, delivery: { attempts: 1, endpointId: endpoint.id } });
      }
      expect(await leasedCount(endpoint.id)).toBe(2);
    });

    it('When the endpoint has nothing more due, then the success only releases its lease', async () => {
      const endpoint = await endpointWithDue(1, 1000);
      const [first] = dispatchers;
      const [only] = claimedOf([await first!.deliveries.claimDue(10, new Date(), LEASE_MS)], endpoint.id);

      const recorded = await first!.deliveries.recordAttemptAndTakeNext(succeeded(only!), handOver());

      expect(recorded.next).toBeNull();
      expect(await leasedCount(endpoint.id)).toBe(0);
    });

    it('When the lease ran out and a later claim owns the delivery, or the endpoint was disabled, then nothing is handed over', async () => {
      const endpoint = await endpointWithDue(6, 1000);
      const [first, second] = dispatchers;
      const [stale] = claimedOf([await first!.deliveries.claimDue(10, new Date(), 1)], endpoint.id);
      // A second on, the 1 ms leases have run out and the other dispatcher claimed both again.
      const later = new Date(Date.now() + 1000);
      expect(claimedOf([await second!.deliveries.claimDue(10, later, LEASE_MS)], endpoint.id)).toHaveLength(
        2,
      );

      const late = await first!.deliveries.recordAttemptAndTakeNext(succeeded(stale!, later), {
        now: later,
        leasedUntil: new Date(later.getTime() + LEASE_MS),
      });
      expect(late.next).toBeNull();

      const other = await endpointWithDue(6, 1000);
      const [current] = claimedOf([await first!.deliveries.claimDue(10, new Date(), LEASE_MS)], other.id);
      await context.db.dataSource.query('UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1', [
        other.id,
      ]);
      const disabled = await first!.deliveries.recordAttemptAndTakeNext(succeeded(current!), handOver());
      expect(disabled.delivery?.status).toBe('delivered');
      expect(disabled.next).toBeNull();
    });
  });
});
