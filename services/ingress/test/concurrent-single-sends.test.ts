import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GUIDE_REFERENCE_BODY } from '../../../packages/core/src';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
} from '../../../test/support/test-context';
import { createIngressHarness, type IngressHarness } from './ingress-harness';

/**
 * Single sends that arrive together are accepted together (group commit); what each billing system
 * is answered must not depend on who it was grouped with.
 */
let db: DatabaseContext;
let ingress: IngressHarness;
let tenant: Tenant;

beforeAll(async () => {
  db = await openTestDatabase();
  ingress = createIngressHarness(db);
  tenant = await createTenant(db);
});

afterAll(async () => {
  await ingress.close();
  await db.close();
});

function send(body: object) {
  return request(ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
    .set('Authorization', `Bearer ${tenant.apiKey}`)
    .send(body);
}

async function storedFor(invoiceIds: readonly string[]): Promise<number> {
  const [row] = await db.dataSource.query<{ n: number }[]>(
    'SELECT count(*)::int AS n FROM messages WHERE account_id = $1 AND invoice_id = ANY($2::text[])',
    [tenant.accountId, invoiceIds],
  );
  return row?.n ?? 0;
}

describe('Concurrent single sends', () => {
  it('When the same notification is posted eight times at once, then every answer names one message, stored once and queued once', async () => {
    const body = { ...GUIDE_REFERENCE_BODY, invoice_id: `TWIN-${randomUUID()}` };

    const responses = await Promise.all(Array.from({ length: 8 }, () => send(body)));

    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    const ids = new Set(responses.map((response) => response.body.message_id as string));
    expect(ids.size).toBe(1);
    expect(await storedFor([body.invoice_id])).toBe(1);
    expect(await ingress.queue.queue.getJob([...ids][0]!)).toBeDefined();
  });

  it('When different notifications are posted at once, then each is answered with its own message', async () => {
    const invoiceIds = Array.from({ length: 12 }, (_, index) => `MANY-${index}-${randomUUID()}`);

    const responses = await Promise.all(
      invoiceIds.map((invoiceId) => send({ ...GUIDE_REFERENCE_BODY, invoice_id: invoiceId })),
    );

    expect(responses.map((response) => response.body.invoice_id)).toEqual(invoiceIds);
    expect(new Set(responses.map((response) => response.body.message_id)).size).toBe(12);
    expect(await storedFor(invoiceIds)).toBe(12);
  });

  it('When the same invoice is posted at once with two amounts, then one is stored and the other answers 409 naming it', async () => {
    const invoiceId = `CLASH-${randomUUID()}`;

    const [first, second] = await Promise.all([
      send({ ...GUIDE_REFERENCE_BODY, invoice_id: invoiceId, amount: 100 }),
      send({ ...GUIDE_REFERENCE_BODY, invoice_id: invoiceId, amount: 200 }),
    ]);

    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const stored = [first, second].find((response) => response.status === 200)!;
    const refused = [first, second].find((response) => response.status === 409)!;
    expect(refused.body.message_id).toBe(stored.body.message_id);
    expect(await storedFor([invoiceId])).toBe(1);
  });
});
