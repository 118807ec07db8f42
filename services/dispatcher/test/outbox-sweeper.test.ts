import { Worker } from 'bullmq';
import { createWorkerConnection, QUEUE_NAMES } from '@telenexus/queue';
import { TEST_REDIS_URL } from '../../../test/support/test-database';
import { useDispatcher } from '../../../test/support/use-dispatcher';

/** Sweeps and clean-ups act on the whole database: this file gets its own, so no other file's rows are touched. */

const context = useDispatcher({ isolated: true, tenant: true });

async function storeWithoutJob(invoiceId: string): Promise<string> {
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: context.tenant.accountId,
    instanceId: context.tenant.instance.id,
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

    const report = await context.dispatcher.sweeper.sweep();

    expect(report.reenqueued).toBeGreaterThanOrEqual(1);
    await context.dispatcher.waitForStatus(id, ['sent']);
    expect(
      context.dispatcher.sandbox.deliveries().filter((delivery) => delivery.text.includes('#SWEEP-1')),
    ).toHaveLength(1);
  });

  it('When a queued message waits for its slot ahead, then a sweep leaves it alone; once the slot has passed without a job, then a sweep enqueues it', async () => {
    const id = await storeWithoutJob('SWEEP-5');
    await context.db.dataSource.query(
      "UPDATE messages SET next_attempt_at = now() + interval '1 hour' WHERE id = $1",
      [id],
    );

    await context.dispatcher.sweeper.sweep();

    expect(await context.dispatcher.queue.queue.getJob(id)).toBeUndefined();

    await context.db.dataSource.query(
      "UPDATE messages SET next_attempt_at = now() - interval '1 minute' WHERE id = $1",
      [id],
    );

    await context.dispatcher.sweeper.sweep();

    await context.dispatcher.waitForStatus(id, ['sent']);
  });

  it('When a queued message still has its job waiting, then a sweep leaves it alone', async () => {
    await context.dispatcher.worker.pause();
    try {
      const id = await storeWithoutJob('SWEEP-2');
      await context.dispatcher.queue.enqueueSend(id);

      const added = await context.dispatcher.queue.ensureSendJobs([id]);

      expect(added).toEqual([]);
      expect(await (await context.dispatcher.queue.queue.getJob(id))?.getState()).toBe('waiting');
    } finally {
      context.dispatcher.worker.resume();
    }
  });

  it('When a finished job was left under the id of a message still queued, then a sweep replaces it', async () => {
    const id = await storeWithoutJob('SWEEP-3');
    // A job that failed for good (say Postgres was down through all its attempts) while the row waits.
    await context.dispatcher.worker.pause();
    const manualConnection = createWorkerConnection(TEST_REDIS_URL);
    const manual = new Worker(QUEUE_NAMES.notifications, null, {
      connection: manualConnection,
      prefix: context.dispatcher.queue.queue.opts.prefix,
    });
    try {
      await context.dispatcher.queue.queue.add('send', { messageId: id }, { jobId: id, attempts: 1 });
      const job = await manual.getNextJob('manual-token');
      expect(job?.id).toBe(id);
      await job!.moveToFailed(new Error('Postgres unreachable'), 'manual-token');
      expect(await context.dispatcher.queue.queue.getJobState(id)).toBe('failed');
    } finally {
      await manual.close();
      manualConnection.disconnect();
      context.dispatcher.worker.resume();
    }

    const replaced = await context.dispatcher.queue.ensureSendJobs([id]);

    expect(replaced).toEqual([id]);
    await context.dispatcher.waitForStatus(id, ['sent']);
  });

  it('When a message has been stuck in sending (its worker died mid-call), then a sweep marks it unknown, never resending it', async () => {
    const id = await storeWithoutJob('SWEEP-4');
    await context.db.messages.statuses.claimForSending(id, 'text');
    await context.db.dataSource.query(
      "UPDATE messages SET updated_at = now() - interval '10 minutes' WHERE id = $1",
      [id],
    );

    const report = await context.dispatcher.sweeper.sweep();

    expect(report.markedUnknown).toBeGreaterThanOrEqual(1);
    const message = await context.db.messages.queries.findById(id);
    expect(message).toMatchObject({
      status: 'unknown',
      lastError: 'The dispatcher stopped during the send; delivery is unconfirmed',
    });
    expect((await context.db.messages.queries.listEvents(id)).map((event) => event.type)).toEqual([
      'accepted',
      'claimed',
      'ambiguous',
    ]);
    expect(
      context.dispatcher.sandbox.deliveries().filter((delivery) => delivery.text.includes('#SWEEP-4')),
    ).toHaveLength(0);
  });
});
