import { buildNotification } from '../../../test/support/notification-factory';
import request from 'supertest';
import { createTenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

// Windows are fixed minutes of the clock: frozen in the middle of the current one, no window can end
// between a test's requests and reset the count it checks.
const MINUTE_MS = 60_000;
const midWindowMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS + MINUTE_MS / 2;
const limit = {
  rateLimitPerMinute: 5,
  rateLimitNamespace: 'shared-limit',
  rateLimitClock: () => midWindowMs,
};

// Two ingress replicas, each with its own connections, sharing one Redis (and one counter namespace).
const replicaA = useIngress({ ...limit, tenant: true });
const replicaB = useIngress(limit);
let counter = 0;

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
        await request(replica.ingress.app)
          .post(`/api/v1/billing/send-notification?instance_id=${replicaA.tenant.instance.id}`)
          .set('Authorization', `Bearer ${replicaA.tenant.apiKey}`)
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
    const fresh = await createTenant(replicaA.db);
    const batch = (size: number) =>
      request(replicaA.ingress.app)
        .post(`/api/v1/billing/send-notifications?instance_id=${fresh.instance.id}`)
        .set('Authorization', `Bearer ${fresh.apiKey}`)
        .send({ notifications: Array.from({ length: size }, () => notification()) });

    const first = await batch(4);
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect((await batch(2)).status).toBe(429);
  });

  it('When one key is limited, then other keys are not', async () => {
    const other = await createTenant(replicaA.db);
    const response = await request(replicaB.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${other.instance.id}`)
      .set('Authorization', `Bearer ${other.apiKey}`)
      .send(notification());
    expect(response.status).toBe(200);
  });
});
