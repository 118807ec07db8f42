import { createTenant } from '../../../test/support/test-context';
import { waitFor } from '../../../test/support/wait-for';
import { useDispatcher } from '../../../test/support/use-dispatcher';

/**
 * The dispatcher's clock, moved by the tests. BullMQ keeps real time, so the clock stays in the future:
 * a delay to a time already past would make BullMQ run the job again at once.
 */
let clock = Date.parse('2027-02-16T19:30:00Z'); // 22:30 in Nairobi

let counter = 0;

const context = useDispatcher({
  now: () => clock,
  tenant: { sending: { quietHours: { start: '21:00', end: '07:00' } } },
});

async function queue(expiresAt: Date | null = null): Promise<string> {
  counter += 1;
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: context.tenant.accountId,
    instanceId: context.tenant.instance.id,
    phoneNumber: '254712345678',
    customerName: 'Night Owl',
    amount: '100',
    currency: 'KES',
    invoiceId: `QUIET-${counter}`,
    dueDate: null,
    messageType: 'invoice',
    expiresAt,
  });
  await context.dispatcher.queue.enqueueSend(message.id);
  return message.id;
}

const sentTo = (invoiceId: string) =>
  context.dispatcher.sandbox
    .deliveries()
    .filter((delivery) => delivery.text.split('\n').includes(`Invoice: #${invoiceId}`));

describe('Quiet hours', () => {
  it('When a message is due in quiet hours, then it is scheduled for their end, sends nothing at night, and goes out in the morning', async () => {
    clock = Date.parse('2027-02-16T19:30:00Z'); // 22:30 local
    const id = await queue();

    const scheduled = await waitFor(async () => {
      const events = await context.db.messages.queries.listEvents(id);
      return events.find((event) => event.type === 'scheduled');
    }, 'the message to be scheduled');
    expect(scheduled.detail).toBe('quiet hours; sends at 2027-02-17T04:00:00.000Z'); // 07:00 local
    const job = await context.dispatcher.queue.queue.getJob(id);
    await waitFor(
      async () => (await job!.getState()) === 'delayed' || undefined,
      'the job to wait in the delayed set',
    );

    // Woken early (still 06:59 local): it must wait again, not send.
    clock = Date.parse('2027-02-17T03:59:00Z');
    await job!.promote();
    await waitFor(
      async () => (await job!.getState()) === 'delayed' || undefined,
      'the job to be delayed again',
    );
    expect(sentTo(`QUIET-${counter}`)).toHaveLength(0);

    clock = Date.parse('2027-02-17T04:00:30Z'); // 07:00:30 local
    await (await context.dispatcher.queue.queue.getJob(id))!.promote();
    await context.dispatcher.waitForStatus(id, ['sent']);
    expect(sentTo(`QUIET-${counter}`)).toHaveLength(1);
  });

  it('When a paced job wakes late, inside quiet hours, then it sends nothing, gives back its slot and waits for the morning', async () => {
    const paced = await createTenant(context.db, {
      sending: { quietHours: { start: '21:00', end: '07:00' }, pacingMinGapMs: 60_000, pacingJitterMs: 0 },
    });
    context.dispatcher.sandbox.createInstance({ name: paced.instance.evolutionInstanceName });
    clock = Date.parse('2027-02-16T17:58:00Z'); // 20:58 local: the first goes now, the second at 20:59
    const ids: string[] = [];
    for (const label of ['LATE-A', 'LATE-B']) {
      const message = await context.db.messages.acceptance.insertOutgoing({
        accountId: paced.accountId,
        instanceId: paced.instance.id,
        phoneNumber: '254712345678',
        customerName: 'Late Riser',
        amount: '100',
        currency: 'KES',
        invoiceId: `${label}-${counter}`,
        dueDate: null,
        messageType: 'invoice',
      });
      ids.push(message.id);
      await context.dispatcher.queue.enqueueSend(message.id);
      await waitFor(async () => {
        const events = await context.db.messages.queries.listEvents(message.id);
        return events.some((event) => event.type === 'scheduled' || event.type === 'sent') || undefined;
      }, `${label} to be sent or scheduled`);
    }
    const [first, second] = ids as [string, string];
    await context.dispatcher.waitForStatus(first, ['sent']);
    expect(await context.dispatcher.pacer.sentOnDay(paced.instance.id, '2027-02-16')).toBe(2);

    // The dispatcher was away: the second job only runs at 22:00 local, its slot long past.
    clock = Date.parse('2027-02-16T19:00:00Z');
    const job = await context.dispatcher.queue.queue.getJob(second);
    await job!.promote();
    const rescheduled = await waitFor(async () => {
      const events = await context.db.messages.queries.listEvents(second);
      return events.filter((event) => event.type === 'scheduled')[1];
    }, 'the late job to be scheduled again');

    expect(rescheduled.detail).toBe(
      'quiet hours, then paced for the instance; sends at 2027-02-17T04:00:00.000Z',
    );
    expect((await context.db.messages.queries.findById(second))?.status).toBe('queued');
    expect(
      context.dispatcher.sandbox.deliveries({ instance: paced.instance.evolutionInstanceName }),
    ).toHaveLength(1);
    // The night's unit went back to the evening it was taken from, and one was taken in the morning.
    expect(await context.dispatcher.pacer.sentOnDay(paced.instance.id, '2027-02-16')).toBe(1);
    expect(await context.dispatcher.pacer.sentOnDay(paced.instance.id, '2027-02-17')).toBe(1);
  });

  it('When the end of quiet hours is after the message expires, then it is expired instead of sent late', async () => {
    clock = Date.parse('2027-02-16T19:30:00Z');
    const id = await queue(new Date(Date.parse('2027-02-17T01:00:00Z')));

    const expired = await context.dispatcher.waitForStatus(id, ['expired']);

    expect(expired.lastError).toBe(
      'Could only be sent at 2027-02-17T04:00:00.000Z (quiet hours), after it expires at 2027-02-17T01:00:00.000Z',
    );
    expect(sentTo(`QUIET-${counter}`)).toHaveLength(0);
  });

  it('When a message is picked up after its deadline, then it is expired', async () => {
    clock = Date.parse('2027-02-17T10:00:00Z');
    const id = await queue(new Date(Date.parse('2027-02-17T09:00:00Z')));
    const expired = await context.dispatcher.waitForStatus(id, ['expired']);
    expect(expired.lastError).toBe('Expired at 2027-02-17T09:00:00.000Z before it could be sent');
  });
});
