import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
} from '../../../test/support/test-context';
import { waitFor } from '../../../test/support/wait-for';
import { createDispatcherHarness, type DispatcherHarness } from './dispatcher-harness';

/**
 * The dispatcher's clock, moved by the tests. BullMQ keeps real time, so the clock stays in the future:
 * a delay to a time already past would make BullMQ run the job again at once.
 */
let clock = Date.parse('2027-02-16T19:30:00Z'); // 22:30 in Nairobi

let db: DatabaseContext;
let dispatcher: DispatcherHarness;
let tenant: Tenant;
let counter = 0;

beforeAll(async () => {
  db = await openTestDatabase();
  dispatcher = await createDispatcherHarness(db, { now: () => clock });
  tenant = await createTenant(db, { sending: { quietHours: { start: '21:00', end: '07:00' } } });
  dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
});

afterAll(async () => {
  await dispatcher.close();
  await db.close();
});

async function queue(expiresAt: Date | null = null): Promise<string> {
  counter += 1;
  const message = await db.messages.acceptance.insertOutgoing({
    accountId: tenant.accountId,
    instanceId: tenant.instance.id,
    phoneNumber: '254712345678',
    customerName: 'Night Owl',
    amount: '100',
    currency: 'KES',
    invoiceId: `QUIET-${counter}`,
    dueDate: null,
    messageType: 'invoice',
    expiresAt,
  });
  await dispatcher.queue.enqueueSend(message.id);
  return message.id;
}

const sentTo = (invoiceId: string) =>
  dispatcher.sandbox
    .deliveries()
    .filter((delivery) => delivery.text.split('\n').includes(`Invoice: #${invoiceId}`));

describe('Quiet hours', () => {
  it('When a message is due in quiet hours, then it is scheduled for their end, sends nothing at night, and goes out in the morning', async () => {
    clock = Date.parse('2027-02-16T19:30:00Z'); // 22:30 local
    const id = await queue();

    const scheduled = await waitFor(async () => {
      const events = await db.messages.queries.listEvents(id);
      return events.find((event) => event.type === 'scheduled');
    }, 'the message to be scheduled');
    expect(scheduled.detail).toBe('quiet hours; sends at 2027-02-17T04:00:00.000Z'); // 07:00 local
    const job = await dispatcher.queue.queue.getJob(id);
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
    await (await dispatcher.queue.queue.getJob(id))!.promote();
    await dispatcher.waitForStatus(id, ['sent']);
    expect(sentTo(`QUIET-${counter}`)).toHaveLength(1);
  });

  it('When the end of quiet hours is after the message expires, then it is expired instead of sent late', async () => {
    clock = Date.parse('2027-02-16T19:30:00Z');
    const id = await queue(new Date(Date.parse('2027-02-17T01:00:00Z')));

    const expired = await dispatcher.waitForStatus(id, ['expired']);

    expect(expired.lastError).toBe(
      'Could only be sent at 2027-02-17T04:00:00.000Z (quiet hours), after it expires at 2027-02-17T01:00:00.000Z',
    );
    expect(sentTo(`QUIET-${counter}`)).toHaveLength(0);
  });

  it('When a message is picked up after its deadline, then it is expired', async () => {
    clock = Date.parse('2027-02-17T10:00:00Z');
    const id = await queue(new Date(Date.parse('2027-02-17T09:00:00Z')));
    const expired = await dispatcher.waitForStatus(id, ['expired']);
    expect(expired.lastError).toBe('Expired at 2027-02-17T09:00:00.000Z before it could be sent');
  });
});
