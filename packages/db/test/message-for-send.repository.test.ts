import { randomUUID } from 'node:crypto';
import { renderNotification } from '@telenexus/core';
import { createTenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';

/**
 * The first statement of every send attempt: the message claimed when nothing is left to decide
 * before the Evolution call, else only read; its instance either way, exactly as `findById` reads
 * it (so nothing a send decides on can differ).
 */

const context = useTestDatabase();

const NOTIFICATION = {
  phoneNumber: '254712345678',
  customerName: 'Jane',
  amount: '1500',
  currency: 'KES',
  dueDate: '2026-12-15',
  messageType: 'invoice',
} as const;

async function queuedMessage(
  accountId: string,
  instanceId: string,
  expiresAt: Date | null = null,
): Promise<string> {
  const message = await context.db.messages.acceptance.insertOutgoing({
    ...NOTIFICATION,
    accountId,
    instanceId,
    invoiceId: `INV-${randomUUID().slice(0, 8)}`,
    expiresAt,
  });
  return message.id;
}

describe('Claiming or reading a message for its send', () => {
  it('When it can go out at once, then it is claimed with its stored text, its event logged, and its instance read', async () => {
    const tenant = await createTenant(context.db);
    await context.db.instances.update(tenant.accountId, tenant.instance.id, {
      evolutionToken: 'instance-token',
    });
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);

    const found = await context.db.instances.claimOrFindForSend(id, Date.now());

    expect(found?.claimed).toBe(true);
    expect(found?.message).toEqual(await context.db.messages.queries.findById(id));
    expect(found?.message).toMatchObject({ status: 'sending', attempts: 1 });
    expect(found?.message.body).toBe(
      renderNotification({ ...NOTIFICATION, invoiceId: found?.message.invoiceId ?? '' }),
    );
    expect(found?.instance).toEqual(await context.db.instances.findById(tenant.instance.id));
    expect(found?.instance?.evolutionToken).toBe('instance-token');
    const events = await context.db.messages.queries.listEvents(id);
    expect(events.map((event) => event.type)).toEqual(['accepted', 'claimed']);
  });

  it('When it was claimed already, then the next attempt only reads it', async () => {
    const tenant = await createTenant(context.db);
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);
    await context.db.instances.claimOrFindForSend(id, Date.now());

    const again = await context.db.instances.claimOrFindForSend(id, Date.now());

    expect(again).toMatchObject({ claimed: false, message: { status: 'sending', attempts: 1 } });
  });

  it('When its instance has quiet hours, then it is only read, with its instance as findById reads it', async () => {
    const tenant = await createTenant(context.db, {
      sending: { quietHours: { start: '21:00', end: '07:00' } },
    });
    await context.db.instances.update(tenant.accountId, tenant.instance.id, {
      evolutionToken: 'instance-token',
    });
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);

    const found = await context.db.instances.claimOrFindForSend(id, Date.now());

    expect(found?.claimed).toBe(false);
    expect(found?.message).toEqual(await context.db.messages.queries.findById(id));
    expect(found?.message.status).toBe('queued');
    expect(found?.instance).toEqual(await context.db.instances.findById(tenant.instance.id));
    expect(found?.instance?.evolutionToken).toBe('instance-token');
    expect(found?.instance?.quietHours).toEqual({ start: '21:00', end: '07:00' });
  });

  it.each([
    ['paced', { pacingMinGapMs: 3000 }],
    ['jittered', { pacingJitterMs: 500 }],
    ['capped', { dailyCap: 100 }],
  ])('When its instance is %s, then it is only read', async (_, sending) => {
    const tenant = await createTenant(context.db, { sending });
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);

    expect(await context.db.instances.claimOrFindForSend(id, Date.now())).toMatchObject({
      claimed: false,
      message: { status: 'queued', attempts: 0 },
    });
  });

  it('When its instance is disconnected, then it is only read', async () => {
    const tenant = await createTenant(context.db);
    await context.db.instances.updateConnectionState(tenant.instance.id, 'close', 'test: the number dropped');
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);

    expect(await context.db.instances.claimOrFindForSend(id, Date.now())).toMatchObject({
      claimed: false,
      message: { status: 'queued' },
      instance: { connectionState: 'close' },
    });
  });

  it('When it expired by the attempt’s clock, then it is only read', async () => {
    const tenant = await createTenant(context.db);
    const expiresAt = new Date(Date.now() + 60_000);
    const id = await queuedMessage(tenant.accountId, tenant.instance.id, expiresAt);

    const found = await context.db.instances.claimOrFindForSend(id, expiresAt.getTime());

    expect(found).toMatchObject({ claimed: false, message: { status: 'queued' } });
  });

  it('When it was stored before texts were stored at accept, then it is only read', async () => {
    const tenant = await createTenant(context.db);
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);
    await context.db.dataSource.query('UPDATE messages SET body = NULL WHERE id = $1', [id]);

    expect(await context.db.instances.claimOrFindForSend(id, Date.now())).toMatchObject({
      claimed: false,
      message: { status: 'queued', body: null },
    });
  });

  it('When its instance was deleted, then the message comes back unclaimed without an instance', async () => {
    const tenant = await createTenant(context.db);
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);
    await context.db.instances.softDelete(tenant.accountId, tenant.instance.id);

    const found = await context.db.instances.claimOrFindForSend(id, Date.now());

    expect(found?.claimed).toBe(false);
    expect(found?.message).toMatchObject({ id, status: 'queued' });
    expect(found?.instance).toBeNull();
  });

  it('When the message does not exist, then nothing comes back', async () => {
    expect(await context.db.instances.claimOrFindForSend(randomUUID(), Date.now())).toBeNull();
  });

  it('When several messages are asked for at once, then each is claimed or read on its own, answered in the order asked', async () => {
    const tenant = await createTenant(context.db);
    const closed = await createTenant(context.db);
    await context.db.instances.updateConnectionState(closed.instance.id, 'close', 'test: the number dropped');
    const claimable = await queuedMessage(tenant.accountId, tenant.instance.id);
    const waiting = await queuedMessage(closed.accountId, closed.instance.id);
    const alsoClaimable = await queuedMessage(tenant.accountId, tenant.instance.id);
    const missing = randomUUID();

    const found = await context.db.instances.claimOrFindForSendMany(
      [waiting, claimable.toUpperCase(), missing, alsoClaimable],
      Date.now(),
    );

    expect(found).toEqual([
      expect.objectContaining({
        claimed: false,
        message: expect.objectContaining({ id: waiting, status: 'queued' }),
      }),
      expect.objectContaining({
        claimed: true,
        message: expect.objectContaining({ id: claimable, status: 'sending', attempts: 1 }),
        instance: expect.objectContaining({ id: tenant.instance.id }),
      }),
      null,
      expect.objectContaining({ claimed: true, message: expect.objectContaining({ id: alsoClaimable }) }),
    ]);
    expect((await context.db.messages.queries.listEvents(claimable)).at(-1)).toMatchObject({
      status: 'sending',
    });
  });
});
