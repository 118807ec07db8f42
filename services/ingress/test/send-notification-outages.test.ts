import request from 'supertest';
import { FaultProxy } from '../../../test/support/fault-proxy';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
} from '../../../test/support/test-context';
import { TEST_DATABASE_URL } from '../../../test/support/test-database';
import { createIngressHarness, type IngressHarness } from '../../../test/support/ingress-harness';
import { problem } from '../../../test/support/expected-problem';

const body = {
  phone_number: '254712345678',
  customer_name: 'Jane Doe',
  amount: 2500,
  currency: 'KES',
  invoice_id: 'INV-OUTAGE',
  message_type: 'invoice',
};

describe('When Postgres is unreachable', () => {
  const target = new URL(TEST_DATABASE_URL);
  const proxy = new FaultProxy(target.hostname, Number(target.port || 5432));
  let direct: DatabaseContext;
  let viaProxy: DatabaseContext;
  let ingress: IngressHarness;
  let tenant: Tenant;

  beforeAll(async () => {
    await proxy.start();
    direct = await openTestDatabase();
    const proxied = new URL(TEST_DATABASE_URL);
    proxied.port = String(proxy.port);
    viaProxy = await openTestDatabase(proxied.toString());
    ingress = createIngressHarness(viaProxy);
    tenant = await createTenant(direct);
  });

  afterAll(async () => {
    await ingress.close();
    await viaProxy.close();
    await direct.close();
    await proxy.stop();
  });

  it('then sends answer 503 with Retry-After, never 200, and recover without a restart once it is back', async () => {
    await proxy.setMode({ kind: 'refuse' });
    const during = await request(ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .send(body);

    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.body).toEqual(
      problem('dependency_unavailable', 'Service temporarily unavailable, please retry shortly'),
    );

    const readiness = await request(ingress.app).get('/readyz');
    expect(readiness.status).toBe(503);
    expect(readiness.body.checks.postgres).toBe('unavailable');

    await proxy.setMode({ kind: 'pass' });
    const after = await request(ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .send(body);
    expect(after.status).toBe(200);
    expect(await direct.messages.queries.findById(after.body.message_id)).toMatchObject({ status: 'queued' });
  });
});

describe('When Redis is unreachable after the commit', () => {
  let db: DatabaseContext;
  let ingress: IngressHarness;
  let tenant: Tenant;

  beforeAll(async () => {
    db = await openTestDatabase();
    // Nothing listens on port 1: every Redis command fails at once.
    ingress = createIngressHarness(db, { redisUrl: 'redis://127.0.0.1:1' });
    tenant = await createTenant(db);
  });

  afterAll(async () => {
    await ingress.close();
    await db.close();
  });

  it('then the send still answers 200, the message waits as queued, and the failure is logged for the sweeper', async () => {
    const response = await request(ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .send(body);

    expect(response.status).toBe(200);
    expect(await db.messages.queries.findById(response.body.message_id)).toMatchObject({ status: 'queued' });
    expect(ingress.logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'messages committed but not enqueued; the sweeper will enqueue them',
        messageIds: [response.body.message_id],
      }),
    );
  });
});
