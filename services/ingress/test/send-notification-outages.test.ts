import request from 'supertest';
import { FaultProxy } from '../../../test/support/fault-proxy';
import { TEST_DATABASE_URL } from '../../../test/support/test-database';
import { useIngress } from '../../../test/support/use-ingress';
import { useTestDatabase } from '../../../test/support/use-test-database';
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
  // Hooks run in the order declared: the proxy starts before the app's database is opened through
  // it, and stops after that is closed.
  beforeAll(() => proxy.start());
  const direct = useTestDatabase({ tenant: true });
  const context = useIngress({
    databaseVia: (url) => {
      const proxied = new URL(url);
      proxied.port = String(proxy.port);
      return proxied.toString();
    },
  });
  afterAll(() => proxy.stop());

  it('then sends answer 503 with Retry-After, never 200, and recover without a restart once it is back', async () => {
    await proxy.setMode({ kind: 'refuse' });
    const during = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${direct.tenant.instance.id}`)
      .set('Authorization', `Bearer ${direct.tenant.apiKey}`)
      .send(body);

    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.body).toEqual(
      problem('dependency_unavailable', 'Service temporarily unavailable, please retry shortly'),
    );

    const readiness = await request(context.ingress.app).get('/readyz');
    expect(readiness.status).toBe(503);
    expect(readiness.body.checks.postgres).toBe('unavailable');

    await proxy.setMode({ kind: 'pass' });
    const after = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${direct.tenant.instance.id}`)
      .set('Authorization', `Bearer ${direct.tenant.apiKey}`)
      .send(body);
    expect(after.status).toBe(200);
    expect(await direct.db.messages.queries.findById(after.body.message_id)).toMatchObject({
      status: 'queued',
    });
  });
});

describe('When Redis is unreachable after the commit', () => {
  // Nothing listens on port 1: every Redis command fails at once.
  const context = useIngress({ redisUrl: 'redis://127.0.0.1:1', tenant: true });

  it('then the send still answers 200, the message waits as queued, and the failure is logged for the sweeper', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send(body);

    expect(response.status).toBe(200);
    expect(await context.db.messages.queries.findById(response.body.message_id)).toMatchObject({
      status: 'queued',
    });
    expect(context.ingress.logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'messages committed but not enqueued; the sweeper will enqueue them',
        messageIds: [response.body.message_id],
      }),
    );
  });
});
