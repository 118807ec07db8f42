import request from 'supertest';
import { createMetricsRegistry, queueMetrics, sendMetrics } from '../../../packages/observability/src';
import {
  createIsolatedTestDatabase,
  type IsolatedTestDatabase,
} from '../../../test/support/isolated-test-database';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
} from '../../../test/support/test-context';
import { createOpsApp } from '../src/ops-app';
import { createDispatcherHarness, type DispatcherHarness } from './dispatcher-harness';

/** The backlog is counted over the whole database, so this file has its own. */
let isolated: IsolatedTestDatabase;
let db: DatabaseContext;
let dispatcher: DispatcherHarness;
let tenant: Tenant;

beforeAll(async () => {
  isolated = await createIsolatedTestDatabase();
  db = await openTestDatabase(isolated.url);
  dispatcher = await createDispatcherHarness(db);
  await dispatcher.worker.pause(); // hold the work so the backlog stays put
  tenant = await createTenant(db);
});

afterAll(async () => {
  await dispatcher.close();
  await db.close();
  await isolated.drop();
});

function opsApp() {
  const registry = createMetricsRegistry('dispatcher', 'test');
  sendMetrics(registry).recordSend('sent');
  queueMetrics(registry, [dispatcher.queue.queue], () => db.messages.backlogByInstance());
  return createOpsApp({
    readinessChecks: { postgres: () => db.dataSource.query('SELECT 1') },
    metrics: registry,
    queues: [dispatcher.queue.queue],
    backlogByInstance: () => db.messages.backlogByInstance(),
  });
}

describe('Dispatcher ops port', () => {
  it('When messages wait, some delayed (retries, pacing), then /backlog counts them all, by queue and by instance', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const message = await db.messages.insertOutgoing({
        accountId: tenant.accountId,
        instanceId: tenant.instance.id,
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
    await dispatcher.queue.enqueueSend(ids[0]!);
    await dispatcher.queue.enqueueSend(ids[1]!, 60_000); // a delayed retry, say

    const backlog = await request(opsApp()).get('/backlog');

    expect(backlog.status).toBe(200);
    expect(backlog.body).toEqual({
      total: 2,
      by_queue: { notifications: { waiting: 1, delayed: 1, active: 0, prioritized: 0, total: 2 } },
      // Postgres counts the third message too: its job was lost, the sweeper will re-add it.
      by_instance: { [tenant.instance.id]: 3 },
    });
  });

  it('When /metrics is scraped, then it has sends by outcome, queue states and the backlog', async () => {
    const metrics = await request(opsApp()).get('/metrics');
    expect(metrics.text).toContain(
      'telenexus_sends_total{outcome="sent",service="dispatcher",version="test"} 1',
    );
    expect(metrics.text).toContain(
      'telenexus_queue_jobs{queue="notifications",state="delayed",service="dispatcher",version="test"} 1',
    );
    expect(metrics.text).toContain(
      'telenexus_queue_backlog{queue="notifications",service="dispatcher",version="test"} 2',
    );
    expect(metrics.text).toContain(
      `telenexus_instance_backlog{instance_id="${tenant.instance.id}",service="dispatcher",version="test"} 3`,
    );
  });

  it('When probed, then /healthz and /readyz answer', async () => {
    const app = opsApp();
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(app).get('/readyz')).body).toEqual({ status: 'ok', checks: { postgres: 'ok' } });
  });
});
