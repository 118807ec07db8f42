import { outgoingItem as item, outgoingRequest as request } from '../../../test/support/outgoing-acceptance';
import { createTenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';

/**
 * Ingress stores the requests of several instances (and accounts) that arrive together in one
 * statement. Each must come out exactly as if it had been stored alone.
 */

const context = useTestDatabase();

async function statusOf(id: string): Promise<string> {
  const [row] = await context.db.dataSource.query<{ status: string }[]>(
    'SELECT status FROM messages WHERE id = $1',
    [id],
  );
  return row!.status;
}

describe('Storing the requests of several instances in one statement', () => {
  it("When two accounts' requests are stored together, then each gets its own messages, on its own account and instance", async () => {
    const [a, b] = [await createTenant(context.db), await createTenant(context.db)];

    const [forA, forB] = await context.db.messages.acceptance.acceptOutgoingMany([
      request(a, [item(a, 0, 'MANY-1', 'invoice'), item(a, 1, 'MANY-2', 'invoice')]),
      request(b, [item(b, 0, 'MANY-1', 'invoice')]),
    ]);

    expect([...forA!.created.keys()]).toEqual([0, 1]);
    expect([...forB!.created.keys()]).toEqual([0]);
    const owners = await context.db.dataSource.query<
      { id: string; account_id: string; instance_id: string }[]
    >('SELECT id, account_id, instance_id FROM messages WHERE id = ANY($1::uuid[]) ORDER BY invoice_id', [
      [...forA!.created.values(), ...forB!.created.values()].map((message) => message.id),
    ]);
    expect(owners).toHaveLength(3);
    for (const owner of owners) {
      const tenant = forB!.created.get(0)!.id === owner.id ? b : a;
      expect(owner).toMatchObject({ account_id: tenant.accountId, instance_id: tenant.instance.id });
    }
  });

  it('When a confirmation is stored with another instance’s reminder of the same invoice id, then it cancels only its own instance’s reminders', async () => {
    const [a, b] = [await createTenant(context.db), await createTenant(context.db)];
    const [earlierA, earlierB] = await context.db.messages.acceptance.acceptOutgoingMany([
      request(a, [item(a, 0, 'SHARED-7', 'payment_reminder')]),
      request(b, [item(b, 0, 'SHARED-7', 'payment_reminder')]),
    ]);

    const [confirmed, untouched] = await context.db.messages.acceptance.acceptOutgoingMany([
      request(a, [item(a, 0, 'SHARED-7', 'confirmation'), item(a, 1, 'SHARED-7', 'invoice')]),
      request(b, [item(b, 0, 'SHARED-7', 'invoice')]),
    ]);

    const reminderA = earlierA!.created.get(0)!.id;
    const reminderB = earlierB!.created.get(0)!.id;
    expect(confirmed!.supersededIds).toEqual([reminderA]);
    expect(untouched!.supersededIds).toEqual([]);
    expect(await statusOf(reminderA)).toBe('canceled');
    expect(await statusOf(reminderB)).toBe('queued');
    // The request's own invoice notice for the paid invoice is stored canceled; b's is queued.
    expect(confirmed!.created.get(1)?.status).toBe('canceled');
    expect(untouched!.created.get(0)?.status).toBe('queued');
  });

  it('When a request stored together with another repeats an earlier notification, then it answers with the earlier message', async () => {
    const [a, b] = [await createTenant(context.db), await createTenant(context.db)];
    const [first] = await context.db.messages.acceptance.acceptOutgoingMany([
      request(a, [item(a, 0, 'AGAIN-1', 'invoice')]),
    ]);

    const [again, other] = await context.db.messages.acceptance.acceptOutgoingMany([
      request(a, [item(a, 0, 'AGAIN-1', 'invoice'), item(a, 1, 'AGAIN-2', 'invoice')]),
      request(b, [item(b, 0, 'AGAIN-1', 'invoice')]),
    ]);

    expect(again!.existing.get(0)?.id).toBe(first!.created.get(0)!.id);
    expect([...again!.created.keys()]).toEqual([1]);
    expect([...other!.created.keys()]).toEqual([0]);
  });

  it('When two requests of one instance are given, or a batch with another request, then it refuses before storing anything', async () => {
    const a = await createTenant(context.db);
    const b = await createTenant(context.db);
    const one = request(a, [item(a, 0, 'REFUSED-1', 'invoice')]);

    await expect(context.db.messages.acceptance.acceptOutgoingMany([one, one])).rejects.toThrow(
      'one request per instance',
    );
    await expect(
      context.db.messages.acceptance.acceptOutgoingMany([
        { ...one, batch: { itemCount: 1, rejected: 0 } },
        request(b, [item(b, 0, 'REFUSED-1', 'invoice')]),
      ]),
    ).rejects.toThrow('a batch only on its own');
    const [row] = await context.db.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM messages WHERE invoice_id = 'REFUSED-1'",
    );
    expect(row!.n).toBe(0);
  });
});
