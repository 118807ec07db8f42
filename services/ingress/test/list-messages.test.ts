import request from 'supertest';
import type { NotificationType } from '@telenexus/core';
import { createTenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress({ tenant: { permissions: ['admin'] } });
let adminKey: string;
let senderKey: string;
let receiverKey: string;
const ids: Record<string, string> = {};

async function outgoing(
  name: string,
  options: { type?: NotificationType; invoice?: string; phone?: string; day: string },
) {
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: context.tenant.accountId,
    instanceId: context.tenant.instance.id,
    phoneNumber: options.phone ?? '254712345678',
    customerName: name,
    amount: '100',
    currency: 'KES',
    invoiceId: options.invoice ?? `INV-${name}`,
    dueDate: null,
    messageType: options.type ?? 'invoice',
  });
  await context.db.dataSource.query('UPDATE messages SET created_at = $2 WHERE id = $1', [
    message.id,
    `${options.day}T10:00:00Z`,
  ]);
  ids[name] = message.id;
  return message.id;
}

beforeAll(async () => {
  const key = (permissions: ('admin' | 'send_message' | 'receive_message')[]) =>
    context.db.provisioning.apiKeys
      .create({ accountId: context.tenant.accountId, name: permissions.join('+'), permissions })
      .then((created) => created.secret);
  adminKey = context.tenant.apiKey;
  senderKey = await key(['send_message']);
  receiverKey = await key(['receive_message']);

  await outgoing('a', { day: '2026-02-01', type: 'invoice' });
  const failed = await outgoing('b', { day: '2026-02-10', type: 'overdue', phone: '254700000002' });
  await context.db.messages.statuses.markFailed(
    failed,
    'number 254700000002 is not on WhatsApp',
    'not_on_whatsapp',
  );
  const sent = await outgoing('c', { day: '2026-02-20', type: 'payment_reminder', invoice: 'INV-SHARED' });
  await context.db.messages.statuses.claimForSending(sent, 'text');
  await context.db.messages.statuses.markSent(sent, `KEY-${sent}`);
  await outgoing('d', { day: '2026-02-28', type: 'confirmation', invoice: 'INV-SHARED' });
  const reply = await context.db.messages.acceptance.insertIncoming({
    accountId: context.tenant.accountId,
    instanceId: context.tenant.instance.id,
    phoneNumber: '254712345678',
    senderName: 'Customer',
    text: 'I paid yesterday',
    providerMessageId: 'INCOMING-1',
  });
  await context.db.dataSource.query("UPDATE messages SET created_at = '2026-03-01T08:00:00Z' WHERE id = $1", [
    reply!.id,
  ]);
  ids.reply = reply!.id;
});

async function list(query: string, key = adminKey) {
  const response = await request(context.ingress.app)
    .get(`/api/v1/instances/${context.tenant.instance.id}/messages${query}`)
    .set('Authorization', `Bearer ${key}`);
  return response;
}

const names = (body: { data: { id: string }[] }) =>
  body.data.map((message) => Object.keys(ids).find((name) => ids[name] === message.id));

