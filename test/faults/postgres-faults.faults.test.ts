import { pause, runScenario } from './support/run-scenario';

describe('Postgres failing', () => {
  it('When Postgres stops, then ingress answers 503 with Retry-After quickly, never 200, and recovers without a restart', async () => {
    const outage: { status: number; ms: number; retryAfter: string | null }[] = [];
    const { report, violations } = await runScenario({
      name: 'Postgres stopped 3 s',
      load: { count: 100, concurrency: 4, pauseMs: 40 },
      async inject(harness) {
        await pause(600);
        await harness.proxies.postgres.setMode({ kind: 'refuse' });
        for (let probe = 0; probe < 3; probe += 1) {
          const started = Date.now();
          const response = await fetch(
            `${harness.ingress.baseUrl}/api/v1/billing/send-notification?instance_id=${harness.tenant.instance.id}`,
            {
              method: 'POST',
              headers: {
                'Content-Type': 'application/json',
                Authorization: `Bearer ${harness.tenant.apiKey}`,
              },
              body: JSON.stringify({
                phone_number: '254712345678',
                customer_name: 'Outage Probe',
                amount: 1,
                currency: 'KES',
                invoice_id: `PROBE-${probe}`,
                message_type: 'invoice',
              }),
            },
          );
          outage.push({
            status: response.status,
            ms: Date.now() - started,
            retryAfter: response.headers.get('retry-after'),
          });
          await pause(700);
        }
        await harness.proxies.postgres.setMode({ kind: 'pass' });
      },
      afterwards(_harness, load) {
        expect(outage.every((probe) => probe.status === 503 && probe.retryAfter !== null)).toBe(true);
        // Fails fast: the pool's connect timeout (1 s here), not a hung billing system.
        expect(Math.max(...outage.map((probe) => probe.ms))).toBeLessThan(2500);
        expect(load.answers.some((answer) => answer.retried > 0)).toBe(true);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);

  it('When Postgres dies right after Evolution accepted a send, then the send is recorded once it is back, never resent', async () => {
    const { report, violations } = await runScenario({
      name: 'Postgres dies after a send',
      load: { count: 60, concurrency: 3, pauseMs: 50 },
      async inject(harness) {
        harness.sandbox.updateSettings({ latencyMs: 400 });
        await pause(800);
        // A send is in flight at Evolution now; cut Postgres before the dispatcher records it.
        await harness.proxies.postgres.setMode({ kind: 'refuse' });
        await pause(2500);
        await harness.proxies.postgres.setMode({ kind: 'pass' });
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);

  it('When a billing system posts every notification twice at once while Postgres blips, then both requests name the same message, stored and sent once', async () => {
    const { report, violations } = await runScenario({
      name: 'Every notification posted twice at once, Postgres refusing 1.5 s',
      load: { count: 60, concurrency: 4, pauseMs: 30, twice: true },
      async inject(harness) {
        await pause(500);
        await harness.proxies.postgres.setMode({ kind: 'refuse' });
        await pause(1500);
        await harness.proxies.postgres.setMode({ kind: 'pass' });
      },
      async afterwards(harness, load) {
        const byInvoice = new Map<string, (string | undefined)[]>();
        for (const answer of load.answers) {
          byInvoice.set(answer.invoiceId, [...(byInvoice.get(answer.invoiceId) ?? []), answer.messageId]);
        }
        const accepted = [...byInvoice.values()].filter((ids) => ids.every((id) => id !== undefined));
        expect(accepted.length).toBeGreaterThan(0);
        // Both requests of a notification answered 200 with one and the same message…
        for (const ids of accepted) expect(new Set(ids).size).toBe(1);
        // …and one message was stored per notification, whichever request stored it.
        const [row] = await harness.db.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM messages WHERE invoice_id = ANY($1::text[])',
          [[...byInvoice.keys()]],
        );
        expect(row?.n).toBe(byInvoice.size);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);
});
