import { buildNotification } from '../../../test/support/notification-factory';
import request from 'supertest';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
} from '../../../test/support/test-context';
import { createIngressHarness, type IngressHarness } from '../../../test/support/ingress-harness';
import { problem } from '../../../test/support/expected-problem';

let db: DatabaseContext;
let replicaA: IngressHarness;
let replicaB: IngressHarness;
let tenant: Tenant;
let counter = 0;

beforeAll(async () => {
  db = await openTestDatabase();
  // Two ingress replicas sharing one Redis (and one counter namespace).
  replicaA = createIngressHarness(db, { rateLimitPerMinute: 5, rateLimitNamespace: 'shared-limit' });
  replicaB = createIngressHarness(db, { rateLimitPerMinute: 5, rateLimitNamespace: 'shared-limit' });
  tenant = await createTenant(db);
});

afterAll(async () => {
  await replicaA.close();
  await replicaB.close();
  await db.close();
});

function notification() {
  counter += 1;
  return buildNotification({
    amount: 10,
    invoice_id: `RATE-${counter}`,
    message_type: 'invoice',
    due_date: null,
  });
}

describe('API rate limit', () => {
  it('When a key sends more than its limit across replicas, then it gets 429 with Retry-After and RateLimit headers', async () => {
    const responses = [];
    for (let index = 0; index < 6; index += 1) {
      const replica = index % 2 === 0 ? replicaA : replicaB;
      responses.push(
        await request(replica.app)
          .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
          .set('Authorization', `Bearer ${tenant.apiKey}`)
          .send(notification()),
      );
    }

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(responses[0]!.headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-remaining': '4' });
    const limited = responses[5]!;
    expect(limited.body).toEqual(problem('rate_limited', 'Rate limit exceeded'));
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThan(0);
  });

  it('When a batch is sent, then each notification counts against the limit', async () => {
    const fresh = await createTenant(db);
    const batch = (size: number) =>
      request(replicaA.app)
        .post(`/api/v1/billing/send-notifications?instance_id=${fresh.instance.id}`)
        .set('Authorization', `Bearer ${fresh.apiKey}`)
        .send({ notifications: Array.from({ length: size }, () => notification()) });

    const first = await batch(4);
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect((await batch(2)).status).toBe(429);
  });

  it('When one key is limited, then other keys are not', async () => {
    const other = await createTenant(db);
    const response = await request(replicaB.app)
      .post(`/api/v1/billing/send-notification?instance_id=${other.instance.id}`)
      .set('Authorization', `Bearer ${other.apiKey}`)
      .send(notification());
    expect(response.status).toBe(200);
  });
});
