import type { NotificationType } from '@telenexus/core';
import { createMetricsRegistry, sendMetrics } from '@telenexus/observability';
import { parseSamples, samplesOf } from '../../../test/support/prometheus-samples';
import { createTenant } from '../../../test/support/test-context';
import { createDispatcherHarness, type DispatcherHarness } from '../../../test/support/dispatcher-harness';
import { waitFor } from '../../../test/support/wait-for';
import { useDispatcher } from '../../../test/support/use-dispatcher';
import { useTestDatabase } from '../../../test/support/use-test-database';

const registry = createMetricsRegistry('dispatcher', 'test');

const context = useDispatcher({ metrics: sendMetrics(registry), tenant: true });

afterEach(() => context.dispatcher.sandbox.clearFaults());

let invoiceCounter = 0;

async function acceptMessage(
  overrides: { phoneNumber?: string; messageType?: NotificationType; dueDate?: string | null } = {},
): Promise<string> {
  invoiceCounter += 1;
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: context.tenant.accountId,
    instanceId: context.tenant.instance.id,
    phoneNumber: overrides.phoneNumber ?? '254712345678',
    customerName: 'John Doe',
    amount: '1500.00',
    currency: 'KES',
    invoiceId: `INV-${invoiceCounter}`,
    dueDate: overrides.dueDate === undefined ? '2026-02-15' : overrides.dueDate,
    messageType: overrides.messageType ?? 'payment_reminder',
  });
  return message.id;
}

function deliveriesTo(text: string) {
  return context.dispatcher.sandbox
    .deliveries({ instance: context.tenant.instance.evolutionInstanceName })
    .filter((delivery) => delivery.text.includes(text));
}

