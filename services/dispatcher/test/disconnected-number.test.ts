import { localDay } from '@telenexus/core';
import { NO_SEND_METRICS, type SendMetrics } from '@telenexus/observability';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { waitFor } from '../../../test/support/wait-for';
import { useDispatcher } from '../../../test/support/use-dispatcher';

let counter = 0;
/** Every sendText call the dispatcher made, by instance name (read from the metrics it records). */
const evolutionCalls: string[] = [];

const countingMetrics: SendMetrics = {
  ...NO_SEND_METRICS,
  recordEvolutionCall: (classification) => evolutionCalls.push(classification),
};

// A database of its own: a release pass resumes every held message it finds, other files' included.
// One job at a time: released jobs are promoted first in, first out, but with several workers the
// pacing slot goes to whichever claims first, so only one worker makes "resume in order" exact.
const context = useDispatcher({ isolated: true, metrics: countingMetrics, concurrency: 1 });

async function queueMessages(
  tenant: Tenant,
  count: number,
  expiresAt: Date | null = null,
): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    counter += 1;
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      phoneNumber: '254712345678',
      customerName: `Customer ${index}`,
      amount: '100',
      currency: 'KES',
      invoiceId: `HOLD-${counter}`,
      dueDate: null,
      messageType: 'invoice',
      expiresAt,
    });
    ids.push(message.id);
    await context.dispatcher.queue.enqueueSend(message.id);
  }
  return ids;
}

async function waitUntilHeld(ids: readonly string[]): Promise<void> {
  await waitFor(async () => {
    const messages = await Promise.all(ids.map((id) => context.db.messages.queries.findById(id)));
    return messages.every((message) => message?.heldAt && message.status === 'queued') || undefined;
  }, 'every message to be held');
}

async function attemptsUsed(ids: readonly string[]): Promise<number[]> {
  return Promise.all(
    ids.map(async (id) => (await context.dispatcher.queue.queue.getJob(id))?.attemptsMade ?? -1),
  );
}

async function reconnect(tenant: Tenant): Promise<void> {
  context.dispatcher.sandbox.setConnectionState(tenant.instance.evolutionInstanceName, 'open');
  await context.db.instances.updateConnectionState(
    tenant.instance.id,
    'open',
    'test: the number was paired again',
  );
}

describe('A disconnected WhatsApp number', () => {
  it('When its instance is known to be disconnected, then its messages wait queued, using no attempt, slot or cap unit, and resume in order once it reconnects', async () => {
    const tenant = await createTenant(context.db, { sending: { pacingMinGapMs: 100, pacingJitterMs: 0 } });
    context.dispatcher.sandbox.createInstance({
      name: tenant.instance.evolutionInstanceName,
      state: 'close',
    });
    await context.db.instances.updateConnectionState(tenant.instance.id, 'close', 'test: the number dropped');
    const callsBefore = evolutionCalls.length;

    const ids = await queueMessages(tenant, 5);
    await waitUntilHeld(ids);

    expect(evolutionCalls.length).toBe(callsBefore);
    expect(await attemptsUsed(ids)).toEqual([0, 0, 0, 0, 0]);
    expect(
      await context.dispatcher.pacer.sentOnDay(tenant.instance.id, localDay(Date.now(), 'Africa/Nairobi')),
    ).toBe(0);
    const events = await context.db.messages.queries.listEvents(ids[0]!);
    expect(events.map((event) => event.type)).toEqual(['accepted', 'held']);
    expect(events[1]!.detail).toBe('The WhatsApp number is disconnected');

    await reconnect(tenant);
    expect(await context.dispatcher.releaser.releaseOnce()).toBe(5);
    await Promise.all(ids.map((id) => context.dispatcher.waitForStatus(id, ['sent'])));

    const delivered = context.dispatcher.sandbox
      .deliveries({ instance: tenant.instance.evolutionInstanceName })
      .sort((a, b) => a.receivedAt - b.receivedAt)
      .map((delivery) => /Invoice: #(HOLD-\d+)/.exec(delivery.text)?.[1]);
    const queuedOrder = await Promise.all(
      ids.map(async (id) => (await context.db.messages.queries.findById(id))!.invoiceId),
    );
    expect(delivered).toEqual(queuedOrder);
    const released = await context.db.messages.queries.listEvents(ids[4]!);
    // Waiting for its slot is one `scheduled` event, or more: a slot reached before the gap since
    // the previous send (that one woke late on a busy machine) waits for its turn once more.
    const timeline = released
      .map((event) => event.type)
      .filter((type, index, all) => type !== all[index - 1]);
    expect(timeline).toEqual(['accepted', 'held', 'released', 'scheduled', 'claimed', 'sent']);
  });

  it('When Evolution answers "Connection Closed" mid-run, then nothing fails: the backlog is held and sent once the number is back', async () => {
    const tenant = await createTenant(context.db);
    // Connected as far as we know; the number dropped and no webhook said so.
    context.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName, state: 'open' });
    await context.db.instances.updateConnectionState(tenant.instance.id, 'open', 'test: paired');
    context.dispatcher.sandbox.setConnectionState(tenant.instance.evolutionInstanceName, 'close', 428);
    const callsBefore = evolutionCalls.length;

    const ids = await queueMessages(tenant, 6);
    await waitUntilHeld(ids);

    // The probe that followed "Connection Closed" recorded the state, so the rest never called.
    expect((await context.db.instances.findById(tenant.instance.id))?.connectionState).toBe('close');
    const calls = evolutionCalls.slice(callsBefore);
    expect(calls.every((classification) => classification === 'transient')).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(4); // at most one per worker slot, before the state was known
    expect(await attemptsUsed(ids)).toEqual([0, 0, 0, 0, 0, 0]);

    await reconnect(tenant);
    await context.dispatcher.releaser.releaseOnce();
    const sent = await Promise.all(ids.map((id) => context.dispatcher.waitForStatus(id, ['sent'])));
    expect(sent.every((message) => message.reasonCode === null && message.lastError === null)).toBe(true);
    expect(
      context.dispatcher.sandbox.deliveries({ instance: tenant.instance.evolutionInstanceName }),
    ).toHaveLength(6);
  });

  it('When a held message reaches its deadline, then it expires rather than waiting on', async () => {
    const tenant = await createTenant(context.db);
    context.dispatcher.sandbox.createInstance({
      name: tenant.instance.evolutionInstanceName,
      state: 'close',
    });
    await context.db.instances.updateConnectionState(tenant.instance.id, 'close', 'test: the number dropped');

    const [id] = await queueMessages(tenant, 1, new Date(Date.now() + 1500));
    const expired = await context.dispatcher.waitForStatus(id!, ['expired']);

    expect(expired.lastError).toMatch(/^Expired at .* before it could be sent$/);
    expect(
      context.dispatcher.sandbox.deliveries({ instance: tenant.instance.evolutionInstanceName }),
    ).toHaveLength(0);
  });
});