describe('GET /api/v1/instances/:id/messages', () => {
  it('When nothing is filtered, then an admin key sees every message newest first', async () => {
    const response = await list('');
    expect(response.status).toBe(200);
    expect(names(response.body)).toEqual(['reply', 'd', 'c', 'b', 'a']);
    expect(response.body.next_cursor).toBeNull();
    expect(response.body.data[0]).toMatchObject({
      direction: 'incoming',
      status: 'received',
      text: 'I paid yesterday',
    });
  });

  it.each([
    ['?status=failed', ['b']],
    ['?status=sent', ['c']],
    ['?direction=outgoing', ['d', 'c', 'b', 'a']],
    ['?direction=incoming', ['reply']],
    ['?message_type=overdue', ['b']],
    ['?reason_code=not_on_whatsapp', ['b']],
    ['?reason_code=gave_up', []],
    ['?invoice_id=INV-SHARED', ['d', 'c']],
    ['?phone_number=%2B254%20700%20000%20002', ['b']],
    ['?phone_number=0700000002', ['b']],
    ['?from=2026-02-10&to=2026-02-20', ['c', 'b']],
    ['?from=2026-02-10T10:00:01Z', ['reply', 'd', 'c']],
    ['?direction=outgoing&status=queued&invoice_id=INV-SHARED', ['d']],
  ])('When filtered by %s, then only matching messages come back', async (query, expected) => {
    const response = await list(query);
    expect(response.status).toBe(200);
    expect(names(response.body)).toEqual(expected);
  });

  it('When pages are walked with the cursor, then every message comes exactly once in order', async () => {
    const seen: (string | undefined)[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...names(response.body));
      cursor = response.body.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(['reply', 'd', 'c', 'b', 'a']);
  });

  it('When messages were created within the same millisecond, then paging still returns each exactly once', async () => {
    const crowded = await createTenant(context.db, { permissions: ['admin'] });
    await context.db.dataSource.query(
      `INSERT INTO messages (account_id, instance_id, direction, phone_number, status, created_at)
       SELECT $1, $2, 'incoming', '254712345678', 'received', '2026-03-01T10:00:00.000Z'::timestamptz + n * interval '1 microsecond'
       FROM generate_series(1, 5) n`,
      [crowded.accountId, crowded.instance.id],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await request(context.ingress.app)
        .get(`/api/v1/instances/${crowded.instance.id}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', `Bearer ${crowded.apiKey}`);
      seen.push(...response.body.data.map((message: { id: string }) => message.id));
      cursor = response.body.next_cursor as string | null;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('When a key may only send, then it sees outgoing messages and is refused incoming ones', async () => {
    expect(names((await list('', senderKey)).body)).toEqual(['d', 'c', 'b', 'a']);
    const refused = await list('?direction=incoming', senderKey);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(
      problem('forbidden', 'This API key does not have the receive_message permission'),
    );
    const single = await request(context.ingress.app)
      .get(`/api/v1/messages/${ids.reply!}`)
      .set('Authorization', `Bearer ${senderKey}`);
    expect(single.status).toBe(404);
  });

  it("When a key may only receive, then it sees the customers' messages only", async () => {
    expect(names((await list('', receiverKey)).body)).toEqual(['reply']);
    const single = await request(context.ingress.app)
      .get(`/api/v1/messages/${ids.reply!}`)
      .set('Authorization', `Bearer ${receiverKey}`);
    expect(single.status).toBe(200);
    expect(single.body.events.map((event: { type: string }) => event.type)).toEqual(['received']);
  });

  it.each([
    ['?limit=0', 'limit: must be at least 1'],
    ['?limit=201', 'limit: must be at most 200'],
    ['?status=delivered-ish', /^status: must be one of/],
    ['?from=yesterday', 'from: must be an ISO 8601 date (2026-02-01) or date-time with offset'],
    ['?cursor=bogus', 'cursor: is not a cursor from an earlier page'],
  ])('When the query is %s, then it answers 400 naming the parameter', async (query, detail) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect(response.body.detail).toEqual(typeof detail === 'string' ? detail : expect.stringMatching(detail));
  });

  it('When another account lists this instance, then it is not found and sees none of it', async () => {
    const stranger = await createTenant(context.db, { permissions: ['admin'] });
    const response = await list('', stranger.apiKey);
    expect(response.status).toBe(404);
    const single = await request(context.ingress.app)
      .get(`/api/v1/messages/${ids.a!}`)
      .set('Authorization', `Bearer ${stranger.apiKey}`);
    expect(single.status).toBe(404);
  });

  it.each([
    ["status = 'failed'", 'messages_instance_status_created_idx'],
    ["direction = 'incoming'", 'messages_instance_direction_created_idx'],
    ["invoice_id = 'INV-77'", 'messages_instance_invoice_idx'],
    ["phone_number = '254700000077'", 'messages_instance_phone_idx'],
  ])(
    'When a large history is filtered on %s, then Postgres uses the index led by the instance instead of scanning',
    async (condition, index) => {
      const busy = await createTenant(context.db, { permissions: ['admin'] });
      // 20,000 messages, mostly sent invoices to many customers, so the selective filters are worth an index.
      await context.db.dataSource.query(
        `INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                               invoice_id, message_type, status, created_at)
         SELECT $1, $2, CASE WHEN n % 500 = 0 THEN 'incoming' ELSE 'outgoing' END,
                '2547000' || lpad((n % 1000)::text, 5, '0'), 'C', 100, 'KES', 'INV-' || n,
                'invoice', CASE WHEN n % 500 = 1 THEN 'failed' ELSE 'sent' END, now() - n * interval '1 minute'
         FROM generate_series(1, 20000) n`,
        [busy.accountId, busy.instance.id],
      );
      await context.db.dataSource.query('ANALYZE messages');
      const rows: { 'QUERY PLAN': string }[] = await context.db.dataSource.query(
        `EXPLAIN SELECT * FROM messages WHERE account_id = $1 AND instance_id = $2 AND ${condition}
         ORDER BY created_at DESC, id DESC LIMIT 51`,
        [busy.accountId, busy.instance.id],
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toContain(index);
      // A handful of matches may be sorted after the index lookup; what matters is no full scan.
      expect(plan).not.toMatch(/Seq Scan/);
    },
  );
});
