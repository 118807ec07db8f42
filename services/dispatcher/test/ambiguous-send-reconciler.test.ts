import { createCapturedLogger } from '../../../test/support/captured-logger';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';
import type { FoundMessage } from '@telenexus/evolution';
import { AmbiguousSendReconciler, UNCONFIRMED_REASON } from '../src/maintenance/ambiguous-send-reconciler';

const DEADLINE_MS = 15 * 60_000;

// A database of its own: a pass settles every ambiguous send it finds, other files' included.
const context = useTestDatabase({ isolated: true, tenant: true });
let counter = 0;

/** A message whose send answer was lost: claimed with its text, then marked unknown. */
async function ambiguousSend(account: Tenant = context.tenant): Promise<{ id: string; body: string }> {
  counter += 1;
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: account.accountId,
    instanceId: account.instance.id,
    phoneNumber: '254712345678',
    customerName: 'Unsure',
    amount: '10',
    currency: 'KES',
    invoiceId: `UNSURE-${counter}`,
    dueDate: null,
    messageType: 'invoice',
  });
  const body = `Invoice text ${counter}`;
  await context.db.messages.statuses.claimForSending(message.id, body);
  await context.db.messages.statuses.markUnknown(message.id, 'Evolution did not answer in time');
  return { id: message.id, body };
}

function reconciler(found: () => Promise<FoundMessage[]>, nowMs: number, enqueued: string[] = []) {
  return new AmbiguousSendReconciler(
    context.db.messages,
    context.db.instances,
    { findSentMessages: found },
    {
      ensureSendJobs: (ids) => {
        enqueued.push(...ids);
        return Promise.resolve([...ids]);
      },
    },
    createCapturedLogger().logger,
    { deadlineMs: DEADLINE_MS, now: () => nowMs },
  );
}

const statusOf = async (id: string) => (await context.db.messages.queries.findById(id))!;

describe('Ambiguous sends', () => {
  it("When Evolution's stored messages show the send, then it becomes sent and receipts held for it apply", async () => {
    const { id, body } = await ambiguousSend();
    await context.db.messages.statuses.addPendingReceipt(
      context.tenant.instance.id,
      `3EB0FOUND${counter}`,
      'delivered',
    );
    const searched: unknown[] = [];
    const pass = reconciler(() => {
      searched.push(true);
      return Promise.resolve([
        { keyId: '3EB0OTHER', text: 'Another text to the same number' },
        { keyId: `3EB0FOUND${counter}`, text: body },
      ]);
    }, Date.now());

    await pass.reconcileOnce();

    const message = await statusOf(id);
    expect(message).toMatchObject({ status: 'delivered', providerMessageId: `3EB0FOUND${counter}` });
    const events = await context.db.messages.queries.listEvents(id);
    expect(events.map((event) => event.type)).toEqual([
      'accepted',
      'claimed',
      'ambiguous',
      'sent',
      'receipt',
    ]);
    expect(searched.length).toBeGreaterThan(0);
  });

  it('When there is no evidence and the deadline has not passed, then it stays unknown', async () => {
    const { id } = await ambiguousSend();
    await reconciler(() => Promise.reject(new Error('Evolution is down')), Date.now()).reconcileOnce();
    expect((await statusOf(id)).status).toBe('unknown');
  });

  it('When Evolution cannot be searched at the deadline, then it waits a second deadline before failing unconfirmed', async () => {
    const { id } = await ambiguousSend();
    const down = () => Promise.reject(new Error('Evolution is down'));
    await reconciler(down, Date.now() + DEADLINE_MS + 1000).reconcileOnce();
    expect((await statusOf(id)).status).toBe('unknown');

    await reconciler(down, Date.now() + 2 * DEADLINE_MS + 1000).reconcileOnce();
    expect(await statusOf(id)).toMatchObject({ status: 'failed', reasonCode: 'unconfirmed' });
  });

  it('When there is no evidence by the deadline, then it fails with reason code unconfirmed', async () => {
    const { id } = await ambiguousSend();
    await reconciler(() => Promise.resolve([]), Date.now() + DEADLINE_MS + 1000).reconcileOnce();

    const message = await statusOf(id);
    expect(message).toMatchObject({
      status: 'failed',
      reasonCode: 'unconfirmed',
      lastError: UNCONFIRMED_REASON,
    });
  });

  it('When the account asks for one resend, then it is queued again once, recorded, and fails if that is unconfirmed too', async () => {
    const resending = await createTenant(context.db);
    await context.db.accounts.setUnconfirmedSendPolicy(resending.accountId, 'resend_once');
    const { id, body } = await ambiguousSend(resending);
    const enqueued: string[] = [];
    const late = Date.now() + DEADLINE_MS + 1000;

    await reconciler(() => Promise.resolve([]), late, enqueued).reconcileOnce();

    expect((await statusOf(id)).status).toBe('queued');
    expect(enqueued).toContain(id);
    const events = await context.db.messages.queries.listEvents(id);
    expect(events.at(-1)).toMatchObject({ type: 'resent', status: 'queued' });

    // The resend is ambiguous as well: no second resend.
    await context.db.messages.statuses.claimForSending(id, body);
    await context.db.messages.statuses.markUnknown(id, 'Evolution did not answer in time');
    await reconciler(() => Promise.resolve([]), late + DEADLINE_MS + 1000, enqueued).reconcileOnce();
    expect(await statusOf(id)).toMatchObject({ status: 'failed', reasonCode: 'unconfirmed' });
    expect(enqueued.filter((queued) => queued === id)).toHaveLength(1);
  });
});
