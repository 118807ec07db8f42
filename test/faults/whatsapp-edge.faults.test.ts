import { DateTime } from 'luxon';
import { waitFor } from '../support/wait-for';
import type { FaultHarness } from './support/fault-harness';
import { pause, runScenario } from './support/run-scenario';

/** An admin key of the drill's tenant, for the management API (the QR Code tab's calls). */
async function adminKey(harness: FaultHarness): Promise<string> {
  const created = await harness.db.provisioning.apiKeys.create({
    accountId: harness.tenant.accountId,
    name: 'drill admin',
    permissions: ['admin'],
  });
  return created.secret;
}

/** A clock time (`HH:MM`) in the drill instance's time zone. */
function nairobiClock(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'Africa/Nairobi' }).toFormat('HH:mm');
}

describe('The WhatsApp edge', () => {
  it('When paced jobs wake late, inside quiet hours (their dispatcher was down), then none is sent before the quiet hours end', async () => {
    // Quiet hours are whole minutes: they start at a minute boundary far enough ahead for the run
    // to be accepted and partly sent before it, and last one minute.
    const now = Date.now();
    let quietStart = Math.ceil(now / 60_000) * 60_000;
    if (quietStart - now < 45_000) quietStart += 60_000;
    const quietEnd = quietStart + 60_000;
    let instanceName = '';
    const { report, violations } = await runScenario({
      name: 'late jobs during quiet hours',
      sending: {
        pacingMinGapMs: 2000,
        pacingJitterMs: 0,
        quietHours: { start: nairobiClock(quietStart), end: nairobiClock(quietEnd) },
      },
      // 50 slots about 2.2 s apart from the run's acceptance: they reach past the quiet hours' start,
      // which is 45 to 105 s ahead.
      load: { count: 50, concurrency: 5 },
      settleWithinMs: 240_000,
      async inject(harness, load) {
        instanceName = harness.tenant.instance.evolutionInstanceName;
        await waitFor(() => load.answers.length >= 50 || undefined, 'the run to be accepted', 60_000);
        // Every dispatcher dies a few seconds before the quiet hours; one comes back inside them.
        await pause(Math.max(0, quietStart - 4000 - Date.now()));
        for (const dispatcher of [...harness.dispatchers]) await harness.killDispatcher(dispatcher);
        await pause(Math.max(0, quietStart + 1500 - Date.now()));
        await harness.startDispatcher();
      },
      async afterwards(harness, _load, result) {
        // Some jobs did wake late, inside the quiet hours, and were planned again after them.
        const late: { n: number }[] = await harness.db.dataSource.query(
          `SELECT count(*)::int AS n FROM message_events e JOIN messages m ON m.id = e.message_id
           WHERE m.instance_id = $1 AND e.type = 'scheduled' AND e.detail LIKE 'quiet hours, then paced%'`,
          [harness.tenant.instance.id],
        );
        expect(late[0]!.n).toBeGreaterThan(0);
        const atNight = harness.sandbox
          .deliveries({ instance: instanceName })
          .filter((delivery) => delivery.receivedAt >= quietStart && delivery.receivedAt < quietEnd);
        expect(atNight).toEqual([]);
        expect(result.sent + result.failed).toBe(result.accepted);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 420_000);

  it('When the number is disconnected for longer than the whole retry budget and then re-paired through the connect API, then nothing fails and everything is sent once after it', async () => {
    const { report, violations } = await runScenario({
      name: 'number disconnected past the retry budget, re-paired by QR',
      evolutionWebhook: true,
      sending: { pacingMinGapMs: 100, pacingJitterMs: 0 },
      // A retry budget of well under a second: the disconnection outlasts it many times over.
      environment: { SEND_MAX_ATTEMPTS: '3', RETRY_BASE_MS: '100', RETRY_CAP_MS: '200' },
      load: { count: 50, concurrency: 5 },
      async inject(harness, load) {
        const name = harness.tenant.instance.evolutionInstanceName;
        // The whole run is accepted first (a disconnected number refuses new sends, as the guide says),
        // then the number drops while the paced backlog is going out.
        await waitFor(() => load.answers.length >= 50 || undefined, 'the run to be accepted', 60_000);
        harness.sandbox.disconnect(name, 428);
        await pause(5000);

        // The QR Code tab: Reconnect shows a QR, the phone scans it, the number is back.
        const key = await adminKey(harness);
        const connect = await fetch(
          `${harness.ingress.baseUrl}/api/v1/instances/${harness.tenant.instance.id}/connect`,
          { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } },
        );
        expect(connect.status).toBe(200);
        const body = (await connect.json()) as { state: string; qr: { image: string } | null };
        expect(body.qr?.image).toMatch(/^data:image\/png;base64,/);
        harness.sandbox.scanQrCode(name);
      },
      async afterwards(harness, _load, result) {
        expect(result.failed).toBe(0);
        expect(result.held).toBeGreaterThan(0);
        expect(result.sent).toBe(result.accepted);
        // Evolution saw a handful of sends while the number was down ("Connection Closed"), not
        // one per attempt of every queued message.
        const metrics = await (await fetch(harness.dispatchers[0]!.metricsUrl)).text();
        const closed = /^telenexus_send_duration_seconds_count\{classification="transient"\} (\d+)$/m.exec(
          metrics,
        );
        expect(Number(closed?.[1] ?? 0)).toBeLessThanOrEqual(5);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
    expect(report.accepted).toBe(report.requests);
  }, 180_000);

  it('When Redis is cut while paced sends are at Evolution, then what Evolution answered is still recorded: nothing is taken for ambiguous or sent twice', async () => {
    const { report, violations } = await runScenario({
      name: 'Redis cut while sends are at Evolution',
      // Jobs a lost connection or a dead process held wait for BullMQ's stall detection (up to a minute).
      settleWithinMs: 120_000,
      sending: { pacingMinGapMs: 50, pacingJitterMs: 0 },
      load: { count: 60, concurrency: 3, pauseMs: 30 },
      async inject(harness) {
        harness.sandbox.updateSettings({ latencyMs: 300 });
        await pause(1200);
        await harness.proxies.redis.setMode({ kind: 'reset' });
        await pause(1500);
        await harness.proxies.redis.setMode({ kind: 'pass' });
      },
      afterwards(_harness, _load, result) {
        expect(result.unconfirmed).toBe(0);
        expect(result.sent).toBe(result.accepted);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);

  it('When a billing system resubmits notifications that failed, after the cause was fixed, then each is sent once as a new message', async () => {
    let refusedNumbers: string[] = [];
    const { report, violations } = await runScenario({
      name: 'resubmission after failure',
      load: { count: 30, concurrency: 3, pauseMs: 20 },
      async inject(harness, load) {
        // The first six sends meet numbers not on WhatsApp; the rest go out.
        harness.sandbox.enqueueFaults(
          Array.from({ length: 6 }, () => ({
            kind: 'notOnWhatsApp' as const,
            instance: harness.tenant.instance.evolutionInstanceName,
          })),
        );
        const failed = await waitForFailures(harness, 6);
        refusedNumbers = failed;
        // The numbers are fixed on WhatsApp's side; the billing system posts the same notifications again.
        await load.resubmit(failed);
      },
      afterwards(_harness, load, result) {
        expect(result.failed).toBe(6);
        expect(load.answers.filter((answer) => refusedNumbers.includes(answer.invoiceId))).toHaveLength(12);
        expect(result.sent).toBe(result.accepted - 6);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);

  it('When Evolution takes some sends without answering and drops others, then the taken ones are confirmed and the dropped ones fail as unconfirmed by their deadline', async () => {
    const { report, violations } = await runScenario({
      name: 'ambiguous sends confirmed and never confirmed',
      load: { count: 60, concurrency: 3, pauseMs: 20 },
      async inject(harness) {
        const instance = harness.tenant.instance.evolutionInstanceName;
        harness.sandbox.enqueueFaults([
          ...Array.from({ length: 4 }, () => ({ kind: 'acceptThenReset' as const, instance })),
          ...Array.from({ length: 2 }, () => ({ kind: 'acceptThenHang' as const, instance })),
          ...Array.from({ length: 3 }, () => ({ kind: 'resetBeforeAccept' as const, instance })),
          ...Array.from({ length: 3 }, () => ({ kind: 'http500' as const, instance })),
        ]);
        await Promise.resolve();
      },
      afterwards(_harness, _load, result) {
        expect(result.unknown).toBe(0);
        expect(result.confirmed).toBe(6);
        expect(result.unconfirmed).toBe(6);
        expect(result.sent).toBe(54);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);
});

/** The invoices of the first `count` messages that failed as not on WhatsApp. */
function waitForFailures(harness: FaultHarness, count: number): Promise<string[]> {
  return waitFor(
    async () => {
      const rows: { invoice_id: string }[] = await harness.db.dataSource.query(
        "SELECT invoice_id FROM messages WHERE instance_id = $1 AND reason_code = 'not_on_whatsapp'",
        [harness.tenant.instance.id],
      );
      return rows.length >= count ? rows.map((row) => row.invoice_id) : undefined;
    },
    `${count} messages to fail as not on WhatsApp`,
    60_000,
  );
}
