import { outgoingItem, outgoingRequest } from '../../../test/support/outgoing-acceptance';
import { createTenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';

/**
 * An outgoing message's `accepted` event is its own row, not a stored event: accepting writes the
 * message (and its dedupe claim) only. Its timeline still starts with it, exactly once.
 */

const context = useTestDatabase();

/** Accepts one invoice notification of a new tenant's instance; returns the message id. */
async function acceptOne(invoiceId: string): Promise<string> {
  const tenant = await createTenant(context.db);
  const [stored] = await context.db.messages.acceptance.acceptOutgoingMany([
    outgoingRequest(tenant, [outgoingItem(tenant, 0, invoiceId)]),
  ]);
  return stored!.created.get(0)!.id;
}

async function storedEventTypes(messageId: string): Promise<string[]> {
  const rows = await context.db.dataSource.query<{ type: string }[]>(
    'SELECT type FROM message_events WHERE message_id = $1 ORDER BY id',
    [messageId],
  );
  return rows.map((row) => row.type);
}

describe("An outgoing message's accepted event", () => {
  it('When a notification is accepted, then no event row is stored, and its timeline starts with accepted at the time it was created', async () => {
    const message = await context.db.messages.queries.findById(await acceptOne('DERIVED-1'));

    expect(await storedEventTypes(message!.id)).toEqual([]);
    const timeline = await context.db.messages.queries.listEvents(message!.id);
    expect(timeline).toEqual([
      {
        id: '0',
        messageId: message!.id,
        type: 'accepted',
        status: 'queued',
        detail: null,
        createdAt: message!.createdAt,
      },
    ]);
  });

  it('When a message already has an accepted event stored (accepted before it was derived), then its timeline shows it once, followed by the rest in order', async () => {
    const id = await acceptOne('DERIVED-2');
    await context.db.dataSource.query(
      `INSERT INTO message_events (message_id, type, status) VALUES ($1, 'accepted', 'queued'), ($1, 'claimed', 'sending')`,
      [id],
    );

    const timeline = await context.db.messages.queries.listEvents(id);
    expect(timeline.map((event) => event.type)).toEqual(['accepted', 'claimed']);
  });

  it('When a customer writes in, then the incoming message has no accepted event, only received', async () => {
    const tenant = await createTenant(context.db);
    const incoming = await context.db.messages.acceptance.insertIncoming({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      phoneNumber: '254712345678',
      senderName: 'Jane',
      text: 'Thanks, paid',
      providerMessageId: `DERIVED-IN-${tenant.instance.id}`,
    });

    const timeline = await context.db.messages.queries.listEvents(incoming!.id);
    expect(timeline.map((event) => event.type)).toEqual(['received']);
  });
});
