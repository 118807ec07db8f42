import { Worker } from 'bullmq';
import { createWorkerConnection, QUEUE_NAMES } from '@telenexus/queue';
import { TEST_REDIS_URL } from '../../../test/support/test-database';
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
import { createDispatcherHarness, type DispatcherHarness } from '../../../test/support/dispatcher-harness';

/** Sweeps and clean-ups act on the whole database: this file gets its own, so no other file's rows are touched. */
let isolated: IsolatedTestDatabase;
let db: DatabaseContext;
let dispatcher: DispatcherHarness;
let tenant: Tenant;

beforeAll(async () => {
  isolated = await createIsolatedTestDatabase();
  db = await openTestDatabase(isolated.url);
  dispatcher = await createDispatcherHarness(db);
  tenant = await createTenant(db);
  dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
});

afterAll(async () => {
  await dispatcher.close();
  await db.close();
  await isolated.drop();
});

async function storeWithoutJob(invoiceId: string): Promise<string> {
  const message = await db.messages.acceptance.insertOutgoing({
    accountId: tenant.accountId,
    instanceId: tenant.instance.id,
    phoneNumber: '254712345678',
    customerName: 'Jane Doe',
    amount: '99.50',
    currency: 'KES',
    invoiceId,
    dueDate: null,
    messageType: 'invoice',
  });
  return message.id;
}

describe('Outbox sweeper', () => {
  it('When a stored message never got a job (Redis was down at accept time), then a sweep enqueues it and it is sent once', async () => {
    const id = await storeWithoutJob('SWEEP-1');

    const report = await dispatcher.sweeper.sweep();

    expect(report.reenqueued).toBeGreaterThanOrEqual(1);
    await dispatcher.waitForStatus(id, ['sent']);
    expect(
      dispatcher.sandbox.deliveries().filter((delivery) => delivery.text.includes('#SWEEP-1')),
    ).toHaveLength(1);
  });

  it('When a queued message waits for its slot ahead, then a sweep leaves it alone; once the slot has passed without a job, then a sweep enqueues it', async () => {
    const id = await storeWithoutJob('SWEEP-5');
    await db.dataSource.query(
      "UPDATE messages SET next_attempt_at = now() + interval '1 hour' WHERE id = $1",
      [id],
    );

    await dispatcher.sweeper.sweep();

    expect(await dispatcher.queue.queue.getJob(id)).toBeUndefined();

    await db.dataSource.query(
      "UPDATE messages SET next_attempt_at = now() - interval '1 minute' WHERE id = $1",
      [id],
    );

    await dispatcher.sweeper.sweep();

    await dispatcher.waitForStatus(id, ['sent']);
  });

  it('When a queued message still has its job waiting, then a sweep leaves it alone', async () => {
    await dispatcher.worker.pause();
    try {
      const id = await storeWithoutJob('SWEEP-2');
      await dispatcher.queue.enqueueSend(id);

      const added = await dispatcher.queue.ensureSendJobs([id]);

      expect(added).toEqual([]);
      expect(await (await dispatcher.queue.queue.getJob(id))?.getState()).toBe('waiting');
    } finally {
      dispatcher.worker.resume();
    }
  });

  it('When a finished job was left under the id of a message still queued, then a sweep replaces it', async () => {
    const id = await storeWithoutJob('SWEEP-3');
    // A job that failed for good (say Postgres was down through all its attempts) while the row waits.
    await dispatcher.worker.pause();
    const manualConnection = createWorkerConnection(TEST_REDIS_URL);
    const manual = new Worker(QUEUE_NAMES.notifications, null, {
      connection: manualConnection,
      prefix: dispatcher.queue.queue.opts.prefix,
    });
    try {
      await dispatcher.queue.queue.add('send', { messageId: id }, { jobId: id, attempts: 1 });
      const job = await manual.getNextJob('manual-token');
      expect(job?.id).toBe(id);
      await job!.moveToFailed(new Error('Postgres unreachable'), 'manual-token');
      expect(await dispatcher.queue.queue.getJobState(id)).toBe('failed');
    } finally {
      await manual.close();
      manualConnection.disconnect();
      dispatcher.worker.resume();
    }

    const replaced = await dispatcher.queue.ensureSendJobs([id]);

    expect(replaced).toEqual([id]);
    await dispatcher.waitForStatus(id, ['sent']);
  });

  it('When a message has been stuck in sending (its worker died mid-call), then a sweep marks it unknown, never resending it', async () => {
    const id = await storeWithoutJob('SWEEP-4');
    await db.messages.statuses.claimForSending(id, 'text');
    await db.dataSource.query(
      "UPDATE messages SET updated_at = now() - interval '10 minutes' WHERE id = $1",
      [id],
    );

    const report = await dispatcher.sweeper.sweep();

    expect(report.markedUnknown).toBeGreaterThanOrEqual(1);
    const message = await db.messages.queries.findById(id);
    expect(message).toMatchObject({
      status: 'unknown',
      lastError: 'The dispatcher stopped during the send; delivery is unconfirmed',
    });
    expect((await db.messages.queries.listEvents(id)).map((event) => event.type)).toEqual([
      'accepted',
      'claimed',
      'ambiguous',
    ]);
    expect(
      dispatcher.sandbox.deliveries().filter((delivery) => delivery.text.includes('#SWEEP-4')),
    ).toHaveLength(0);
  });
});