describe('Dispatcher send', () => {
  it("When a queued message is processed, then Evolution receives the guide's exact text and the message is sent with its key id", async () => {
    const id = await acceptMessage();
    await context.dispatcher.queue.enqueueSend(id);

    const sent = await context.dispatcher.waitForStatus(id, ['sent']);

    const deliveries = deliveriesTo(`#INV-${invoiceCounter}\n`);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      number: '254712345678',
      text: [
        'Payment Due Reminder',
        '',
        'Dear John Doe,',
        '',
        'This is a reminder that your payment of KES 1,500.00 is due.',
        '',
        `Invoice: #INV-${invoiceCounter}`,
        'Due Date: 2026-02-15',
        '',
        'Please ignore if already paid.',
      ].join('\n'),
    });
    expect(sent.providerMessageId).toBe(deliveries[0]!.id);
    expect(sent.attempts).toBe(1);
    expect(sent.sentAt).toBeInstanceOf(Date);
    expect(sent.body).toBe(deliveries[0]!.text);
    expect((await context.db.messages.queries.listEvents(id)).map((event) => event.type)).toEqual([
      'accepted',
      'claimed',
      'sent',
    ]);
  });

  it('When a message was stored before texts were stored at accept, then its text is rendered, stored and sent as before', async () => {
    const id = await acceptMessage({ messageType: 'overdue' });
    const expected = (await context.db.messages.queries.findById(id))?.body;
    await context.db.dataSource.query('UPDATE messages SET body = NULL WHERE id = $1', [id]);
    await context.dispatcher.queue.enqueueSend(id);

    const sent = await context.dispatcher.waitForStatus(id, ['sent']);

    const deliveries = deliveriesTo(`#INV-${invoiceCounter}\n`);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.text).toBe(expected);
    expect(sent.body).toBe(expected);
    expect(sent.attempts).toBe(1);
    expect((await context.db.messages.queries.listEvents(id)).map((event) => event.type)).toEqual([
      'accepted',
      'claimed',
      'sent',
    ]);
  });

  it('When two jobs carry the same message, then it is sent exactly once', async () => {
    const id = await acceptMessage();
    await Promise.all([
      context.dispatcher.queue.enqueueSend(id),
      context.dispatcher.queue.queue.add('send', { messageId: id }, { jobId: `duplicate-${id}` }),
      context.dispatcher.queue.queue.add('send', { messageId: id }, { jobId: `another-${id}` }),
    ]);

    await context.dispatcher.waitForStatus(id, ['sent']);
    for (const jobId of [id, `duplicate-${id}`, `another-${id}`]) {
      await waitFor(
        async () => (await context.dispatcher.queue.queue.getJob(jobId))?.isCompleted(),
        `job ${jobId} to complete`,
      );
    }

    expect(deliveriesTo(`#INV-${invoiceCounter}\n`)).toHaveLength(1);
    expect((await context.db.messages.queries.findById(id))?.attempts).toBe(1);
  });

  it('When the number is not on WhatsApp, then the message fails at once with a readable error', async () => {
    context.dispatcher.sandbox.markNotOnWhatsApp(['254700000001']);
    const id = await acceptMessage({ phoneNumber: '254700000001' });
    await context.dispatcher.queue.enqueueSend(id);

    const failed = await context.dispatcher.waitForStatus(id, ['failed']);

    expect(failed.lastError).toBe('number 254700000001 is not on WhatsApp');
    expect(failed.reasonCode).toBe('not_on_whatsapp');
    expect(failed.attempts).toBe(1);
    expect(failed.failedAt).toBeInstanceOf(Date);
    expect(deliveriesTo(`#INV-${invoiceCounter}\n`)).toHaveLength(0);
    const job = await context.dispatcher.queue.queue.getJob(id);
    expect(await job?.getState()).toBe('failed');
  });

  it('When Evolution says Connection Closed once, then the send is retried with backoff and succeeds', async () => {
    context.dispatcher.sandbox.enqueueFaults([
      { kind: 'connectionClosed500', instance: context.tenant.instance.evolutionInstanceName },
    ]);
    const id = await acceptMessage();
    await context.dispatcher.queue.enqueueSend(id);

    const sent = await context.dispatcher.waitForStatus(id, ['sent']);

    expect(sent.attempts).toBe(2);
    expect(deliveriesTo(`#INV-${invoiceCounter}\n`)).toHaveLength(1);
    const events = await context.db.messages.queries.listEvents(id);
    expect(events.map((event) => event.type)).toEqual([
      'accepted',
      'claimed',
      'retry_scheduled',
      'claimed',
      'sent',
    ]);
    expect(events[2]?.detail).toMatch(/Connection Closed.*next attempt at/);
    // The disconnect was noted, and the successful send showed the instance is back.
    expect((await context.db.instances.findById(context.tenant.instance.id))?.connectionState).toBe('open');
  });

  it("When the instance's WhatsApp connection is really closed, then it is recorded closed so ingress refuses new sends", async () => {
    const closed = await createTenant(context.db);
    context.dispatcher.sandbox.createInstance({
      name: closed.instance.evolutionInstanceName,
      state: 'close',
    });
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: closed.accountId,
      instanceId: closed.instance.id,
      phoneNumber: '254712345678',
      customerName: 'Closed',
      amount: '10',
      currency: 'KES',
      invoiceId: 'CLOSED-1',
      dueDate: null,
      messageType: 'invoice',
    });
    await context.dispatcher.queue.enqueueSend(message.id);

    await waitFor(
      async () =>
        (await context.db.instances.findById(closed.instance.id))?.connectionState === 'close' || undefined,
      'the instance to be recorded closed',
    );
    expect((await context.db.messages.queries.findById(message.id))?.status).toMatch(/queued|sending/);
  });

  it("When an instance's message is retried once and then sent, then telenexus_sends_total counts both attempts under that instance", async () => {
    const counted = await createTenant(context.db);
    context.dispatcher.sandbox.createInstance({ name: counted.instance.evolutionInstanceName });
    context.dispatcher.sandbox.enqueueFaults([
      { kind: 'connectionClosed500', instance: counted.instance.evolutionInstanceName },
    ]);
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: counted.accountId,
      instanceId: counted.instance.id,
      phoneNumber: '254712345678',
      customerName: 'Counted',
      amount: '10',
      currency: 'KES',
      invoiceId: 'COUNTED-1',
      dueDate: null,
      messageType: 'invoice',
    });
    await context.dispatcher.queue.enqueueSend(message.id);

    // The job completes after its attempt has been counted.
    await waitFor(
      async () => (await context.dispatcher.queue.queue.getJob(message.id))?.isCompleted(),
      'the send job to complete',
    );
    const sends = samplesOf(parseSamples(await registry.metrics()), 'telenexus_sends_total', {
      instance_id: counted.instance.id,
    });
    expect(Object.fromEntries(sends.map((sample) => [sample.labels.outcome, sample.value]))).toEqual({
      retried: 1,
      sent: 1,
    });
  });

  it('When Evolution answers 429 with Retry-After, then the next attempt waits at least that long', async () => {
    context.dispatcher.sandbox.enqueueFaults([
      { kind: 'rateLimit429', instance: context.tenant.instance.evolutionInstanceName, retryAfterSeconds: 1 },
    ]);
    const id = await acceptMessage();
    const before = Date.now();
    await context.dispatcher.queue.enqueueSend(id);

    const sent = await context.dispatcher.waitForStatus(id, ['sent']);

    const retry = (await context.db.messages.queries.listEvents(id)).find(
      (event) => event.type === 'retry_scheduled',
    );
    const nextAttemptAt = Date.parse(/next attempt at (\S+)$/.exec(retry?.detail ?? '')?.[1] ?? '');
    expect(nextAttemptAt - before).toBeGreaterThanOrEqual(1000);
    expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(nextAttemptAt);
  });

  it('When every attempt fails transiently, then the message fails after the last attempt', async () => {
    context.dispatcher.sandbox.enqueueFaults(
      Array.from({ length: 3 }, () => ({
        kind: 'connectionClosed500' as const,
        instance: context.tenant.instance.evolutionInstanceName,
      })),
    );
    const id = await acceptMessage();
    await context.dispatcher.queue.enqueueSend(id);

    const failed = await context.dispatcher.waitForStatus(id, ['failed']);

    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toMatch(/^Gave up after 3 attempts: .*Connection Closed/);
    expect(failed.reasonCode).toBe('gave_up');
    expect(deliveriesTo(`#INV-${invoiceCounter}\n`)).toHaveLength(0);
  });

  it('When Evolution takes the message but the connection resets before the answer, then it is unknown and not resent', async () => {
    context.dispatcher.sandbox.enqueueFaults([
      { kind: 'acceptThenReset', instance: context.tenant.instance.evolutionInstanceName },
    ]);
    const id = await acceptMessage();
    await context.dispatcher.queue.enqueueSend(id);

    const unknown = await context.dispatcher.waitForStatus(id, ['unknown']);
    await waitFor(
      async () => (await (await context.dispatcher.queue.queue.getJob(id))?.isCompleted()) ?? false,
      'job done',
    );

    expect(unknown.lastError).toBeTruthy();
    expect(unknown.attempts).toBe(1);
    expect(deliveriesTo(`#INV-${invoiceCounter}\n`)).toHaveLength(1);
    expect((await context.db.messages.queries.listEvents(id)).map((event) => event.type)).toEqual([
      'accepted',
      'claimed',
      'ambiguous',
    ]);
  });

  it('When Evolution answers 500 with no explanation, then the send is unknown, not retried', async () => {
    context.dispatcher.sandbox.enqueueFaults([
      { kind: 'http500', instance: context.tenant.instance.evolutionInstanceName },
    ]);
    const id = await acceptMessage();
    await context.dispatcher.queue.enqueueSend(id);

    const unknown = await context.dispatcher.waitForStatus(id, ['unknown']);
    expect(unknown.attempts).toBe(1);
  });

  it('When the Evolution instance does not exist, then the message fails at once', async () => {
    const orphan = await createTenant(context.db);
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: orphan.accountId,
      instanceId: orphan.instance.id,
      phoneNumber: '254712345678',
      customerName: 'John Doe',
      amount: '10.00',
      currency: 'KES',
      invoiceId: 'ORPHAN-1',
      dueDate: null,
      messageType: 'invoice',
    });
    await context.dispatcher.queue.enqueueSend(message.id);

    const failed = await context.dispatcher.waitForStatus(message.id, ['failed']);
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/does not exist/);
  });
});

