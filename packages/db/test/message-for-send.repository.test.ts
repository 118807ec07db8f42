import { randomUUID } from 'node:crypto';
import { createTenant, openTestDatabase, type DatabaseContext } from '../../../test/support/test-context';

/**
 * The first read of every send attempt: the message and its instance in one statement, the
 * instance exactly as `findById` reads it (so nothing a send decides on can differ).
 */

let db: DatabaseContext;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db.close();
});

async function queuedMessage(accountId: string, instanceId: string): Promise<string> {
  const message = await db.messages.acceptance.insertOutgoing({
    accountId,
    instanceId,
    phoneNumber: '254712345678',
    customerName: 'Jane',
    amount: '1500',
    currency: 'KES',
    invoiceId: `INV-${randomUUID().slice(0, 8)}`,
    dueDate: '2026-12-15',
    messageType: 'invoice',
  });
  return message.id;
}

describe('Reading a message for its send', () => {
  it('When the message and its instance exist, then both come back as their own reads give them', async () => {
    const tenant = await createTenant(db, { sending: { quietHours: { start: '21:00', end: '07:00' } } });
    await db.instances.update(tenant.accountId, tenant.instance.id, { evolutionToken: 'instance-token' });
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);

    const found = await db.instances.findMessageForSend(id);

    expect(found?.message).toEqual(await db.messages.queries.findById(id));
    const instance = await db.instances.findById(tenant.instance.id);
    expect(found?.instance).toEqual(instance);
    expect(found?.instance?.evolutionToken).toBe('instance-token');
    expect(found?.instance?.quietHours).toEqual({ start: '21:00', end: '07:00' });
  });

  it('When its instance was deleted, then the message comes back without an instance', async () => {
    const tenant = await createTenant(db);
    const id = await queuedMessage(tenant.accountId, tenant.instance.id);
    await db.instances.softDelete(tenant.accountId, tenant.instance.id);

    const found = await db.instances.findMessageForSend(id);

    expect(found?.message.id).toBe(id);
    expect(found?.instance).toBeNull();
  });

  it('When the message does not exist, then nothing comes back', async () => {
    expect(await db.instances.findMessageForSend(randomUUID())).toBeNull();
  });
});
