import { reserveInstanceSlots } from '@telenexus/queue';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useDispatcher } from '../../../test/support/use-dispatcher';

const GAP_MS = 300;

const context = useDispatcher();

beforeAll(() => {
  context.dispatcher.startWorker(); // a second dispatcher process
});

async function queueMessages(tenant: Tenant, count: number): Promise<string[]> {
  const ids = await insertMessages(tenant, count);
  await Promise.all(ids.map((id) => context.dispatcher.queue.enqueueSend(id)));
  return ids;
}

/** Queued messages of the instance, without their send jobs. */
async function insertMessages(tenant: Tenant, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      phoneNumber: '254712345678',
      customerName: `Customer ${index}`,
      amount: '100',
      currency: 'KES',
      invoiceId: `PACE-${index}`,
      dueDate: null,
      messageType: 'invoice',
    });
    ids.push(message.id);
  }
  return ids;
}

describe('Per-instance pacing', () => {
  it('When a backlog for one instance is sent by two dispatchers, then every send is at least the gap after the previous one, each message once', async () => {
    const tenant = await createTenant(context.db, {
      sending: { pacingMinGapMs: GAP_MS, pacingJitterMs: 50 },
    });
    context.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });

    const ids = await queueMessages(tenant, 8);
    await Promise.all(ids.map((id) => context.dispatcher.waitForStatus(id, ['sent'])));

    const received = context.dispatcher.sandbox
      .deliveries({ instance: tenant.instance.evolutionInstanceName })
      .map((delivery) => delivery.receivedAt)
      .sort((a, b) => a - b);
    expect(received).toHaveLength(8);
    const gaps = received.slice(1).map((at, index) => at - received[index]!);
    // Measured where WhatsApp would see them, on the sandbox's clock: the gap is counted from
    // Evolution's answer to the previous send, so nothing on the way can bring two closer.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(GAP_MS);
    // The whole run keeps the planned pace, not a burst.
    expect(received.at(-1)! - received[0]!).toBeGreaterThanOrEqual(7 * GAP_MS);
  }, 20_000);

  it('When ingress reserved a message its slot as it accepted it, then its job is started once, at that slot, and reserves no other', async () => {
    const tenant = await createTenant(context.db, { sending: { pacingMinGapMs: 1000, pacingJitterMs: 0 } });
    context.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
    const [id] = await insertMessages(tenant, 1);
    // What ingress does on accept; the first slot stands for a message ahead, so this one waits.
    const [, slotMs] = await reserveInstanceSlots(context.dispatcher.pacer, tenant.instance, Date.now(), 2);
    await context.dispatcher.queue.enqueueSendsWithSlots([{ messageId: id!, slotMs: slotMs! }]);

    const sent = await context.dispatcher.waitForStatus(id!, ['sent']);

    expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(slotMs!);
    expect((await context.dispatcher.queue.queue.getJob(id!))?.attemptsStarted).toBe(1);
    const events = await context.db.messages.queries.listEvents(id!);
    expect(events.map((event) => event.type)).not.toContain('scheduled');
  }, 20_000);

  it('When a backlog is paced, then each job is delayed once to its slot instead of churning through the queue', async () => {
    const tenant = await createTenant(context.db, { sending: { pacingMinGapMs: 100, pacingJitterMs: 0 } });
    context.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });

    const ids = await queueMessages(tenant, 15);
    await Promise.all(ids.map((id) => context.dispatcher.waitForStatus(id, ['sent'])));

    const starts = await Promise.all(
      ids.map(async (id) => (await context.dispatcher.queue.queue.getJob(id))?.attemptsStarted ?? Number.NaN),
    );
    // One start to reserve the slot, one to send at it. A job that wakes to find the previous send
    // started late (a loaded machine) reserves once more, behind the others. Polling for a turn
    // instead would cost the last of 15 jobs about 15 starts.
    expect(Math.max(...starts)).toBeLessThanOrEqual(6);
    expect(starts.reduce((sum, value) => sum + value, 0) / starts.length).toBeLessThanOrEqual(3);
    const scheduled = await Promise.all(
      ids.map(
        async (id) =>
          (await context.db.messages.queries.listEvents(id)).filter((event) => event.type === 'scheduled')
            .length,
      ),
    );
    expect(Math.max(...scheduled)).toBeLessThanOrEqual(4);
  }, 20_000);

  it('When pacing is off, then a backlog goes out without waiting', async () => {
    const tenant = await createTenant(context.db);
    context.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });

    const ids = await queueMessages(tenant, 10);
    await Promise.all(ids.map((id) => context.dispatcher.waitForStatus(id, ['sent'])));

    // Nothing was scheduled for later, and each job ran once: sent on its first start.
    const events = await Promise.all(ids.map((id) => context.db.messages.queries.listEvents(id)));
    expect(events.flat().filter((event) => event.type === 'scheduled')).toHaveLength(0);
    const starts = await Promise.all(
      ids.map(async (id) => (await context.dispatcher.queue.queue.getJob(id))?.attemptsStarted),
    );
    expect(starts).toEqual(ids.map(() => 1));
  });
});