describe('Dispatcher send with a wrong Evolution key', () => {
  let misconfigured: DispatcherHarness;

  beforeAll(async () => {
    misconfigured = await createDispatcherHarness(context.db, { evolutionApiKey: 'wrong-key' });
    misconfigured.sandbox.createInstance({ name: context.tenant.instance.evolutionInstanceName });
  });

  afterAll(() => misconfigured.close());

  it('When Evolution answers 401, then the message fails at once and the configuration problem is logged', async () => {
    const id = await acceptMessage();
    await misconfigured.queue.enqueueSend(id);

    const failed = await misconfigured.waitForStatus(id, ['failed']);

    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/API key/);
    expect(misconfigured.logs.lines()).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'Evolution rejected our configuration' }),
    );
  });
});

describe('Recording what Evolution answered', () => {
  // The blipping dispatcher's connections are its own, apart from the file's dispatcher's.
  const blip = useTestDatabase();

  it('When Postgres blips while a retry is recorded, then the message goes back to queued and is sent later, never taken for ambiguous', async () => {
    const blipDb = blip.db;
    const statuses = blipDb.messages.statuses;
    let blips = 1;
    // The first write of a retry meets a dropped connection, as when Postgres restarts.
    const scheduleRetry: typeof statuses.scheduleRetry = (...args) => {
      if (blips-- > 0)
        return Promise.reject(Object.assign(new Error('Connection terminated'), { code: 'ECONNRESET' }));
      return statuses.scheduleRetry(...args);
    };
    const blippy = await createDispatcherHarness(blipDb, {
      messages: {
        statuses: Object.assign(Object.create(statuses) as typeof statuses, { scheduleRetry }),
      },
    });
    try {
      const blipTenant = await createTenant(blipDb);
      blippy.sandbox.createInstance({ name: blipTenant.instance.evolutionInstanceName });
      blippy.sandbox.enqueueFaults([
        { kind: 'rateLimit429', instance: blipTenant.instance.evolutionInstanceName },
      ]);
      const message = await blipDb.messages.acceptance.insertOutgoing({
        accountId: blipTenant.accountId,
        instanceId: blipTenant.instance.id,
        phoneNumber: '254712345678',
        customerName: 'Blip',
        amount: '10',
        currency: 'KES',
        invoiceId: 'BLIP-1',
        dueDate: null,
        messageType: 'invoice',
      });
      await blippy.queue.enqueueSend(message.id);

      const sent = await blippy.waitForStatus(message.id, ['sent', 'unknown', 'failed']);

      expect(sent.status).toBe('sent');
      const events = (await blipDb.messages.queries.listEvents(message.id)).map((event) => event.type);
      expect(events).toEqual(['accepted', 'claimed', 'retry_scheduled', 'claimed', 'sent']);
      expect(blips).toBe(-1); // the blip happened, and the retry was written on the second try
    } finally {
      await blippy.close();
    }
  });
});
