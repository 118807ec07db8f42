import { randomUUID } from 'node:crypto';
import { createTenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';

/**
 * The dispatcher records the sends Evolution accepted, many at once: each marked sent with its
 * Evolution id and its timeline event, then the receipts held for them applied.
 */

const context = useTestDatabase();

async function queuedMessage(accountId: string, instanceId: string): Promise<string> {
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId,
    instanceId,
    phoneNumber: '254712345678',
    customerName: 'Jane',
    amount: '1500',
    currency: 'KES',
    invoiceId: `INV-${randomUUID().slice(0, 8)}`,
    dueDate: null,
    messageType: 'invoice',
  });
  return message.id;
}

async function sendingMessage(accountId: string, instanceId: string): Promise<string> {
  const id = await queuedMessage(accountId, instanceId);
  await context.db.messages.statuses.claimForSending(id, 'text');
  return id;
}

describe('Recording sends together', () => {
  it('When several sends are recorded at once, then each is sent with its own Evolution id and event, whatever its instance', async () => {
    const first = await createTenant(context.db);
    const second = await createTenant(context.db);
    const sends = [
      { messageId: await sendingMessage(first.accountId, first.instance.id), instanceId: first.instance.id },
      { messageId: await sendingMessage(first.accountId, first.instance.id), instanceId: first.instance.id },
      {
        messageId: await sendingMessage(second.accountId, second.instance.id),
        instanceId: second.instance.id,
      },
    ].map((send) => ({ ...send, providerMessageId: `PROV-${randomUUID()}` }));

    await context.db.messages.statuses.recordSends(sends);

    for (const send of sends) {
      const message = await context.db.messages.queries.findById(send.messageId);
      expect(message).toMatchObject({
        status: 'sent',
        providerMessageId: send.providerMessageId,
        lastError: null,
      });
      expect(message?.sentAt).toBeInstanceOf(Date);
      const events = await context.db.messages.queries.listEvents(send.messageId);
      expect(events.at(-1)).toMatchObject({
        type: 'sent',
        status: 'sent',
        detail: `Evolution message id ${send.providerMessageId}`,
      });
    }
  });

  it('When a receipt came before its send was recorded, then it is applied once the send is, and taken off the held ones', async () => {
    const tenant = await createTenant(context.db);
    const held = {
      messageId: await sendingMessage(tenant.accountId, tenant.instance.id),
      instanceId: tenant.instance.id,
      providerMessageId: `PROV-${randomUUID()}`,
    };
    const plain = {
      messageId: await sendingMessage(tenant.accountId, tenant.instance.id),
      instanceId: tenant.instance.id,
      providerMessageId: `PROV-${randomUUID()}`,
    };
    await context.db.messages.statuses.addPendingReceipt(
      tenant.instance.id,
      held.providerMessageId,
      'delivered',
    );

    await context.db.messages.statuses.recordSends([held, plain]);

    expect(await context.db.messages.queries.findById(held.messageId)).toMatchObject({ status: 'delivered' });
    expect(await context.db.messages.queries.findById(plain.messageId)).toMatchObject({ status: 'sent' });
    expect(
      await context.db.messages.statuses.takePendingReceipts(tenant.instance.id, held.providerMessageId),
    ).toEqual([]);
  });

  it('When a message is not being sent (still queued), then it is left as it is and the others are recorded', async () => {
    const tenant = await createTenant(context.db);
    const queued = await queuedMessage(tenant.accountId, tenant.instance.id);
    const sending = await sendingMessage(tenant.accountId, tenant.instance.id);

    await context.db.messages.statuses.recordSends([
      { messageId: queued, instanceId: tenant.instance.id, providerMessageId: `PROV-${randomUUID()}` },
      { messageId: sending, instanceId: tenant.instance.id, providerMessageId: `PROV-${randomUUID()}` },
    ]);

    expect(await context.db.messages.queries.findById(queued)).toMatchObject({
      status: 'queued',
      providerMessageId: null,
    });
    expect(await context.db.messages.queries.findById(sending)).toMatchObject({ status: 'sent' });
  });
});
