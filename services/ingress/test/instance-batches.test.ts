import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { guideBody } from '../../../test/security/security-support';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { problem } from '../../../test/support/expected-problem';
import { useIngress } from '../../../test/support/use-ingress';

const context = useIngress({ tenant: { permissions: ['admin', 'send_message'] } });
let supportKey: string;
/** The tenant's batches, oldest first. */
const batchIds: string[] = [];

async function sendBatch(owner: Tenant, invoices: readonly string[]): Promise<string> {
  const response = await request(context.ingress.app)
    .post(`/api/v1/billing/send-notifications?instance_id=${owner.instance.id}`)
    .set('Authorization', `Bearer ${owner.apiKey}`)
    .send({ notifications: invoices.map((invoice) => guideBody({ invoice_id: invoice })) });
  expect(response.status).toBe(200);
  return String(response.body.batch_id);
}

beforeAll(async () => {
  supportKey = (
    await context.db.provisioning.apiKeys.create({
      accountId: context.tenant.accountId,
      name: 'Support',
      permissions: ['support'],
    })
  ).secret;
  for (let run = 1; run <= 3; run += 1) {
    batchIds.push(await sendBatch(context.tenant, [`RUN${run}-A`, `RUN${run}-B`]));
  }
  // Batches of the same second must still page in a fixed order: spread them a minute apart.
  for (const [index, id] of batchIds.entries()) {
    await context.db.dataSource.query(
      `UPDATE batches SET created_at = now() - $2 * interval '1 minute' WHERE id = $1`,
      [id, batchIds.length - index],
    );
  }
  // Another instance's batch is not in this instance's list.
  await sendBatch(await createTenant(context.db, { permissions: ['admin', 'send_message'] }), ['OTHER-1']);
});

function list(query = '', key = supportKey, instanceId = context.tenant.instance.id) {
  return request(context.ingress.app)
    .get(`/api/v1/instances/${instanceId}/batches${query}`)
    .set('Authorization', `Bearer ${key}`);
}

describe('GET /api/v1/instances/:id/batches', () => {
  it('When support lists the batches, then they come newest first, each as GET /billing/batches/:id shows it', async () => {
    const response = await list();

    expect(response.status).toBe(200);
    expect(response.body.data.map((batch: { id: string }) => batch.id)).toEqual([...batchIds].reverse());
    expect(response.body.next_cursor).toBeNull();
    const single = await request(context.ingress.app)
      .get(`/api/v1/billing/batches/${batchIds[0]}`)
      .set('Authorization', `Bearer ${supportKey}`);
    expect(single.status).toBe(200);
    expect(response.body.data[2]).toEqual(single.body);
    expect(single.body).toMatchObject({ item_count: 2, accepted: 2, rejected: 0, by_status: { queued: 2 } });
  });

  it('When the list is paged, then the pages follow one another without gaps or repeats', async () => {
    const first = await list('?limit=2');
    expect(first.body.data.map((batch: { id: string }) => batch.id)).toEqual([batchIds[2], batchIds[1]]);
    expect(typeof first.body.next_cursor).toBe('string');

    const second = await list(`?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.data.map((batch: { id: string }) => batch.id)).toEqual([batchIds[0]]);
    expect(second.body.next_cursor).toBeNull();
  });

  it('When an admin key lists them, then it sees the same batches', async () => {
    const response = await list('', context.tenant.apiKey);
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(3);
  });

  it('When the cursor is not one of ours, then it answers 400', async () => {
    const response = await list('?cursor=not-a-cursor');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'cursor', message: 'is not a cursor from an earlier page' },
    ]);
  });

  it('When a sending key lists them, then it answers 403', async () => {
    const sender = await context.db.provisioning.apiKeys.create({
      accountId: context.tenant.accountId,
      name: 'Billing',
      permissions: ['send_message'],
    });
    const response = await list('', sender.secret);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(
      problem('forbidden', 'This API key does not have the admin or support permission'),
    );
  });

  it("When another account's instance is asked for, then it answers 404 as for one that does not exist", async () => {
    const other = await createTenant(context.db, { permissions: ['admin'] });
    const foreign = await list('', supportKey, other.instance.id);
    const missing = await list('', supportKey, randomUUID());
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(problem('not_found', 'Instance not found'));
    expect(missing.body).toEqual(foreign.body);
  });
});
