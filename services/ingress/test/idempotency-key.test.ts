import { buildNotification } from '../../../test/support/notification-factory';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTenant } from '../../../test/support/test-context';
import { idempotencyRequestHash } from '../src/http/idempotency.middleware';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

// Natural dedupe off: these tests isolate the header's behaviour.
const context = useIngress({ dedupeWindowMs: 0, tenant: true });

const body = (invoiceId: string, amount = 1500) =>
  buildNotification({ amount, invoice_id: invoiceId, message_type: 'invoice', due_date: null });

const send = (payload: unknown, key?: string, apiKey = context.tenant.apiKey) => {
  const call = request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
    .set('Authorization', `Bearer ${apiKey}`);
  return (key === undefined ? call : call.set('Idempotency-Key', key)).send(payload as object);
};

async function count(invoiceId: string): Promise<number> {
  const rows: { n: number }[] = await context.db.dataSource.query(
    'SELECT count(*)::int AS n FROM messages WHERE invoice_id = $1',
    [invoiceId],
  );
  return rows[0]!.n;
}

describe('Idempotency-Key', () => {
  it('When a request is retried with its key, then the stored answer is replayed and nothing is sent twice', async () => {
    const key = randomUUID();
    const first = await send(body('IDEM-1'), key);
    const retry = await send(body('IDEM-1'), key);

    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await count('IDEM-1')).toBe(1);
  });

  it('When the same keys in another key order are retried, then they count as the same request', async () => {
    const key = randomUUID();
    const first = await send(body('IDEM-ORDER'), key);
    const reordered = Object.fromEntries(Object.entries(body('IDEM-ORDER')).reverse());
    expect((await send(reordered, key)).body).toEqual(first.body);
  });

  it('When the key is reused with a different body, then it answers 422', async () => {
    const key = randomUUID();
    await send(body('IDEM-2'), key);
    const different = await send(body('IDEM-2', 9999), key);
    expect(different.status).toBe(422);
    expect(different.body).toEqual(
      problem('idempotency_mismatch', 'This Idempotency-Key was already used with a different request'),
    );
    expect(await count('IDEM-2')).toBe(1);
  });

  it('When the same key arrives while the first request is still running, then it answers 409 with Retry-After', async () => {
    const key = randomUUID();
    const payload = body('IDEM-3');
    const hash = idempotencyRequestHash({
      method: 'POST',
      baseUrl: '/api/v1',
      path: '/billing/send-notification',
      query: { instance_id: context.tenant.instance.id },
      body: payload,
    });
    // The first request with this key has claimed it and not finished yet.
    expect(
      await context.db.idempotencyKeys.claim(context.tenant.accountId, key, hash, {
        lockMs: 60_000,
        ttlMs: 60_000,
      }),
    ).toBeNull();

    const concurrent = await send(payload, key);

    expect(concurrent.status).toBe(409);
    expect(concurrent.headers['retry-after']).toBe('1');
    expect(concurrent.body).toEqual(
      problem('in_flight', 'A request with this Idempotency-Key is still being processed'),
    );
    expect(await count('IDEM-3')).toBe(0);
  });

  it('When many requests race with one key, then one message is stored and the others replay or are told to wait', async () => {
    const racing = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => send(body('IDEM-RACE'), racing)));
    const statuses = results.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    expect(new Set(results.filter((r) => r.status === 200).map((r) => r.body.message_id)).size).toBe(1);
    expect(await count('IDEM-RACE')).toBe(1);
  });

  it('When the request fails validation, then nothing is stored and the key can be used for the corrected request', async () => {
    const key = randomUUID();
    const invalid = await send({ ...body('IDEM-4'), currency: 'NOPE' }, key);
    expect(invalid.status).toBe(400);
    const corrected = await send(body('IDEM-4'), key);
    expect(corrected.status).toBe(200);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
  });

  it('When two accounts use the same key, then each has its own', async () => {
    const key = randomUUID();
    const other = await createTenant(context.db);
    const mine = await send(body('IDEM-5'), key);
    const theirs = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${other.instance.id}`)
      .set('Authorization', `Bearer ${other.apiKey}`)
      .set('Idempotency-Key', key)
      .send(body('IDEM-5'));
    expect(theirs.status).toBe(200);
    expect(theirs.body.message_id).not.toBe(mine.body.message_id);
  });

  it('When the key has characters outside [A-Za-z0-9_-] or is too long, then it answers 400 naming the header', async () => {
    for (const key of ['has space', 'x'.repeat(256), 'émoji']) {
      const response = await send(body('IDEM-6'), key);
      expect(response.status).toBe(400);
      expect(response.body.detail).toBe(
        'Idempotency-Key: must be 1–255 letters, digits, dashes or underscores',
      );
    }
  });

  it('When a batch is retried with its key, then the whole answer is replayed', async () => {
    const key = randomUUID();
    const post = () =>
      request(context.ingress.app)
        .post(`/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`)
        .set('Authorization', `Bearer ${context.tenant.apiKey}`)
        .set('Idempotency-Key', key)
        .send({ notifications: [body('IDEM-B1'), body('IDEM-B2')] });
    const first = await post();
    const retry = await post();
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await count('IDEM-B1')) + (await count('IDEM-B2'))).toBe(2);
  });

  it('When the stored answer has expired, then the key starts afresh', async () => {
    const key = randomUUID();
    await send(body('IDEM-7'), key);
    await context.db.dataSource.query(
      "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1",
      [key],
    );
    const again = await send(body('IDEM-7'), key);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await count('IDEM-7')).toBe(2);
  });
});
