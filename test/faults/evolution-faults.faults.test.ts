import { EvolutionHttpClient } from '@telenexus/evolution';
import { EVOLUTION_WEBHOOK_EVENTS, evolutionWebhookUrl } from '@telenexus/provisioning';
import { waitFor } from '../support/wait-for';
import { FAULT_SANDBOX_KEY } from './support/fault-harness';
import { pause, runScenario } from './support/run-scenario';
import { issueWebhookCredentials } from '../support/webhook-credentials';

describe('Evolution misbehaving', () => {
  it('When Evolution fails often (5xx, 429 with Retry-After, numbers not on WhatsApp), then retries deliver the rest exactly once', async () => {
    const { report, violations } = await runScenario({
      name: 'flaky Evolution (500/429/exists:false)',
      load: { count: 100, concurrency: 4, pauseMs: 20 },
      async inject(harness) {
        harness.sandbox.setFaultProbabilities({
          connectionClosed500: 0.2,
          rateLimit429: 0.1,
          notOnWhatsApp: 0.05,
        });
        await pause(4000);
        harness.sandbox.setFaultProbabilities({});
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
    expect(report.sent + report.failed).toBe(report.accepted);
  }, 180_000);

  it('When receipts arrive twice and out of order, then every message only moves forward', async () => {
    let readIds: string[] = [];
    const { report, violations } = await runScenario({
      name: 'duplicate and out-of-order receipts',
      load: { count: 40, concurrency: 4, pauseMs: 20 },
      async inject(harness, load) {
        // Point the sandbox's webhooks at ingress, as creating the instance through the API would.
        const { token, jwtKey } = await issueWebhookCredentials(harness.db, harness.tenant.instance.id);
        const instance = (await harness.db.instances.findById(harness.tenant.instance.id))!;
        const evolution = new EvolutionHttpClient({
          baseUrl: harness.sandboxUrl,
          globalApiKey: FAULT_SANDBOX_KEY,
        });
        await evolution.setWebhook(
          { instanceName: instance.evolutionInstanceName },
          {
            url: evolutionWebhookUrl(harness.ingress.baseUrl, instance.id, token),
            events: EVOLUTION_WEBHOOK_EVENTS,
            jwtKey,
          },
        );
        evolution.close();
        await waitFor(() => (load.answers.length >= 40 ? true : undefined), 'the load to be posted', 60_000);
        const sent = await waitFor(async () => {
          const rows: { provider_message_id: string; id: string }[] = await harness.db.dataSource.query(
            "SELECT id, provider_message_id FROM messages WHERE status = 'sent' AND instance_id = $1",
            [instance.id],
          );
          return rows.length >= 40 ? rows : undefined;
        }, 'the messages to be sent');
        // READ first, then late and repeated DELIVERY_ACK and SERVER_ACK, for every message.
        for (const row of sent) {
          for (const status of ['READ', 'DELIVERY_ACK', 'READ', 'SERVER_ACK', 'DELIVERY_ACK'] as const) {
            harness.sandbox.emitReceipt({
              instance: instance.evolutionInstanceName,
              keyId: row.provider_message_id,
              status,
            });
          }
        }
        readIds = sent.map((row) => row.id);
        await harness.sandbox.whenIdle();
      },
      async afterwards(harness) {
        const rows: { status: string }[] = await harness.db.dataSource.query(
          'SELECT status FROM messages WHERE id = ANY($1::uuid[])',
          [readIds],
        );
        expect(rows.map((row) => row.status)).toEqual(readIds.map(() => 'read'));
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);
});
