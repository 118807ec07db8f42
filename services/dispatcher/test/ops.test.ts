import request from 'supertest';
import { createMetricsApp } from '@telenexus/observability';
import {
  parseSamples,
  samplesOf,
  targetLabelCollisions,
  type Sample,
} from '../../../test/support/prometheus-samples';
import { createTenant } from '../../../test/support/test-context';
import { createDispatcherMetrics } from '../src/dispatcher-metrics';
import { createOpsApp } from '../src/ops-app';
import { useDispatcher } from '../../../test/support/use-dispatcher';

/** The backlog is counted over the whole database, so this file has its own. */

const context = useDispatcher({ isolated: true, tenant: true });

beforeAll(async () => {
  await context.dispatcher.worker.pause(); // hold the work so the backlog stays put
});

function opsApp() {
  return createOpsApp({
    readinessChecks: { postgres: () => context.db.dataSource.query('SELECT 1') },
    queues: [context.dispatcher.queue.queue],
    backlogByInstance: () => context.db.messages.queries.backlogByInstance(),
  });
}

/** The metrics port's app as main.ts wires it, with one send of the tenant's instance recorded. */
function metricsApp() {
  const metrics = createDispatcherMetrics({
    version: 'test',
    queues: [context.dispatcher.queue.queue],
    backlogByInstance: () => context.db.messages.queries.backlogByInstance(),
    connectionStates: () => context.db.instances.connectionStates(),
  });
  metrics.sending.recordSend('sent', context.tenant.instance.id);
  return createMetricsApp(metrics.registry);
}

async function scrape(): Promise<Sample[]> {
  const response = await request(metricsApp()).get('/metrics');
  expect(response.status).toBe(200);
  return parseSamples(response.text);
}

describe('Dispatcher ops port', () => {
  it('When messages wait, some delayed (retries, pacing), then /backlog counts them all, by queue and by instance', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const message = await context.db.messages.acceptance.insertOutgoing({
        accountId: context.tenant.accountId,
        instanceId: context.tenant.instance.id,
        phoneNumber: '254712345678',
        customerName: 'Backlog',
        amount: '1',
        currency: 'KES',
        invoiceId: `BACKLOG-${index}`,
        dueDate: null,
        messageType: 'invoice',
      });
      ids.push(message.id);
    }
    await context.dispatcher.queue.enqueueSend(ids[0]!);
    await context.dispatcher.queue.enqueueSend(ids[1]!, 60_000); // a delayed retry, say

    const backlog = await request(opsApp()).get('/backlog');

    expect(backlog.status).toBe(200);
    expect(backlog.body).toEqual({
      total: 2,
      // What KEDA scales on: the delayed retry is not ready to run.
      ready: 1,
      by_queue: { notifications: { waiting: 1, delayed: 1, active: 0, prioritized: 0, total: 2, ready: 1 } },
      // Postgres counts the third message too: its job was lost, the sweeper will re-add it.
      by_instance: { [context.tenant.instance.id]: 3 },
    });
  });

  it('When the ops port is asked for /metrics, then it answers 404, and the metrics port serves nothing but /metrics', async () => {
    expect((await request(opsApp()).get('/metrics')).status).toBe(404);
    expect((await request(metricsApp()).get('/backlog')).status).toBe(404);
    expect((await request(metricsApp()).get('/healthz')).status).toBe(404);
  });

  it('When /metrics is scraped, then it has sends by instance and outcome, queue states and the backlog, with no service or version label', async () => {
    const metrics = await request(metricsApp()).get('/metrics');
    expect(metrics.text).toContain(
      `telenexus_sends_total{instance_id="${context.tenant.instance.id}",outcome="sent"} 1`,
    );
    expect(metrics.text).toContain('telenexus_queue_jobs{queue="notifications",state="delayed"} 1');
    expect(metrics.text).toContain('telenexus_queue_backlog{queue="notifications"} 2');
    expect(metrics.text).toContain(
      `telenexus_instance_backlog{instance_id="${context.tenant.instance.id}"} 3`,
    );
    expect(metrics.text).toContain('telenexus_build_info{version="test",component="dispatcher"} 1');
    expect(metrics.text).not.toMatch(/\bservice="/);
  });

  it("When /metrics is scraped, then Node's default metrics keep their standard names and no label name is one Prometheus sets on the target", async () => {
    const samples = await scrape();
    const names = new Set(samples.map((sample) => sample.name));
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    expect(targetLabelCollisions(samples)).toEqual([]);
  });

  it("When an instance's connection changes or it is deleted, then the next scrape shows each live instance once, in its state from Postgres", async () => {
    const closing = await createTenant(context.db);
    const deleted = await createTenant(context.db);
    await context.db.instances.updateConnectionState(closing.instance.id, 'open', 'test: paired');
    const before = await scrape();
    await context.db.instances.updateConnectionState(
      closing.instance.id,
      'close',
      'test: the number dropped',
    );
    await context.db.instances.softDelete(deleted.accountId, deleted.instance.id);
    const after = await scrape();

    const states = (samples: Sample[], instanceId: string) =>
      samplesOf(samples, 'telenexus_instance_connection_state', { instance_id: instanceId }).map((sample) => [
        sample.labels.state,
        sample.value,
      ]);
    expect(states(before, closing.instance.id)).toEqual([['open', 1]]);
    expect(states(before, deleted.instance.id)).toEqual([['unknown', 1]]);
    expect(states(after, closing.instance.id)).toEqual([['close', 1]]);
    expect(states(after, deleted.instance.id)).toEqual([]);
    expect(states(after, context.tenant.instance.id)).toEqual([['unknown', 1]]);
  });

  it('When probed, then /healthz and /readyz answer', async () => {
    const app = opsApp();
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(app).get('/readyz')).body).toEqual({ status: 'ok', checks: { postgres: 'ok' } });
  });
});
